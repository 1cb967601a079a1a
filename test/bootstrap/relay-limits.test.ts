import { describe, expect, it } from 'vitest'
import {
  createRelayLimits, decideCircuit, decideConnection, decideReservation, defaultRelayLimits, RELAY_LIMIT_FIELDS,
  RelayLimitsError, relayServerLimits, validateRelayLimits
} from '../../bootstrap/relay-limits.js'
import type { RelayDecision, RelayLimits, RelayUsage } from '../../bootstrap/relay-limits.js'

describe('relay limits', () => {
  it('has valid, frozen defaults made for games', () => {
    expect(Object.isFrozen(defaultRelayLimits)).toBe(true)
    expect(() => { validateRelayLimits(defaultRelayLimits) }).not.toThrow()
    expect(Object.keys(defaultRelayLimits).sort()).toEqual([...RELAY_LIMIT_FIELDS].sort())
    // Far above libp2p's 2 minutes and 128 KiB, which cut a game off.
    expect(defaultRelayLimits.circuitDurationMs).toBeGreaterThanOrEqual(3 * 60 * 60 * 1000)
    expect(defaultRelayLimits.circuitDataBytes).toBeGreaterThanOrEqual(1024 * 1024)
    expect(defaultRelayLimits.maxReservationsPerIp).toBeLessThan(defaultRelayLimits.maxReservations)
  })

  it('creates limits from a partial, ignoring undefined, and freezes them', () => {
    const limits = createRelayLimits({ maxReservationsPerIp: 3, maxCircuits: undefined })
    expect(limits).toEqual({ ...defaultRelayLimits, maxReservationsPerIp: 3 })
    expect(Object.isFrozen(limits)).toBe(true)
    expect(createRelayLimits()).toEqual(defaultRelayLimits)
  })

  it.each<[Partial<Record<keyof RelayLimits, unknown>>, string, string]>([
    [{ maxReservationsPerIp: -3 }, 'maxReservationsPerIp', 'maxReservationsPerIp: must be a whole number from 1 to 100000, got -3'],
    [{ maxReservations: 0 }, 'maxReservations', 'maxReservations: must be a whole number from 1 to 100000, got 0'],
    [{ maxCircuits: 2.5 }, 'maxCircuits', 'maxCircuits: must be a whole number from 1 to 100000, got 2.5'],
    [{ maxCircuitsPerPeer: 31 }, 'maxCircuitsPerPeer', 'maxCircuitsPerPeer: must be a whole number from 1 to 30, got 31'],
    [{ circuitDurationMs: '6h' }, 'circuitDurationMs', 'circuitDurationMs: must be a whole number from 1000 to 604800000 (ms), got "6h"'],
    [{ circuitDataBytes: null }, 'circuitDataBytes', 'circuitDataBytes: must be a whole number from 16384 to 9007199254740991 (bytes), got null'],
    [{ reservationTtlMs: 60_000 }, 'reservationTtlMs', 'reservationTtlMs: must be a whole number from 600000 to 86400000 (ms), got 60000'],
    [{ hopTimeoutMs: Number.NaN }, 'hopTimeoutMs', 'hopTimeoutMs: must be a whole number from 1000 to 300000 (ms), got NaN'],
    [{ maxReservations: 10, maxReservationsPerIp: 11 }, 'maxReservationsPerIp', 'maxReservationsPerIp: must not exceed maxReservations (10), got 11'],
    [{ maxCircuits: 2, maxCircuitsPerPeer: 3 }, 'maxCircuitsPerPeer', 'maxCircuitsPerPeer: must not exceed maxCircuits (2), got 3'],
    [{ maxCircuts: 5 } as never, 'maxCircuts', 'maxCircuts: unknown setting (known: maxReservations, maxReservationsPerIp, maxCircuits, maxCircuitsPerPeer, circuitDurationMs, circuitDataBytes, reservationTtlMs, hopTimeoutMs, maxConnectionsPerIp)']
  ])('refuses %j with a named error', (partial, field, message) => {
    let caught: unknown
    try {
      createRelayLimits(partial as Partial<RelayLimits>)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(RelayLimitsError)
    expect((caught as RelayLimitsError).name).toBe('RelayLimitsError')
    expect((caught as RelayLimitsError).field).toBe(field)
    expect((caught as RelayLimitsError).message).toBe(message)
  })

  it('maps onto the circuit relay server\'s own options', () => {
    expect(relayServerLimits(createRelayLimits({ circuitDataBytes: 1 << 20 }))).toEqual({
      maxReservations: defaultRelayLimits.maxReservations,
      durationLimitMs: defaultRelayLimits.circuitDurationMs,
      dataLimitBytes: 1048576n,
      reservationTtlMs: defaultRelayLimits.reservationTtlMs,
      hopTimeoutMs: defaultRelayLimits.hopTimeoutMs,
      maxInboundHopStreams: defaultRelayLimits.maxCircuitsPerPeer + 2,
      maxCircuits: defaultRelayLimits.maxCircuits
    })
  })
})

const limits = createRelayLimits({ maxReservations: 10, maxReservationsPerIp: 3, maxCircuits: 5, maxCircuitsPerPeer: 2 })
const allow: RelayDecision = { allow: true }

describe('decideReservation', () => {
  it.each<[string, Pick<RelayUsage, 'reservations' | 'reservationsOfIp' | 'hasReservation'>, RelayDecision]>([
    ['an empty relay', { reservations: 0, reservationsOfIp: 0, hasReservation: false }, allow],
    ['room left for the address', { reservations: 9, reservationsOfIp: 2, hasReservation: false }, allow],
    ['the address at its cap', { reservations: 3, reservationsOfIp: 3, hasReservation: false }, { allow: false, reason: 'ip-reservations' }],
    ['the address over its cap', { reservations: 5, reservationsOfIp: 4, hasReservation: false }, { allow: false, reason: 'ip-reservations' }],
    ['the relay full', { reservations: 10, reservationsOfIp: 0, hasReservation: false }, { allow: false, reason: 'reservations-full' }],
    ['the relay full and the address at its cap', { reservations: 10, reservationsOfIp: 3, hasReservation: false }, { allow: false, reason: 'reservations-full' }],
    ['a renewal at the address cap', { reservations: 4, reservationsOfIp: 3, hasReservation: true }, allow],
    ['a renewal on a full relay', { reservations: 10, reservationsOfIp: 5, hasReservation: true }, allow]
  ])('%s', (_name, usage, decision) => {
    expect(decideReservation(limits, usage)).toEqual(decision)
  })
})

describe('decideCircuit', () => {
  it.each<[string, Pick<RelayUsage, 'circuits' | 'circuitsOfPeer'>, RelayDecision]>([
    ['no circuits', { circuits: 0, circuitsOfPeer: 0 }, allow],
    ['room for the peer and the relay', { circuits: 4, circuitsOfPeer: 1 }, allow],
    ['the peer at its cap', { circuits: 2, circuitsOfPeer: 2 }, { allow: false, reason: 'peer-circuits' }],
    ['the relay full', { circuits: 5, circuitsOfPeer: 0 }, { allow: false, reason: 'circuits-full' }],
    ['the relay full and the peer at its cap', { circuits: 5, circuitsOfPeer: 2 }, { allow: false, reason: 'circuits-full' }]
  ])('%s', (_name, usage, decision) => {
    expect(decideCircuit(limits, usage)).toEqual(decision)
  })
})

describe('decideConnection', () => {
  const capped = createRelayLimits({ maxConnectionsPerIp: 2 })
  it.each<[string, number, RelayDecision]>([
    ['a first connection', 0, allow],
    ['room left for the address', 1, allow],
    ['the address at its cap', 2, { allow: false, reason: 'ip-connections' }],
    ['the address over its cap', 3, { allow: false, reason: 'ip-connections' }]
  ])('%s', (_name, connectionsOfIp, decision) => {
    expect(decideConnection(capped, { connectionsOfIp })).toEqual(decision)
  })
})
