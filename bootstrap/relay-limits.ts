// The bootstrap relay's limits, made for games (bootstrap/README.md, "Relay limits, and why"): what one relay holds for everyone, what
// one address or one peer may take of it, and how long and how much one circuit may carry. Pure:
// the tunables (interface, frozen defaults, `createRelayLimits`, `validateRelayLimits`) and the
// two decisions the relay quota applies to a live relay (bootstrap/relay-quota.ts).
import { RELAY_MAX_RESERVATIONS } from '../src/net/constants.js'
import { hour, minute, second } from '../src/units.js'
import { describeValue } from '../src/config/problem-text.js'
import { wholeNumberProblem } from '../src/config/validation.js'
import type { RelayServerLimits } from '../src/net/libp2p-defaults.js'

const KiB = 1024
const MiB = 1024 * KiB

/** Every limit of the bootstrap relay; whole numbers, durations in ms, data in bytes. */
export interface RelayLimits {
  /** Reservations the relay holds at once, from everyone. */
  readonly maxReservations: number
  /** Reservations held by peers connected from one IP address (one /64 for IPv6). */
  readonly maxReservationsPerIp: number
  /** Circuits (relayed connections) open through the relay at once. */
  readonly maxCircuits: number
  /** Circuits one source peer may have open through the relay at once. */
  readonly maxCircuitsPerPeer: number
  /** How long one circuit may last before the relay cuts it, ms. */
  readonly circuitDurationMs: number
  /** Bytes one circuit may carry, both directions together, before the relay cuts it. */
  readonly circuitDataBytes: number
  /** How long a reservation lasts unless its holder renews it, ms. */
  readonly reservationTtlMs: number
  /** How long a hop request (reserve or connect) may take before the relay gives up on it, ms. */
  readonly hopTimeoutMs: number
  /** Connections open at once from one IP address (one /64 for IPv6); more are refused before any handshake. */
  readonly maxConnectionsPerIp: number
}

/** The names of the limits, in the order they are checked and documented. */
export const RELAY_LIMIT_FIELDS: ReadonlyArray<keyof RelayLimits> = Object.freeze([
  'maxReservations', 'maxReservationsPerIp', 'maxCircuits', 'maxCircuitsPerPeer',
  'circuitDurationMs', 'circuitDataBytes', 'reservationTtlMs', 'hopTimeoutMs', 'maxConnectionsPerIp'
])

/** The relay's limits unless the daemon's config file says otherwise. */
export const defaultRelayLimits: RelayLimits = Object.freeze({
  // A reservation costs the relay a map entry and a timer; libp2p's 15 is a handful of games (src/net/constants.ts).
  maxReservations: RELAY_MAX_RESERVATIONS,
  // A household, a club or a carrier-grade NAT shares one address; 8 lets them all in, and one address cannot take more than 1/128 of the relay.
  maxReservationsPerIp: 8,
  // One relayed game is one circuit; as many circuits as reservations lets every reserved player play at once.
  maxCircuits: RELAY_MAX_RESERVATIONS,
  // A player plays one or two games at a time, plus a challenge or a WebRTC signalling in flight; more is a scan or a flood.
  maxCircuitsPerPeer: 4,
  // A 19x19 game with byo-yomi lasts hours (libp2p's 2 minutes would cut every game); 6 h covers a long one with pauses.
  circuitDurationMs: 6 * hour,
  // A whole game's signed acts are a few hundred KiB (libp2p's 128 KiB cuts one mid-game); 64 MiB leaves room for chat, queries and retries, and bounds one circuit's cost.
  circuitDataBytes: 64 * MiB,
  // The relay keeps a reservation after its holder leaves; 1 h (go-libp2p's default) frees departed players' slots sooner than libp2p's 2 h, and clients renew 5 min before expiry.
  reservationTtlMs: hour,
  // A reservation or connect exchange is two small messages (clients give up on a reservation after 5 s); a stalled peer holds a hop handler no longer than this.
  hopTimeoutMs: 15 * second,
  // A player keeps one connection to a bootstrap relay (two for a moment when both dial): 16 lets
  // twice maxReservationsPerIp players share an address, and bounds what one address holds of
  // the relay (go-libp2p's resource manager allows 8 per IPv4 address).
  maxConnectionsPerIp: 16
})

/** The accepted range of each limit: wide enough for any relay, narrow enough to catch a typo or a unit mistake. */
export const RELAY_LIMIT_RANGES: Readonly<Record<keyof RelayLimits, { readonly min: number, readonly max: number, readonly unit?: string }>> = Object.freeze({
  maxReservations: { min: 1, max: 100_000 },
  maxReservationsPerIp: { min: 1, max: 100_000 },
  maxCircuits: { min: 1, max: 100_000 },
  // The relay allows maxCircuitsPerPeer + 2 HOP streams per connection (relayServerLimits); 30 keeps
  // that at libp2p's own default of 32 streams of one protocol per connection.
  maxCircuitsPerPeer: { min: 1, max: 30 },
  circuitDurationMs: { min: second, max: 7 * 24 * hour, unit: 'ms' },
  // Under a few KiB not even the noise handshake and identify get through.
  circuitDataBytes: { min: 16 * KiB, max: Number.MAX_SAFE_INTEGER, unit: 'bytes' },
  // Clients renew 5 min before expiry (at the earliest 30 s after reserving): below 10 min they would renew nonstop.
  reservationTtlMs: { min: 10 * minute, max: 24 * hour, unit: 'ms' },
  hopTimeoutMs: { min: second, max: 5 * minute, unit: 'ms' },
  maxConnectionsPerIp: { min: 1, max: 100_000 }
})

/** One thing wrong with a set of limits: which field as given ('' for the whole) and a plain sentence without it. */
export interface RelayLimitsProblem {
  readonly field: string
  readonly message: string
}

/** Limits that cannot be used: `field` says which, the message is `field: sentence`. */
export class RelayLimitsError extends Error {
  static readonly code = 'ERR_RELAY_LIMITS'
  readonly code = RelayLimitsError.code
  readonly field: string
  /** The sentence without the field name. */
  readonly reason: string

  constructor (problem: RelayLimitsProblem) {
    super(problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`)
    this.name = 'RelayLimitsError'
    this.field = problem.field
    this.reason = problem.message
  }
}

/** The problem with one limit's value, or undefined when it is in range. */
export function relayLimitProblem (field: keyof RelayLimits, value: unknown): string | undefined {
  const { min, max, unit } = RELAY_LIMIT_RANGES[field]
  return wholeNumberProblem(value, min, max, unit)
}

/**
 * Every problem of a partial set of limits (as a config file gives it): unknown names, values out
 * of range, and, on the limits merged over the defaults, a per-IP or per-peer cap above the total.
 */
export function relayLimitsProblems (partial: unknown): RelayLimitsProblem[] {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    return [{ field: '', message: `expected an object of relay limits, got ${describeValue(partial)}` }]
  }
  const problems: RelayLimitsProblem[] = []
  for (const [key, value] of Object.entries(partial)) {
    if (!(RELAY_LIMIT_FIELDS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: `unknown setting (known: ${RELAY_LIMIT_FIELDS.join(', ')})` })
      continue
    }
    if (value === undefined) continue
    const message = relayLimitProblem(key as keyof RelayLimits, value)
    if (message != null) problems.push({ field: key, message })
  }
  if (problems.length > 0) return problems
  const merged = merge(partial as Partial<RelayLimits>)
  // Caps above their total are harmless but say the operator misread one of them.
  if (merged.maxReservationsPerIp > merged.maxReservations) {
    problems.push({ field: 'maxReservationsPerIp', message: `must not exceed maxReservations (${merged.maxReservations}), got ${merged.maxReservationsPerIp}` })
  }
  if (merged.maxCircuitsPerPeer > merged.maxCircuits) {
    problems.push({ field: 'maxCircuitsPerPeer', message: `must not exceed maxCircuits (${merged.maxCircuits}), got ${merged.maxCircuitsPerPeer}` })
  }
  return problems
}

function merge (partial: Partial<RelayLimits>): RelayLimits {
  const out: Record<string, number> = { ...defaultRelayLimits }
  // undefined means "not given", as in the daemon's flag overrides; it never replaces a default.
  for (const field of RELAY_LIMIT_FIELDS) {
    const value = partial[field]
    if (value !== undefined) out[field] = value
  }
  return out as unknown as RelayLimits
}

/** Throws `RelayLimitsError` for the first problem of `limits` (whole or partial). */
export function validateRelayLimits (limits: unknown): void {
  const problem = relayLimitsProblems(limits)[0]
  if (problem != null) throw new RelayLimitsError(problem)
}

/** The defaults with `partial` over them, validated (throws `RelayLimitsError`) and frozen. */
export function createRelayLimits (partial: Partial<RelayLimits> = {}): RelayLimits {
  validateRelayLimits(partial)
  return Object.freeze(merge(partial))
}

/** The part of the limits circuit-relay-v2's server applies itself (libp2pDefaults' `relayServer`); the rest is the quota's. */
export function relayServerLimits (limits: RelayLimits): RelayServerLimits {
  return {
    maxReservations: limits.maxReservations,
    durationLimitMs: limits.circuitDurationMs,
    dataLimitBytes: BigInt(limits.circuitDataBytes),
    reservationTtlMs: limits.reservationTtlMs,
    hopTimeoutMs: limits.hopTimeoutMs,
    // A peer's circuits, the request being decided and a reservation renewal: the quota answers a
    // source over its cap with a clean refusal, and nobody holds 32 streams of libp2p's default
    // (each may hold 4 KiB until it carries a circuit: the relay switch's HOP bound).
    maxInboundHopStreams: limits.maxCircuitsPerPeer + HOP_STREAM_MARGIN,
    maxCircuits: limits.maxCircuits
  }
}

/** HOP streams a connection may open beyond its circuit cap: the request being decided, and a renewal. */
export const HOP_STREAM_MARGIN = 2

// ---- decisions: pure functions of the limits and a snapshot of the relay's use.

/** How much of the relay is in use when a request arrives. */
export interface RelayUsage {
  /** Reservations held now, by everyone. */
  readonly reservations: number
  /** Reservations held now by peers at the requester's IP address, the requester's own excluded. */
  readonly reservationsOfIp: number
  /** Whether the requester already holds a reservation (a renewal). */
  readonly hasReservation: boolean
  /** Circuits open now through the relay, the requested one excluded. */
  readonly circuits: number
  /** Circuits the requesting source has open now, the requested one excluded. */
  readonly circuitsOfPeer: number
  /** Connections open now from the connecting address (its IP, or IPv6 /64), the new one excluded. */
  readonly connectionsOfIp: number
}

/** Why the relay says no. */
export type RelayRefusalReason = 'reservations-full' | 'ip-reservations' | 'circuits-full' | 'peer-circuits' | 'ip-connections'

/** Every refusal reason, for counters that show zeros too. */
export const RELAY_REFUSAL_REASONS: readonly RelayRefusalReason[] = Object.freeze(['reservations-full', 'ip-reservations', 'circuits-full', 'peer-circuits', 'ip-connections'])

/** A decision: allowed, or refused with the reason. */
export type RelayDecision = { readonly allow: true } | { readonly allow: false, readonly reason: RelayRefusalReason }

const ALLOW: RelayDecision = Object.freeze({ allow: true })

/**
 * Whether to grant a reservation. A renewal is always granted: the protocol renews by reserving
 * again, and refusing it would take a slot away from a player who holds it. Otherwise the relay
 * must have room, then the requester's address must be under its cap.
 */
export function decideReservation (limits: RelayLimits, usage: Pick<RelayUsage, 'reservations' | 'reservationsOfIp' | 'hasReservation'>): RelayDecision {
  if (usage.hasReservation) return ALLOW
  if (usage.reservations >= limits.maxReservations) return { allow: false, reason: 'reservations-full' }
  if (usage.reservationsOfIp >= limits.maxReservationsPerIp) return { allow: false, reason: 'ip-reservations' }
  return ALLOW
}

/** Whether to open a circuit: the relay must have room, then the source must be under its own cap. */
export function decideCircuit (limits: RelayLimits, usage: Pick<RelayUsage, 'circuits' | 'circuitsOfPeer'>): RelayDecision {
  if (usage.circuits >= limits.maxCircuits) return { allow: false, reason: 'circuits-full' }
  if (usage.circuitsOfPeer >= limits.maxCircuitsPerPeer) return { allow: false, reason: 'peer-circuits' }
  return ALLOW
}

/** Whether to accept a connection: its address must be under its cap. */
export function decideConnection (limits: RelayLimits, usage: Pick<RelayUsage, 'connectionsOfIp'>): RelayDecision {
  if (usage.connectionsOfIp >= limits.maxConnectionsPerIp) return { allow: false, reason: 'ip-connections' }
  return ALLOW
}
