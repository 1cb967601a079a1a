// Valid-shaped messages of every protocol, derived from the CDDL in protocols/*.md, as the plain
// maps that go on the wire (v and t included). The fuzz targets encode them and break them
// (mutate.ts); fuzz.test.ts checks that the decoders accept them unbroken, so the mutations start
// from messages that reach the deepest checks.
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { hashBytes, DAG_CBOR_CODE } from '../../src/wire/cid.js'
import { maxFixedHandicap } from '../../src/game/handicap.js'

/** Whole milliseconds, as the time-control CDDL bounds them. */
const hour = 3_600_000
const day = 24 * hour

/** `#6.42(bstr)`: a dag-cbor CIDv1 over some bytes. */
export const cidArb: fc.Arbitrary<CID> = fc.uint8Array({ maxLength: 8 }).map(b => CID.createV1(DAG_CBOR_CODE, hashBytes(b)))

/** An Ed25519 peer ID multihash (identity hash of the protobuf public key) around 32 random bytes, or other bytes of 2..64. */
export const peerIdBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(k => Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...k])), weight: 3 },
  { arbitrary: fc.uint8Array({ minLength: 2, maxLength: 64 }), weight: 1 }
)

const noControls = (s: string): boolean => !/\p{Cc}/u.test(s)
/** `name`: 1 to 32 characters, no control characters, not only spaces. */
export const nameArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter(s => noControls(s) && s.trim() !== '' && [...s].length <= 32)
const shortText = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: max }).filter(noControls)

export const timeControlArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ kind: 'none' }),
  fc.record({ kind: fc.constant('absolute'), mainMs: fc.integer({ min: 1000, max: day }) }),
  fc.integer({ min: 1000, max: day }).chain(mainMs => fc.record({
    kind: fc.constant('fischer'),
    mainMs: fc.constant(mainMs),
    incrementMs: fc.integer({ min: 0, max: hour }),
    maxMs: fc.integer({ min: mainMs, max: day })
  }, { requiredKeys: ['kind', 'mainMs', 'incrementMs'] })),
  fc.record({ kind: fc.constant('byo-yomi'), mainMs: fc.integer({ min: 0, max: day }), periodMs: fc.integer({ min: 1000, max: hour }), periods: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('canadian'), mainMs: fc.integer({ min: 0, max: day }), periodMs: fc.integer({ min: 1000, max: hour }), stones: fc.integer({ min: 1, max: 100 }) }),
  fc.integer({ min: hour, max: 30 * day }).chain(perMoveMs => fc.record({
    kind: fc.constant('correspondence'),
    perMoveMs: fc.constant(perMoveMs),
    maxBankMs: fc.integer({ min: perMoveMs, max: 60 * day }),
    weekendPause: fc.record({ utcOffsetMin: fc.integer({ min: -48, max: 56 }).map(q => q * 15) })
  }, { requiredKeys: ['kind', 'perMoveMs', 'maxBankMs'] }))
)

/**
 * Terms a game can be agreed under (src/game/terms.ts and src/net/challenge/terms.ts): a handicap
 * the board takes (GTP's fixed table), free placement only without handicap stones (no game act
 * places them). The mutators reach the terms outside these bounds.
 */
export const termsArb: fc.Arbitrary<Record<string, unknown>> = fc.integer({ min: 2, max: 25 }).chain(size => fc.integer({ min: 0, max: Math.max(1, maxFixedHandicap(size)) }).chain(handicap => fc.record({
  size: fc.constant(size),
  rules: fc.constantFrom('chinese', 'japanese', 'tromp-taylor', 'aga', 'new-zealand'),
  komi: fc.integer({ min: -2000, max: 2000 }).map(k => k / 2),
  handicap: fc.constant(handicap),
  placement: handicap <= 1 ? fc.constantFrom('fixed', 'free') : fc.constant('fixed'),
  tc: timeControlArb
})))

export const ratingClaimArb = fc.record({ mu: fc.integer({ min: -1_000_000, max: 1_000_000 }), sigma: fc.integer({ min: 1, max: 1_000_000 }) })
export const engineInfoArb = fc.record({ name: shortText(1, 20), version: shortText(0, 12) })
const bytesOf = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n })
const sig = bytesOf(64)
const time = fc.integer({ min: 0, max: 2 ** 45 })

// ---- challenge.md

const proposal = (t: 'propose' | 'counter'): fc.Arbitrary<Record<string, unknown>> => fc.record({
  v: fc.constant(1), t: fc.constant(t), id: bytesOf(16), terms: termsArb, color: fc.constantFrom('black', 'white', 'random'),
  name: nameArb, expires: time, rating: ratingClaimArb, engine: engineInfoArb
}, { requiredKeys: ['v', 't', 'id', 'terms', 'color', 'name', 'expires'] })

export const challengeMessageArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  proposal('propose'),
  proposal('counter'),
  fc.record({ v: fc.constant(1), t: fc.constant('decline'), id: bytesOf(16), reason: fc.oneof(fc.constantFrom('busy', 'declined', 'unsupported', 'timeout'), shortText(1, 64)), message: shortText(1, 100) }, { requiredKeys: ['v', 't', 'id', 'reason'] }),
  fc.record({ v: fc.constant(1), t: fc.constant('accept'), id: bytesOf(16), created: time, name: nameArb, rating: ratingClaimArb, engine: engineInfoArb, sig }, { requiredKeys: ['v', 't', 'id', 'created', 'name', 'sig'] }),
  fc.record({ v: fc.constant(1), t: fc.constant('confirm'), id: bytesOf(16), sig })
)

// ---- game.md

export const startArb: fc.Arbitrary<Record<string, unknown>> = fc.record({
  v: fc.constant(1), t: fc.constant('start'), terms: termsArb, black: peerIdBytes, white: peerIdBytes, nonce: bytesOf(16), created: time,
  names: fc.record({ B: nameArb, W: nameArb }),
  ratings: fc.record({ B: ratingClaimArb, W: ratingClaimArb }),
  engines: fc.oneof(fc.record({ B: engineInfoArb, W: engineInfoArb }, { requiredKeys: ['B'] }), fc.record({ W: engineInfoArb })),
  sigs: fc.record({ B: sig, W: sig })
}, { requiredKeys: ['v', 't', 'terms', 'black', 'white', 'nonce', 'created', 'names', 'sigs'] })

const ply = fc.integer({ min: 0, max: 4000 })
const coord = fc.integer({ min: 0, max: 24 })
const dead = fc.array(fc.tuple(coord, coord), { maxLength: 12 })
const side = fc.constantFrom('B', 'W')

const actBodies: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  move: fc.record({ ply, x: coord, y: coord, clock: time }),
  pass: fc.record({ ply, clock: time }),
  resign: fc.record({ ply }),
  abort: fc.record({ ply }),
  mark: fc.record({ dead }),
  accept: fc.record({ ply, dead }),
  resume: fc.constant({}),
  chat: fc.record({ text: fc.string({ maxLength: 60 }) }),
  'undo-request': fc.record({ ply }),
  'undo-reply': fc.record({ ply, ok: fc.boolean() }),
  result: fc.record({ result: fc.constantFrom('B+R', 'W+T', 'B+3.5', '0', 'Void'), final: cidArb })
}

/** An act of a kind other than timeout-claim (which holds acts). */
const plainAct: fc.Arbitrary<Record<string, unknown>> = fc.tuple(
  fc.constantFrom(...Object.keys(actBodies)).chain(kind => actBodies[kind].map(body => ({ kind, ...body }))),
  fc.record({ game: cidArb, by: side, n: fc.integer({ min: 1, max: 2000 }), prevCid: cidArb, seen: fc.integer({ min: 0, max: 2000 }), at: time, sig })
).map(([body, { prevCid, ...common }]) => ({ v: 1, t: 'act', ...common, prev: common.n === 1 ? null : prevCid, ...body }))

export const actArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { arbitrary: plainAct, weight: 5 },
  { arbitrary: fc.tuple(plainAct, fc.array(plainAct, { maxLength: 2 }), ply).map(([a, proof, p]) => ({ ...strip(a), kind: 'timeout-claim', ply: p, proof })), weight: 1 }
)

/** The act's common fields only (a timeout claim replaces the body). */
function strip (act: Record<string, unknown>): Record<string, unknown> {
  const { v, t, game, by, n, prev, seen, at, sig } = act
  return { v, t, game, by, n, prev, seen, at, sig }
}

export const gameMessageArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ v: fc.constant(1), t: fc.constant('hello'), game: cidArb, have: fc.integer({ min: 0, max: 2000 }), sent: fc.integer({ min: 0, max: 2000 }) }),
  { arbitrary: actArb, weight: 4 },
  fc.record({ v: fc.constant(1), t: fc.constant('ack'), game: cidArb, by: side, n: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ v: fc.constant(1), t: fc.constant('reject'), game: cidArb, n: fc.integer({ min: 0, max: 2000 }), reason: shortText(0, 64), message: fc.string({ maxLength: 100 }) })
)

// ---- lobby.md

const lobbyRating = fc.record({ mu: fc.double({ min: -1000, max: 1000, noNaN: true }).map(d => Object.is(d, -0) ? 0 : d), sigma: fc.double({ min: 0.001, max: 100, noNaN: true }) })

export const lobbyMessageArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    v: fc.constant(1), t: fc.constant('presence'), peer: peerIdBytes, name: nameArb,
    sizes: fc.subarray([9, 13, 19], { minLength: 1 }),
    ratings: fc.record({ 9: lobbyRating, 13: lobbyRating, 19: lobbyRating }, { requiredKeys: ['9'] }),
    status: fc.constantFrom('idle', 'playing'), expires: time, seq: time,
    record: fc.uint8Array({ minLength: 1, maxLength: 200 }), reach: fc.constantFrom('public', 'upnp', 'relayed')
  }, { requiredKeys: ['v', 't', 'peer', 'name', 'sizes', 'status', 'expires', 'seq'] }),
  fc.record({
    v: fc.constant(1), t: fc.constant('seek'), peer: peerIdBytes, id: bytesOf(8), terms: termsArb, color: fc.constantFrom('black', 'white', 'random'),
    range: fc.tuple(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 0, max: 20_000 })).map(([min, span]) => ({ min, max: Math.min(10_000, min + span) })),
    expires: time, seq: time
  }, { requiredKeys: ['v', 't', 'peer', 'id', 'terms', 'color', 'expires', 'seq'] }),
  fc.record({ v: fc.constant(1), t: fc.constant('cancel'), peer: peerIdBytes, id: bytesOf(8), seq: time })
)

// ---- rna-path.md

const pathHop = fc.record({ peer: peerIdBytes, at: time })
export const pathMessageArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ v: fc.constant(1), t: fc.constant('where'), rna: cidArb, depth: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ v: fc.constant(1), t: fc.constant('hop'), rna: cidArb, known: fc.constant(true), at: time, from: peerIdBytes, path: fc.array(pathHop, { maxLength: 9 }), complete: fc.boolean() }, { requiredKeys: ['v', 't', 'rna', 'known', 'at'] }),
  fc.record({ v: fc.constant(1), t: fc.constant('hop'), rna: cidArb, known: fc.constant(false) }),
  fc.constant({ v: 1, t: 'busy' })
)

// ---- rating.md

const sizeRating = fc.array(fc.record({ result: cidArb, mu: fc.integer({ min: -1_000_000, max: 1_000_000 }), sigma: fc.integer({ min: 1, max: 1_000_000 }) }), { maxLength: 8 })
  .chain(cited => fc.record({ mu: fc.integer({ min: -1_000_000, max: 1_000_000 }), sigma: fc.integer({ min: 1, max: 1_000_000 }), games: fc.integer({ min: cited.length, max: 1_000_000 }), cited: fc.constant(cited) }))

export const ratingRecordArb: fc.Arbitrary<Record<string, unknown>> = fc.tuple(time, fc.integer({ min: 0, max: day })).chain(([updated, ttl]) => fc.record({
  v: fc.constant(1), t: fc.constant('rating'), peer: peerIdBytes, seq: time, updated: fc.constant(updated), expires: fc.constant(updated + ttl),
  sizes: fc.record({ 9: sizeRating, 13: sizeRating, 19: sizeRating }, { requiredKeys: [] }),
  relay: fc.record({ delivered: time, failed: time, served: time }),
  sig
}))

// ---- rna.md

export const rnaArb = (body: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record({ v: fc.constant(1), t: fc.constant('rna'), body, origin: peerIdBytes, at: time, sig })

/** A redacted chat entry of an mRNA chain. */
export const redactedArb = fc.record({ n: fc.integer({ min: 1, max: 2000 }), seen: fc.integer({ min: 0, max: 2000 }), cid: cidArb })
