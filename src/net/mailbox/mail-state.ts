// What a node keeps of its own mail (protocols/mailbox.md, "What each side keeps"), in its
// datastore under /p2pgo/mailbox: per recipient, the number and ID of the last envelope it sent
// (`sent/`); per sender, the chain of what it delivered (`chain/`); the envelopes delivered and
// not yet dismissed (`inbox/`); and the holders it collects from (`holders`). A chain and the
// envelopes it delivered are written in one batch, so a crash never delivers twice.
import { Key } from 'interface-datastore'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { FRESH_CHAIN, type SenderChain } from './chain.js'
import { REMEMBERED_HOLDERS } from './constants.js'
import type { Received } from './wire/envelope.js'
import type { Datastore } from 'interface-datastore'

const ROOT = '/p2pgo/mailbox'
const LIMITS = { maxBytes: 64 * 1024 }
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** The last envelope this node sent a recipient. */
export interface SentChain {
  readonly seq: number
  readonly last?: Uint8Array
}

export class MailState {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  async sent (recipient: string): Promise<SentChain> {
    const v = await this.read(`sent/${recipient}`) as { seq?: unknown, last?: unknown } | undefined
    if (typeof v?.seq !== 'number') return { seq: 0 }
    return { seq: v.seq, ...(v.last instanceof Uint8Array ? { last: v.last } : {}) }
  }

  async setSent (recipient: string, chain: SentChain): Promise<void> {
    await this.ds.put(this.key(`sent/${recipient}`), encodeCanonical({ seq: chain.seq, ...(chain.last != null ? { last: chain.last } : {}) }))
  }

  async chain (sender: string): Promise<SenderChain> {
    const v = await this.read(`chain/${sender}`) as { next?: unknown, last?: unknown, gapSince?: unknown } | undefined
    if (typeof v?.next !== 'number') return FRESH_CHAIN
    return {
      next: v.next,
      ...(v.last instanceof Uint8Array ? { last: v.last } : {}),
      ...(typeof v.gapSince === 'number' ? { gapSince: v.gapSince } : {})
    }
  }

  /** A sender's chain and the envelopes it delivered, in one write. */
  async deliver (sender: string, chain: SenderChain, delivered: readonly Received[]): Promise<void> {
    const batch = this.ds.batch()
    batch.put(this.key(`chain/${sender}`), encodeCanonical({ next: chain.next, ...(chain.last != null ? { last: chain.last } : {}), ...(chain.gapSince != null ? { gapSince: chain.gapSince } : {}) }))
    for (const r of delivered) batch.put(this.key(`inbox/${hex(r.id)}`), r.bytes)
    await batch.commit()
  }

  /** The envelopes delivered and not dismissed, as received. */
  async inbox (): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const { value } of this.ds.query({ prefix: `${ROOT}/inbox/` })) out.push(value)
    return out
  }

  async dismiss (id: Uint8Array): Promise<void> {
    await this.ds.delete(this.key(`inbox/${hex(id)}`))
  }

  async holders (): Promise<string[]> {
    const v = await this.read('holders')
    return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : []
  }

  /** Remembers holders, newest first, up to REMEMBERED_HOLDERS. */
  async addHolders (peers: readonly string[]): Promise<string[]> {
    const before = await this.holders()
    const after = [...new Set([...peers, ...before])].slice(0, REMEMBERED_HOLDERS)
    if (after.join() !== before.join()) await this.ds.put(this.key('holders'), encodeCanonical(after))
    return after
  }

  private key (path: string): Key {
    return new Key(`${ROOT}/${path}`)
  }

  private async read (path: string): Promise<unknown> {
    try {
      return decodeCanonical(await this.ds.get(this.key(path)), LIMITS)
    } catch {
      return undefined
    }
  }
}
