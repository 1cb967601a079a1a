import { InvalidReputationEventError } from './errors.js'

/**
 * What a node saw a peer do. Peers are peer IDs as text, `rna` an RNA ID, `at` ms since the
 * epoch, quality in [0, 1].
 */
export type ReputationEvent =
  /** The peer created (signed) a valid new RNA this node accepted. */
  | { readonly kind: 'originated', readonly peer: string, readonly rna: string, readonly quality: number, readonly at: number }
  /** The peer was the first to deliver to this node a valid new RNA created by `origin`. */
  | { readonly kind: 'delivered', readonly peer: string, readonly rna: string, readonly origin: string, readonly quality: number, readonly at: number }
  /** The peer delivered an RNA that failed validation. */
  | { readonly kind: 'invalid', readonly peer: string, readonly reason: string, readonly at: number, readonly rna?: string }
  /** The peer created a valid but worthless RNA (below the quality floor: tiny, duplicate). */
  | { readonly kind: 'spam', readonly peer: string, readonly rna: string, readonly quality: number, readonly at: number }
  /** The peer's rating record failed its audit. */
  | { readonly kind: 'audit-failed', readonly peer: string, readonly at: number }

export type ReputationEventKind = ReputationEvent['kind']

const KINDS: readonly string[] = ['originated', 'delivered', 'invalid', 'spam', 'audit-failed']

/** Refuses events that would make a score meaningless; returns the event. */
export function checkEvent (e: ReputationEvent): ReputationEvent {
  if (!KINDS.includes(e.kind)) throw new InvalidReputationEventError('unknown-kind', `unknown event kind ${String(e.kind)}`)
  if (typeof e.peer !== 'string' || e.peer.length === 0) throw new InvalidReputationEventError('no-peer', 'an event needs a peer')
  if (!Number.isFinite(e.at) || e.at < 0) throw new InvalidReputationEventError('bad-time', `event time ${e.at} is not a time`)
  if ('quality' in e && !(Number.isFinite(e.quality) && e.quality >= 0 && e.quality <= 1)) {
    throw new InvalidReputationEventError('bad-quality', `quality ${e.quality} is not in [0, 1]`)
  }
  if (e.kind === 'delivered' && (typeof e.origin !== 'string' || e.origin.length === 0)) throw new InvalidReputationEventError('no-peer', 'a delivery needs its origin')
  return e
}
