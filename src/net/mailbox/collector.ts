// One collection round of a recipient (protocols/mailbox.md, "Collecting"): ask each holder for
// what it keeps, check every envelope (signature, recipient, box), put each sender's in chain
// order (chain.ts), write the chains and the delivered envelopes, tell the application, then have
// the holders delete what is done with. A holder that serves something bad is named and pays.
import { WireError } from '../../wire/errors.js'
import { bySender, sortSender, type SeqRange } from './chain.js'
import { peerText } from './holder-store.js'
import { checkCollected, openEnvelope, type Received } from './wire/envelope.js'
import { DELETED_REMEMBERED } from './constants.js'
import type { MailState } from './mail-state.js'
import type { MailboxKind } from './wire/limits.js'
import type { HolderAddress } from './client.js'
import type { AbortOptions, Logger, PrivateKey } from '@libp2p/interface'

/** An envelope delivered to this node, opened. */
export interface MailboxItem {
  /** The envelope's ID (hex of its SHA-256). */
  readonly id: string
  /** The sender's peer ID. */
  readonly from: string
  readonly seq: number
  readonly kind: MailboxKind
  /** When the sender sealed it, and when holders drop it (ms since the epoch, the sender's clock). */
  readonly at: number
  readonly expires: number
  readonly payload: Uint8Array
}

/** Why a holder's envelope was refused by the recipient. */
export type FaultReason = 'malformed' | 'bad-signature' | 'wrong-recipient' | 'undecryptable' | 'broken-chain' | 'replay'

export interface MailboxFault { readonly holder: string, readonly reason: FaultReason, readonly detail: string, readonly from?: string, readonly seq?: number }

/** What a round found. */
export interface CollectReport {
  /** Each holder asked: whether it answered, and what went wrong if not. */
  readonly holders: ReadonlyArray<{ readonly peer: string, readonly ok: boolean, readonly error?: string }>
  readonly delivered: readonly MailboxItem[]
  /** Envelopes held back behind a gap. */
  readonly waiting: number
  readonly missing: ReadonlyArray<SeqRange & { readonly from: string }>
  readonly skipped: ReadonlyArray<SeqRange & { readonly from: string }>
  readonly faults: readonly MailboxFault[]
}

export interface CollectorDeps {
  readonly log: Logger
  readonly now: () => number
  readonly me: Uint8Array
  readonly privateKey: PrivateKey
  readonly state: MailState
  readonly gapWaitMs: number
  readonly fetch: (holder: HolderAddress, options: AbortOptions) => Promise<Uint8Array[]>
  readonly remove: (holder: HolderAddress, ids: readonly Uint8Array[], options: AbortOptions) => Promise<number>
  /** Hands each item to the application, in order per sender. */
  readonly deliver: (item: MailboxItem) => void
  readonly fault: (fault: MailboxFault) => void
  readonly missing: (gap: SeqRange & { from: string }, given: 'missing' | 'skipped') => void
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export class Collector {
  private readonly deps: CollectorDeps
  /** Per holder, the IDs it was told to delete and said it had: served again, they are replays. */
  private readonly deleted = new Map<string, Set<string>>()

  constructor (deps: CollectorDeps) {
    this.deps = deps
  }

  /** One round over `holders`. */
  async round (holders: readonly HolderAddress[], options: AbortOptions = {}): Promise<CollectReport> {
    const { deps } = this
    const report: { holders: Array<{ peer: string, ok: boolean, error?: string }>, delivered: MailboxItem[], waiting: number, missing: Array<SeqRange & { from: string }>, skipped: Array<SeqRange & { from: string }>, faults: MailboxFault[] } =
      { holders: [], delivered: [], waiting: 0, missing: [], skipped: [], faults: [] }
    const fault = (f: MailboxFault): void => { report.faults.push(f); deps.fault(f) }
    // Per holder: what it served that is good, and what it must delete (bad, done with).
    const good = new Map<string, { received: Received, payload: Uint8Array, holders: Set<string> }>()
    const toDelete = new Map<string, Uint8Array[]>()
    const byPeer = new Map(holders.map(h => [h.peer.toString(), h]))
    await Promise.all(holders.map(async holder => {
      const peer = holder.peer.toString()
      let served: Uint8Array[]
      try {
        served = await deps.fetch(holder, options)
        report.holders.push({ peer, ok: true })
      } catch (err) {
        report.holders.push({ peer, ok: false, error: (err as Error).message })
        return
      }
      const dels: Uint8Array[] = []
      toDelete.set(peer, dels)
      for (const bytes of served) {
        let received: Received
        try {
          received = await checkCollected(bytes, deps.me)
        } catch (err) {
          if (!(err instanceof WireError)) throw err
          const reason: FaultReason = err.reason === 'bad-signature' || err.reason === 'wrong-recipient' ? err.reason : 'malformed'
          fault({ holder: peer, reason, detail: err.message })
          continue
        }
        const id = hex(received.id)
        if (this.deleted.get(peer)?.has(id) === true) {
          fault({ holder: peer, reason: 'replay', detail: 'it served an envelope it had deleted', from: peerText(received.envelope.from), seq: received.envelope.seq })
          dels.push(received.id)
          continue
        }
        const known = good.get(id)
        if (known != null) { known.holders.add(peer); continue }
        let payload: Uint8Array
        try {
          payload = openEnvelope(received.envelope, deps.privateKey)
        } catch (err) {
          fault({ holder: peer, reason: 'undecryptable', detail: (err as Error).message, from: peerText(received.envelope.from), seq: received.envelope.seq })
          dels.push(received.id)
          continue
        }
        good.set(id, { received, payload, holders: new Set([peer]) })
      }
    }))
    const done: Received[] = []
    for (const [, items] of bySender([...good.values()].map(g => g.received))) {
      const from = peerText(items[0].envelope.from)
      const sorted = sortSender(await deps.state.chain(from), items, deps.now(), deps.gapWaitMs)
      await deps.state.deliver(from, sorted.chain, sorted.deliver)
      for (const r of sorted.deliver) {
        const e = r.envelope
        const item: MailboxItem = { id: hex(r.id), from, seq: e.seq, kind: e.kind, at: e.at, expires: e.expires, payload: good.get(hex(r.id))!.payload }
        report.delivered.push(item)
        deps.deliver(item)
      }
      for (const r of sorted.broken) fault({ holder: [...good.get(hex(r.id))!.holders].join(','), reason: 'broken-chain', detail: `envelope ${r.envelope.seq} does not follow the one delivered before`, from, seq: r.envelope.seq })
      if (sorted.missing != null) { report.missing.push({ ...sorted.missing, from }); deps.missing({ ...sorted.missing, from }, 'missing') }
      if (sorted.skipped != null) { report.skipped.push({ ...sorted.skipped, from }); deps.missing({ ...sorted.skipped, from }, 'skipped') }
      report.waiting += sorted.waiting.length
      done.push(...sorted.deliver, ...sorted.old, ...sorted.broken)
    }
    for (const r of done) for (const peer of good.get(hex(r.id))!.holders) toDelete.get(peer)?.push(r.id)
    await Promise.all([...toDelete].filter(([, ids]) => ids.length > 0).map(async ([peer, ids]) => {
      try {
        await deps.remove(byPeer.get(peer)!, ids, options)
        this.remember(peer, ids)
      } catch (err) {
        deps.log('could not have holder %s delete %d envelopes - %e', peer, ids.length, err)
      }
    }))
    return report
  }

  private remember (peer: string, ids: readonly Uint8Array[]): void {
    const set = this.deleted.get(peer) ?? new Set<string>()
    for (const id of ids) set.add(hex(id))
    // Bounded: the oldest are forgotten first (a Set keeps insertion order).
    for (const old of set) { if (set.size <= DELETED_REMEMBERED) break; set.delete(old) }
    this.deleted.set(peer, set)
  }
}
