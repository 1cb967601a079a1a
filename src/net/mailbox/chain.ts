// The recipient's check of what holders hand it (protocols/mailbox.md, "Collecting"): per sender,
// envelopes are delivered exactly once and in the sender's order. Pure: the caller passes the
// envelopes collected (already checked for signature and recipient), the chain it keeps for the
// sender, and its clock.
import { equals } from 'multiformats/bytes'
import type { Received } from './wire/envelope.js'

/** What the recipient keeps per sender. */
export interface SenderChain {
  /** The sequence number it waits for next (1 before anything came). */
  readonly next: number
  /** The ID of the envelope with `next - 1`; absent before the first, and after a gap given up on (then any `prev` is taken). */
  readonly last?: Uint8Array
  /** Since when (ms) the envelope `next` has been missing while later ones wait. */
  readonly gapSince?: number
}

export const FRESH_CHAIN: SenderChain = { next: 1 }

/** A range of sequence numbers, both ends included. */
export interface SeqRange { readonly first: number, readonly last: number }

/** What became of one sender's envelopes. */
export interface Sorted {
  /** To hand to the application, in order. */
  readonly deliver: readonly Received[]
  /** Numbered below `next`: delivered before (or given up on); dropped. */
  readonly old: readonly Received[]
  /** Numbered `next` but not linked to the envelope before (`prev`): refused. */
  readonly broken: readonly Received[]
  /** After a gap: kept on the holders until the gap fills or is given up on. */
  readonly waiting: readonly Received[]
  /** The gap they wait on. */
  readonly missing?: SeqRange
  /** A gap given up on in this round: those numbers will not be delivered. */
  readonly skipped?: SeqRange
  readonly chain: SenderChain
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/**
 * Sorts one sender's envelopes against its chain: those that continue it are delivered in order;
 * a gap holds the later ones back until it has lasted `gapWaitMs`, then it is skipped (and the
 * envelope after it is taken whatever its `prev`). Duplicates (the same envelope from several
 * holders) count once.
 */
export function sortSender (chain: SenderChain, items: readonly Received[], now: number, gapWaitMs: number): Sorted {
  const seen = new Set<string>()
  const unique = items.filter(r => { const k = hex(r.id); if (seen.has(k)) return false; seen.add(k); return true })
  unique.sort((a, b) => a.envelope.seq - b.envelope.seq || Buffer.compare(a.id, b.id))
  const deliver: Received[] = []
  const old: Received[] = []
  const broken: Received[] = []
  let { next, last, gapSince } = chain
  let skipped: SeqRange | undefined
  for (let i = 0; i < unique.length; i++) {
    const r = unique[i]
    const { seq, prev } = r.envelope
    if (seq < next) { old.push(r); continue }
    if (seq > next) {
      if (gapSince == null || now - gapSince < gapWaitMs) {
        return { deliver, old, broken, waiting: unique.slice(i), missing: { first: next, last: seq - 1 }, chain: { next, ...(last != null ? { last } : {}), gapSince: gapSince ?? now } }
      }
      skipped = { first: next, last: seq - 1 }
      next = seq
      last = undefined
      gapSince = undefined
    }
    const linked = seq === 1 ? prev == null : last == null || (prev != null && equals(prev, last))
    if (!linked) { broken.push(r); continue }
    deliver.push(r)
    next = seq + 1
    last = r.id
  }
  return { deliver, old, broken, waiting: [], ...(skipped != null ? { skipped } : {}), chain: { next, ...(last != null ? { last } : {}) } }
}

/** The collected envelopes by sender (peer ID multihash bytes as hex). */
export function bySender (items: readonly Received[]): Map<string, Received[]> {
  const out = new Map<string, Received[]>()
  for (const r of items) {
    const k = hex(r.envelope.from)
    const list = out.get(k) ?? []
    list.push(r)
    out.set(k, list)
  }
  return out
}
