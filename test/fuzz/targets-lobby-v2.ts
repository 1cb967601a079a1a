// Fuzz targets of lobby version 2 (protocols/lobby.md, "Version 2"): checkLobbyV2 on gossip bytes
// and checkSyncAnswer on catch-up answers. Random bytes rarely pass a signature, so each target
// also has its author re-sign whatever map the broken bytes still hold: the checks behind the
// signature (expiry, census period, peer record, the answer's counts) get fuzzed too.
import fc from 'fast-check'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { WireError } from '../../src/wire/errors.js'
import { sign } from '../../src/wire/signing.js'
import { LobbyMessageError } from '../../src/net/lobby/errors.js'
import { LOBBY_V2_MAX_BYTES, SYNC_ANSWER_MAX_BYTES } from '../../src/net/lobby/v2/limits.js'
import { checkLobbyV2 } from '../../src/net/lobby/v2/messages.js'
import { lobbyV2Domain } from '../../src/net/lobby/v2/sign.js'
import { checkSyncAnswer, decodeSyncAnswer } from '../../src/net/lobby/v2/sync-messages.js'
import { lobbyMessageArb } from './arbitraries.js'
import { hostileBytes } from './mutate.js'
import type { Corpus } from './corpus.js'
import type { FuzzTarget } from './harness.js'
import type { PrivateKey } from '@libp2p/interface'

/** The MAX_TTL the targets check with (3 × 30 s + 5 min, as the vectors). */
const MAX_TTL = 390_000

const sig = fc.uint8Array({ minLength: 64, maxLength: 64 })

/** A game ID for live entries. */
const GAME = cidOf({ fuzz: 'live' })

/** Valid-shaped live entries (signature not valid) of `peer` playing `other`, either colour. */
function liveArb (peer: Uint8Array, other: Uint8Array, now: number): fc.Arbitrary<Record<string, unknown>> {
  const rating = fc.record({ mu: fc.double({ min: -50, max: 80, noNaN: true }), sigma: fc.double({ min: 0.01, max: 20, noNaN: true }) })
  return fc.tuple(fc.boolean(), fc.option(fc.record({ B: rating, W: rating }), { nil: undefined }), sig).chain(([black, ratings, s]) => fc.record({
    v: fc.constant(2), t: fc.constant('live'), peer: fc.constant(peer), game: fc.constant(GAME), size: fc.constantFrom(9, 13, 19),
    black: fc.constant(black ? peer : other), white: fc.constant(black ? other : peer),
    names: fc.record({ B: fc.string({ minLength: 1, maxLength: 32 }), W: fc.string({ minLength: 1, maxLength: 32 }) }),
    ply: fc.integer({ min: 0, max: 4000 }), watchers: fc.nat(), expires: fc.constant(now + 60_000), seq: fc.nat(), sig: fc.constant(s)
  }).map(m => ratings != null ? { ...m, ratings } : m))
}

/** Valid-shaped version 2 messages (signature not valid): version 1's presence, seek and cancel as version 2, leave, census, and live entries against `other` when given. */
export function lobbyV2MessageArb (peer: Uint8Array, now: number, other?: Uint8Array): fc.Arbitrary<Record<string, unknown>> {
  const v1AsV2 = fc.tuple(lobbyMessageArb, sig).map(([m, s]) => {
    const { status: _status, ...rest } = m
    return { ...rest, v: 2, peer, ...(Object.hasOwn(rest, 'expires') ? { expires: now + 60_000 } : {}), sig: s }
  })
  return fc.oneof(
    { arbitrary: v1AsV2, weight: 3 },
    fc.record({ v: fc.constant(2), t: fc.constant('leave'), peer: fc.constant(peer), seq: fc.nat(), sig }),
    fc.record({
      v: fc.constant(2), t: fc.constant('census'), peer: fc.constant(peer), state: fc.constantFrom('open', 'playing', 'online'),
      sizes: fc.subarray([9, 13, 19]), period: fc.integer({ min: Math.floor(now / 60_000) - 8, max: Math.floor(now / 60_000) + 8 }),
      p: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), sig
    }),
    ...(other != null ? [liveArb(peer, other, now)] : [])
  )
}

/** The map `bytes` decode to, signed again by `key` in the domain its `t` names; undefined when there is none. */
async function resigned (bytes: Uint8Array, key: PrivateKey, maxBytes: number): Promise<Uint8Array | undefined> {
  let value: unknown
  try { value = decodeCanonical(bytes, { maxBytes }) } catch { return undefined }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return undefined
  const map = value as Record<string, unknown>
  const t = typeof map.t === 'string' && /^[a-z0-9-]{1,32}$/.test(map.t) ? map.t : 'presence'
  try {
    return encodeCanonical(await sign(key, lobbyV2Domain(t), map))
  } catch {
    return undefined
  }
}

function refusal (checked: { error: WireError | LobbyMessageError } | object): void {
  if ('error' in checked) throw checked.error
}

export function lobbyV2Targets (c: Corpus): FuzzTarget[] {
  const fromB = peerIdFromPrivateKey(c.keys.B)
  const now = c.now
  const messages = lobbyV2MessageArb(c.peers.B, now, c.peers.W)
  const entry = hostileBytes(messages, LOBBY_V2_MAX_BYTES)
  return [
    {
      name: 'lobby-v2',
      decoder: 'checkLobbyV2 (lobby v2 gossip: presence, seek, cancel, leave, census, live), also re-signed by its author',
      input: fc.tuple(hostileBytes(messages, LOBBY_V2_MAX_BYTES), fc.boolean()),
      // checkLobbyV2 returns its refusals (thrown here, so the report counts them by reason); it throws only for a bug of ours.
      run: async ([bytes, gossip]: [Uint8Array, boolean]) => {
        const opts = gossip ? { from: fromB, maxTtl: MAX_TTL } : { maxTtl: MAX_TTL }
        const first = await checkLobbyV2(bytes, now, opts)
        const signed = await resigned(bytes, c.keys.B, LOBBY_V2_MAX_BYTES)
        if (signed != null) refusal(await checkLobbyV2(signed, now, opts))
        refusal(first)
      },
      allowed: [WireError, LobbyMessageError],
      show: ([bytes, gossip]: [Uint8Array, boolean]) => `hex:${Buffer.from(bytes).toString('hex').slice(0, 400)} ${gossip ? 'by gossip' : 'handed on'}`
    },
    {
      name: 'lobby-sync-answer',
      decoder: 'decodeSyncAnswer + checkSyncAnswer (/p2pgo/lobby-sync/2.0.0), entries also re-signed by their author',
      input: hostileBytes(fc.record({ v: fc.constant(2), t: fc.constant('sync-answer'), entries: fc.array(entry, { maxLength: 6 }) }), SYNC_ANSWER_MAX_BYTES),
      run: async (bytes: Uint8Array) => {
        const first = await checkSyncAnswer(bytes, now, { maxTtl: MAX_TTL })
        let entries: readonly Uint8Array[] | undefined
        try { entries = decodeSyncAnswer(bytes).entries } catch { entries = undefined }
        if (entries != null) {
          const signed = await Promise.all(entries.map(async e => await resigned(e, c.keys.B, LOBBY_V2_MAX_BYTES) ?? e))
          refusal(await checkSyncAnswer(encodeCanonical({ v: 2, t: 'sync-answer', entries: signed.filter(e => e.length <= LOBBY_V2_MAX_BYTES) }), now, { maxTtl: MAX_TTL }))
        }
        refusal(first)
      },
      allowed: [WireError, LobbyMessageError]
    }
  ]
}
