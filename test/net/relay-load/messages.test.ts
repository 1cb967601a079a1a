// The load report's codec (protocols/relay-load.md): one small map, checked in the order every
// p2pgo decoder follows, and refused with a RelayLoadError whose reason a client can act on.
import { describe, expect, it } from 'vitest'
import { decodeRelayLoad, encodeRelayLoad, MAX_LOAD_NUMBER, RELAY_LOAD_MAX_BYTES, RelayLoadError, type RelayLoad } from '../../../src/net/relay-load/index.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'

const load: RelayLoad = { reservations: 2, maxReservations: 15, circuits: 1, maxCircuits: 15, refused: 0 }
const report = (fields: Record<string, unknown>): Uint8Array => encodeCanonical({ v: 1, t: 'load', reservations: 2, maxReservations: 15, circuits: 1, refused: 0, ...fields })
const without = (key: string): Uint8Array => {
  const fields: Record<string, unknown> = { v: 1, t: 'load', reservations: 2, maxReservations: 15, circuits: 1, refused: 0 }
  delete fields[key]
  return encodeCanonical(fields)
}

/** The reason a decode is refused with, or 'accepted'. */
const reasonOf = (bytes: Uint8Array): string => {
  try {
    decodeRelayLoad(bytes)
    return 'accepted'
  } catch (err) {
    if (!(err instanceof RelayLoadError)) return `not a RelayLoadError: ${String(err)}`
    return err.reason
  }
}

describe('the relay load report', () => {
  it('comes back as it was sent, with and without a circuit limit', () => {
    expect(decodeRelayLoad(encodeRelayLoad(load))).toEqual(load)
    const { maxCircuits, ...open } = load
    expect(decodeRelayLoad(encodeRelayLoad(open))).toEqual(open)
  })

  it('is small: a full report of the largest numbers fits the limit', () => {
    const big = { reservations: MAX_LOAD_NUMBER, maxReservations: MAX_LOAD_NUMBER, circuits: MAX_LOAD_NUMBER, maxCircuits: MAX_LOAD_NUMBER, refused: MAX_LOAD_NUMBER }
    expect(encodeRelayLoad(big).length).toBeLessThanOrEqual(RELAY_LOAD_MAX_BYTES)
    expect(decodeRelayLoad(encodeRelayLoad(big))).toEqual(big)
  })

  it.each([
    ['an unknown version', report({ v: 2 }), 'unknown-version'],
    ['another message type', report({ t: 'busy' }), 'malformed'],
    ['a count as text', report({ reservations: '2' }), 'malformed'],
    ['a negative count', report({ circuits: -1 }), 'malformed'],
    ['a fraction', report({ refused: 1.5 }), 'malformed'],
    ['a huge number', report({ maxReservations: MAX_LOAD_NUMBER + 1 }), 'malformed'],
    ['a missing field', without('refused'), 'malformed'],
    ['an extra field', report({ load: 0 }), 'malformed'],
    ['more reservations than the limit', report({ reservations: 16 }), 'out-of-range'],
    ['more circuits than the limit', report({ circuits: 3, maxCircuits: 2 }), 'out-of-range'],
    ['a limit of zero reservations', report({ reservations: 0, maxReservations: 0 }), 'out-of-range'],
    ['not CBOR', Uint8Array.of(0xff, 0x00), 'malformed'],
    ['a map in a non-canonical order', Uint8Array.of(0xa2, 0x61, 0x76, 0x01, 0x61, 0x74, 0x64, 0x6c, 0x6f, 0x61, 0x64), 'malformed'],
    ['more bytes than the limit', new Uint8Array(RELAY_LOAD_MAX_BYTES + 1), 'too-large']
  ])('refuses %s', (_, bytes, reason) => {
    expect(reasonOf(bytes)).toBe(reason)
  })

  it('says what was wrong in words, naming the relay when it is known', () => {
    try {
      decodeRelayLoad(report({ reservations: 16 }), 'the relay 12D3KooWExample')
      expect.unreachable('the report was accepted')
    } catch (err) {
      expect(err).toBeInstanceOf(RelayLoadError)
      expect((err as Error).message).toMatch(/12D3KooWExample/)
      expect((err as Error).message).toMatch(/16 reservations.*15/)
    }
  })

  it('never sends what it would refuse: counts are capped at the limits and at the largest number', () => {
    const sent = decodeRelayLoad(encodeRelayLoad({ reservations: 20, maxReservations: 15, circuits: 9, maxCircuits: 4, refused: 5_000_000 }))
    expect(sent).toEqual({ reservations: 15, maxReservations: 15, circuits: 4, maxCircuits: 4, refused: MAX_LOAD_NUMBER })
  })
})
