// What one holder keeps for whom (protocols/mailbox.md, "Holder limits"): counts and bytes per
// sender, per recipient and per pair, and in all. Pure accounting: the store calls it as it adds
// and drops envelopes; the limits are tunables with defaults, as gossipsub's score params.
import type { Refusal } from './wire/errors.js'

export interface HolderLimits {
  /** Envelopes one sender may have held here, for all its recipients. */
  readonly perSender: number
  /** Bytes one sender may have held here. */
  readonly perSenderBytes: number
  /** Envelopes held here for one recipient, from all senders. */
  readonly perRecipient: number
  /** Bytes held here for one recipient. */
  readonly perRecipientBytes: number
  /** Envelopes one sender may have held here for one recipient: a long correspondence game's acts between two visits. */
  readonly perPair: number
  /** Bytes held in all (the envelopes as stored; the datastore's keys add ~100 bytes each). */
  readonly totalBytes: number
}

/** A bootstrap relay's defaults: 64 MiB in all; a sender's share is 1/64 of it, a recipient's 1/16. */
export const DEFAULT_HOLDER_LIMITS: HolderLimits = {
  perSender: 128,
  perSenderBytes: 1024 * 1024,
  perRecipient: 512,
  perRecipientBytes: 4 * 1024 * 1024,
  perPair: 64,
  totalBytes: 64 * 1024 * 1024
}

/** Limits from partial overrides, checked: every one a positive whole number. */
export function createHolderLimits (partial: Partial<HolderLimits> = {}): HolderLimits {
  const limits = { ...DEFAULT_HOLDER_LIMITS, ...partial }
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`mailbox holder limit ${k} must be a whole number of at least 1, not ${String(v)}`)
  }
  return limits
}

interface Usage { count: number, bytes: number }

/** One envelope as the quota sees it. */
export interface HeldSize { readonly from: string, readonly to: string, readonly size: number }

/** The counts behind the limits. */
export class HolderQuota {
  readonly limits: HolderLimits
  private readonly senders = new Map<string, Usage>()
  private readonly recipients = new Map<string, Usage>()
  private readonly pairs = new Map<string, Usage>()
  private total: Usage = { count: 0, bytes: 0 }

  constructor (limits: HolderLimits) {
    this.limits = limits
  }

  /** Why this envelope cannot be held now, or undefined when it fits. */
  refusal (e: HeldSize): Refusal | undefined {
    const s = this.senders.get(e.from) ?? { count: 0, bytes: 0 }
    const r = this.recipients.get(e.to) ?? { count: 0, bytes: 0 }
    const p = this.pairs.get(`${e.from}>${e.to}`) ?? { count: 0, bytes: 0 }
    if (p.count + 1 > this.limits.perPair) return 'quota-pair'
    if (s.count + 1 > this.limits.perSender || s.bytes + e.size > this.limits.perSenderBytes) return 'quota-sender'
    if (r.count + 1 > this.limits.perRecipient || r.bytes + e.size > this.limits.perRecipientBytes) return 'quota-recipient'
    if (this.total.bytes + e.size > this.limits.totalBytes) return 'full'
    return undefined
  }

  add (e: HeldSize): void { this.change(e, 1) }

  remove (e: HeldSize): void { this.change(e, -1) }

  /** Envelopes and bytes held in all. */
  usage (): { count: number, bytes: number } {
    return { ...this.total }
  }

  /** Envelopes and bytes one sender has held here. */
  ofSender (from: string): { count: number, bytes: number } {
    return { ...(this.senders.get(from) ?? { count: 0, bytes: 0 }) }
  }

  clear (): void {
    this.senders.clear()
    this.recipients.clear()
    this.pairs.clear()
    this.total = { count: 0, bytes: 0 }
  }

  private change (e: HeldSize, sign: 1 | -1): void {
    bump(this.senders, e.from, e.size, sign)
    bump(this.recipients, e.to, e.size, sign)
    bump(this.pairs, `${e.from}>${e.to}`, e.size, sign)
    this.total = { count: this.total.count + sign, bytes: this.total.bytes + sign * e.size }
  }
}

function bump (map: Map<string, Usage>, key: string, size: number, sign: 1 | -1): void {
  const u = map.get(key) ?? { count: 0, bytes: 0 }
  const next = { count: u.count + sign, bytes: u.bytes + sign * size }
  if (next.count <= 0) map.delete(key)
  else map.set(key, next)
}
