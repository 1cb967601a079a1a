// What a holder keeps (protocols/mailbox.md, "Holding"): envelopes under /p2pgo/mailbox/held in
// the node's datastore, so they survive a restart, with the quota's counts rebuilt at start; and
// the recipients it knows (a reservation or a collection within 30 days) under
// /p2pgo/mailbox/known. Collections are served from the datastore as it is.
import { Key } from 'interface-datastore'
import { peerIdOfBytes } from '../lobby/v2/sign.js'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { decodeEnvelope } from './wire/envelope.js'
import { HolderQuota, type HeldSize, type HolderLimits } from './quota.js'
import type { Received } from './wire/envelope.js'
import type { Refusal } from './wire/errors.js'
import type { Datastore } from 'interface-datastore'

const HELD = '/p2pgo/mailbox/held'
const KNOWN = '/p2pgo/mailbox/known'

/** Recipients a holder remembers at most (the oldest seen are forgotten first). */
export const MAX_KNOWN = 10_000

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

interface Meta extends HeldSize {
  readonly seq: number
  readonly expires: number
}

/** What became of a deposit. */
export type PutResult = 'held' | 'already' | Refusal

export class HolderStore {
  readonly quota: HolderQuota
  private readonly ds: Datastore
  /** Envelope ID (hex) to what the quota and the sweep need. */
  private readonly index = new Map<string, Meta>()
  /** `from>to#seq` to the ID held under it: one envelope per number. */
  private readonly numbers = new Map<string, string>()
  /** Recipient peer ID text to when it was last known here (ms). */
  private readonly known = new Map<string, number>()

  constructor (datastore: Datastore, limits: HolderLimits) {
    this.ds = datastore
    this.quota = new HolderQuota(limits)
  }

  /** Reads what was held before a restart; an entry that no longer decodes is dropped. */
  async load (): Promise<void> {
    this.index.clear()
    this.numbers.clear()
    this.quota.clear()
    this.known.clear()
    for await (const { key, value } of this.ds.query({ prefix: HELD + '/' })) {
      const [to, id] = key.toString().slice(HELD.length + 1).split('/')
      try {
        const e = decodeEnvelope(value)
        this.remember(id, { from: peerText(e.from), to, size: value.length, seq: e.seq, expires: e.expires })
      } catch {
        await this.ds.delete(key)
      }
    }
    for await (const { key, value } of this.ds.query({ prefix: KNOWN + '/' })) {
      const at = decodeCanonical(value, { maxBytes: 16 })
      if (typeof at === 'number') this.known.set(key.toString().slice(KNOWN.length + 1), at)
    }
  }

  /** Keeps a checked envelope for `to` from `from` (peer ID texts), within the quota. */
  async put (received: Received, from: string, to: string): Promise<PutResult> {
    const id = hex(received.id)
    if (this.index.has(id)) return 'already'
    const number = `${from}>${to}#${received.envelope.seq}`
    if (this.numbers.has(number)) return 'conflict'
    const meta: Meta = { from, to, size: received.bytes.length, seq: received.envelope.seq, expires: received.envelope.expires }
    const refusal = this.quota.refusal(meta)
    if (refusal != null) return refusal
    this.remember(id, meta)
    await this.ds.put(new Key(`${HELD}/${to}/${id}`), received.bytes)
    return 'held'
  }

  /** The envelopes held for `to`, as stored. */
  async list (to: string): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for await (const { value } of this.ds.query({ prefix: `${HELD}/${to}/` })) out.push(value)
    return out
  }

  /** Drops the envelopes with these IDs held for `to` (and no one else's); how many there were. */
  async remove (to: string, ids: readonly Uint8Array[]): Promise<number> {
    let n = 0
    for (const raw of ids) {
      const id = hex(raw)
      const meta = this.index.get(id)
      if (meta == null || meta.to !== to) continue
      await this.drop(id, meta)
      n++
    }
    return n
  }

  /** Drops every envelope expired by `now`; how many. */
  async sweep (now: number): Promise<number> {
    let n = 0
    for (const [id, meta] of [...this.index]) {
      if (meta.expires > now) continue
      await this.drop(id, meta)
      n++
    }
    return n
  }

  /** Envelopes held for `to` now. */
  heldFor (to: string): number {
    let n = 0
    for (const meta of this.index.values()) if (meta.to === to) n++
    return n
  }

  /** When `peer` was last known here (a reservation or a collection), if it was. */
  knownAt (peer: string): number | undefined {
    return this.known.get(peer)
  }

  /** Remembers `peer` as a recipient this holder knows, as of `at`. */
  async markKnown (peer: string, at: number): Promise<void> {
    this.known.delete(peer)
    this.known.set(peer, at)
    await this.ds.put(new Key(`${KNOWN}/${peer}`), encodeCanonical(at))
    while (this.known.size > MAX_KNOWN) {
      const oldest = this.known.keys().next().value as string
      this.known.delete(oldest)
      await this.ds.delete(new Key(`${KNOWN}/${oldest}`))
    }
  }

  private remember (id: string, meta: Meta): void {
    this.index.set(id, meta)
    this.numbers.set(`${meta.from}>${meta.to}#${meta.seq}`, id)
    this.quota.add(meta)
  }

  private async drop (id: string, meta: Meta): Promise<void> {
    this.index.delete(id)
    this.numbers.delete(`${meta.from}>${meta.to}#${meta.seq}`)
    this.quota.remove(meta)
    await this.ds.delete(new Key(`${HELD}/${meta.to}/${id}`))
  }
}

/** A peer ID's text from its multihash bytes (base58btc, as libp2p writes it). */
export function peerText (peer: Uint8Array): string {
  return peerIdOfBytes(peer).toString()
}
