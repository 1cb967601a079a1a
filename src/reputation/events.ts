// What a node saw a peer do, as plain values: the network layer records them, the maths scores them.
import { InvalidReputationEventError } from './errors.js'

/**
 * What a node saw a peer do. Peers are peer IDs as text, `rna` an RNA's CID as text, `at` ms since
 * the epoch, quality in [0, 1].
 */
export type ReputationEvent =
  /** The peer created (signed) a valid new RNA this node accepted. */
  | { readonly kind: 'originated', readonly peer: string, readonly rna: string, readonly quality: number, readonly at: number }
  /** The peer was the first to deliver to this node a valid new RNA created by `origin`. */
  | { readonly kind: 'delivered', readonly peer: string, readonly rna: string, readonly origin: string, readonly quality: number, readonly at: number }
  /** The peer delivered an RNA that failed validation (bad signature, illegal game, malformed). */
  | { readonly kind: 'invalid', readonly peer: string, readonly reason: string, readonly at: number, readonly rna?: string }
  /** The peer created an RNA that was valid but worthless (below the quality floor, a duplicate). */
  | { readonly kind: 'spam', readonly peer: string, readonly rna: string, readonly quality: number, readonly at: number }
  /** The peer's published rating record failed its audit (it lied about its rating). */
  | { readonly kind: 'audit-failed', readonly peer: string, readonly at: number }

/** The kinds of event. */
export type ReputationEventKind = ReputationEvent['kind']

/** Every kind, in the order the docs list them. */
export const REPUTATION_EVENT_KINDS: readonly ReputationEventKind[] = Object.freeze(['originated', 'delivered', 'invalid', 'spam', 'audit-failed'])

/** Kinds that earn (the rest cost). */
export function isGain (e: ReputationEvent): e is Extract<ReputationEvent, { kind: 'originated' | 'delivered' }> {
  return e.kind === 'originated' || e.kind === 'delivered'
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0

/** Returns the event, or throws InvalidReputationEventError saying why it makes no sense. */
export function checkEvent (e: ReputationEvent): ReputationEvent {
  // Events also come back from disk, so nothing about their shape is taken on trust.
  const u = e as unknown as Record<string, unknown>
  if (u == null || typeof u !== 'object') throw new InvalidReputationEventError('malformed', 'not an object')
  if (!(REPUTATION_EVENT_KINDS as readonly unknown[]).includes(u.kind)) throw new InvalidReputationEventError('unknown-kind', String(u.kind))
  if (!nonEmpty(u.peer)) throw new InvalidReputationEventError('no-peer')
  if (typeof u.at !== 'number' || !Number.isFinite(u.at) || u.at < 0) throw new InvalidReputationEventError('bad-time', String(u.at))
  if (e.kind === 'originated' || e.kind === 'delivered' || e.kind === 'spam') {
    if (typeof u.quality !== 'number' || !(u.quality >= 0 && u.quality <= 1)) throw new InvalidReputationEventError('bad-quality', String(u.quality))
    if (!nonEmpty(u.rna)) throw new InvalidReputationEventError('malformed', 'no RNA named')
  }
  if (e.kind === 'delivered' && !nonEmpty(u.origin)) throw new InvalidReputationEventError('no-origin')
  if (e.kind === 'invalid') {
    if (typeof u.reason !== 'string') throw new InvalidReputationEventError('malformed', 'no reason given')
    if (u.rna !== undefined && typeof u.rna !== 'string') throw new InvalidReputationEventError('malformed', 'the RNA is not text')
  }
  return e
}
