import { validateTimeControl, type TimeControl } from '../game/time-control.js'
import { RULESETS, type RulesetId } from '../game/rules.js'
import { InvalidSettingError } from '../game/errors.js'
import { MAX_SIZE, MIN_SIZE } from '../game/constants.js'
import { decodeMessage, encodeMessage } from './envelope.js'
import { MalformedMessageError } from './errors.js'
import { asMap, bytes, field, halfNumber, int, noExtraKeys, oneOf, optional, text, uint } from './schema.js'
import { cidOf } from './cid.js'
import type { CID } from 'multiformats/cid'
import type { CborMap, Check } from './schema.js'

/** A start record is small: settings, two peer IDs, a nonce, two signatures. */
export const START_MAX_BYTES = 2048
export const START_VERSION = 1
/** Display names are at most 32 characters (config); in UTF-8 that is at most 128 bytes. */
const NAME_MAX_BYTES = 128

/** What both players agreed to play. */
export interface GameTerms {
  readonly size: number
  readonly rules: RulesetId
  readonly komi: number
  readonly handicap: number
  readonly placement: 'fixed' | 'free'
  readonly tc: TimeControl
}

/**
 * A player's TrueSkill rating for one board size as the player declared it, in thousandths
 * (fixed point integers: mu 25000 is 25.000), so the signed record holds no floats.
 */
export interface RatingClaim {
  /** The mean, in thousandths. */
  readonly mu: number
  /** The standard deviation, in thousandths; above zero. */
  readonly sigma: number
}

/** Bounds of a rating claim, in thousandths: |mu| at most 1000, sigma from 0.001 to 1000. */
const RATING_MU_MAX = 1_000_000
const RATING_SIGMA_MAX = 1_000_000

/** Checks a rating claim: a map of exactly `mu` and `sigma`, whole thousandths within bounds. */
export const checkRatingClaim: Check<RatingClaim> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['mu', 'sigma'], path)
  return { mu: field(map, 'mu', int(-RATING_MU_MAX, RATING_MU_MAX), path), sigma: field(map, 'sigma', int(1, RATING_SIGMA_MAX), path) }
}

/** An engine's identity as its player declares it: what GTP `name` and `version` answer. */
export interface EngineInfo {
  /** 1 to 64 bytes of UTF-8, no control characters ("GNU Go"). */
  readonly name: string
  /** 0 to 64 bytes of UTF-8, no control characters ("3.8"); empty when the engine does not say. */
  readonly version: string
}

/** Bounds of an engine's identity in UTF-8 bytes: room for "KataGo" and "1.15.3+trt10.2-cuda12.5" alike. */
export const ENGINE_NAME_MAX_BYTES = 64
export const ENGINE_VERSION_MAX_BYTES = 64
// C0, DEL and C1 controls: the identity reaches terminals and SGF comments as it is.
const controls = /[\u0000-\u001f\u007f-\u009f]/

/** Text of `min` to `max` bytes of UTF-8 without control characters. */
function plainText (min: number, max: number): Check<string> {
  const base = text(max)
  return (value, path) => {
    const s = base(value, path)
    if (s.length < min) throw new MalformedMessageError('schema', path, `expected text of at least ${min} byte${min === 1 ? '' : 's'}, got ""`)
    if (controls.test(s)) throw new MalformedMessageError('schema', path, 'control characters are not allowed')
    return s
  }
}

const checkEngineName = plainText(1, ENGINE_NAME_MAX_BYTES)
const checkEngineVersion = plainText(0, ENGINE_VERSION_MAX_BYTES)

/** Checks an engine's identity: a map of exactly `name` and `version` (one form only, so `version` is never left out). */
export const checkEngineInfo: Check<EngineInfo> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['name', 'version'], path)
  return { name: field(map, 'name', checkEngineName, path), version: field(map, 'version', checkEngineVersion, path) }
}

/** The engines of a game's players by side: a side is present only when that player is an engine. */
export interface Engines {
  readonly B?: EngineInfo
  readonly W?: EngineInfo
}

/** The agreement a game starts from; its CID (without signatures) is the game ID. */
export interface StartRecord {
  readonly terms: GameTerms
  /** Peer IDs as multihash bytes (the wire layer knows nothing of libp2p's PeerId objects). */
  readonly black: Uint8Array
  readonly white: Uint8Array
  readonly nonce: Uint8Array
  /** When the game was agreed, ms since the epoch. */
  readonly created: number
  /** The players' display names at the time, so both records (and SGF exports) name them alike. */
  readonly names: { readonly B: string, readonly W: string }
  /** Both players' ratings for the board size as each declared them: present only in a rated game. */
  readonly ratings?: { readonly B: RatingClaim, readonly W: RatingClaim }
  /** The engines playing, each as its own player declared it: present only when at least one player is an engine. */
  readonly engines?: Engines
}

/** The start record with both players' signatures over `startToSign(record)` (domain game/start). */
export interface SignedStart extends StartRecord {
  readonly sigs: { readonly B: Uint8Array, readonly W: Uint8Array }
}

/**
 * The map both players sign, and whose CID is the game ID. An unrated record has no `ratings`
 * key at all, a game of two humans no `engines` key, and a human's side is absent from `engines`.
 */
export function startToSign (r: StartRecord): Record<string, unknown> {
  return {
    v: START_VERSION,
    t: 'start',
    terms: { ...r.terms, tc: { ...r.terms.tc } },
    black: r.black,
    white: r.white,
    nonce: r.nonce,
    created: r.created,
    names: { B: r.names.B, W: r.names.W },
    // Left out when absent, never undefined: unrated records and their game IDs stay as they were.
    ...(r.ratings != null ? { ratings: { B: claimOf(r.ratings.B), W: claimOf(r.ratings.W) } } : {}),
    // Likewise: records of human games, and their game IDs, stay as they were before engines.
    ...enginesField(r.engines)
  }
}

/** `engines` with only the sides that have one, each with its own two fields; nothing when no side has one. */
function enginesField (engines: Engines | undefined): { engines?: Engines } {
  if (engines == null) return {}
  const out: { B?: EngineInfo, W?: EngineInfo } = {}
  if (engines.B != null) out.B = { name: engines.B.name, version: engines.B.version }
  if (engines.W != null) out.W = { name: engines.W.name, version: engines.W.version }
  return out.B != null || out.W != null ? { engines: out } : {}
}

/** A rating claim's own fields only, whatever else the object carries. */
function claimOf (c: RatingClaim): RatingClaim {
  return { mu: c.mu, sigma: c.sigma }
}

/** The game ID: CIDv1 (dag-cbor, sha2-256) of the start record without signatures. */
export function gameIdOf (r: StartRecord): CID {
  return cidOf(startToSign(r))
}

/** Encodes a co-signed start record for storage and for the challenge protocol. */
export function encodeStart (s: SignedStart): Uint8Array {
  const { v: _v, t: _t, ...fields } = startToSign(s)
  return encodeMessage(START_VERSION, 'start', { ...fields, sigs: { B: s.sigs.B, W: s.sigs.W } })
}

/** Decodes and checks a co-signed start record (signatures are the caller's to verify). */
export function decodeStart (data: Uint8Array): SignedStart {
  const m = decodeMessage(data, { maxBytes: START_MAX_BYTES, versions: [START_VERSION], types: ['start'] as const })
  const f = m.fields
  noExtraKeys(f, ['v', 't', 'terms', 'black', 'white', 'nonce', 'created', 'names', 'ratings', 'engines', 'sigs'], '')
  const sigs = field(f, 'sigs', asMap, '')
  noExtraKeys(sigs, ['B', 'W'], 'sigs')
  const names = field(f, 'names', asMap, '')
  noExtraKeys(names, ['B', 'W'], 'names')
  const ratings = optional(f, 'ratings', checkRatings, '')
  const engines = optional(f, 'engines', checkEngines, '')
  return {
    terms: checkTerms(field(f, 'terms', asMap, ''), 'terms'),
    black: field(f, 'black', bytes({ min: 2, max: 64 }), ''),
    white: field(f, 'white', bytes({ min: 2, max: 64 }), ''),
    nonce: field(f, 'nonce', bytes(16), ''),
    created: field(f, 'created', uint(), ''),
    names: { B: field(names, 'B', text(NAME_MAX_BYTES), 'names'), W: field(names, 'W', text(NAME_MAX_BYTES), 'names') },
    ...(ratings != null ? { ratings } : {}),
    ...(engines != null ? { engines } : {}),
    sigs: { B: field(sigs, 'B', bytes(64), 'sigs'), W: field(sigs, 'W', bytes(64), 'sigs') }
  }
}

/** Both players' rating claims: exactly `B` and `W`. */
const checkRatings: Check<{ B: RatingClaim, W: RatingClaim }> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['B', 'W'], path)
  return { B: field(map, 'B', checkRatingClaim, path), W: field(map, 'W', checkRatingClaim, path) }
}

/** The players' engines: `B`, `W` or both, never neither (a game of two humans has no `engines` key). */
const checkEngines: Check<Engines> = (value, path) => {
  const map = asMap(value, path)
  noExtraKeys(map, ['B', 'W'], path)
  const B = optional(map, 'B', checkEngineInfo, path)
  const W = optional(map, 'W', checkEngineInfo, path)
  if (B == null && W == null) throw new MalformedMessageError('schema', path, 'expected an engine for B, W or both, got an empty map')
  return { ...(B != null ? { B } : {}), ...(W != null ? { W } : {}) }
}

/** An engine as people read it: "GNU Go 3.8", or the name alone when the version is empty. */
export function engineLabel (engine: EngineInfo): string {
  return engine.version === '' ? engine.name : `${engine.name} ${engine.version}`
}

/** The players' engines as a line of text ("engines: B GNU Go 3.8, W KataGo 1.15"), for SGF comments. */
export function describeEngines (engines: Engines): string {
  const sides = (['B', 'W'] as const).flatMap(side => {
    const engine = engines[side]
    return engine != null ? [`${side} ${engineLabel(engine)}`] : []
  })
  return `engines: ${sides.join(', ')}`
}

/** Checks agreed terms: a playable board, known rules, komi in half points, a valid handicap and clock. */
export function checkTerms (map: CborMap, path: string): GameTerms {
  noExtraKeys(map, ['size', 'rules', 'komi', 'handicap', 'placement', 'tc'], path)
  const size = field(map, 'size', int(MIN_SIZE, MAX_SIZE), path)
  const rules = field(map, 'rules', oneOf(...Object.keys(RULESETS) as RulesetId[]), path)
  const komi = field(map, 'komi', halfNumber, path)
  const handicap = field(map, 'handicap', uint(size * size - 1), path)
  const placement = field(map, 'placement', oneOf('fixed', 'free'), path)
  const tcMap = field(map, 'tc', asMap, path)
  noExtraKeys(tcMap, ['kind', 'mainMs', 'incrementMs', 'maxMs', 'periodMs', 'periods', 'stones', 'perMoveMs', 'maxBankMs', 'weekendPause'], `${path}.tc`)
  let tc: TimeControl
  try {
    tc = validateTimeControl(tcMap)
  } catch (err) {
    if (err instanceof InvalidSettingError) throw new MalformedMessageError('schema', `${path}.tc`, err.message)
    throw err
  }
  return { size, rules, komi, handicap, placement, tc }
}
