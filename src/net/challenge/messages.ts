// The challenge protocol's messages (protocols/challenge.md) as a pure codec: no libp2p, no
// streams. Decoding follows conventions.md: size, CBOR, envelope, schema; the signatures in
// accept and confirm are over the start record, so the negotiation checks them, not the codec.
import { decodeMessage, encodeMessage } from '../../wire/envelope.js'
import { MalformedMessageError } from '../../wire/errors.js'
import { checkEngineInfo, checkRatingClaim } from '../../wire/game-start.js'
import { asMap, bytes, field, noExtraKeys, oneOf, optional, text, uint } from '../../wire/schema.js'
import { SIGNATURE_BYTES } from '../../wire/signing.js'
import { CHALLENGE_MAX_BYTES, CHALLENGE_VERSION, ID_BYTES, MESSAGE_MAX_BYTES, NAME_MAX_BYTES, NAME_MAX_CHARS, REASON_MAX_BYTES } from './constants.js'
import type { EngineInfo, GameTerms, RatingClaim } from '../../wire/game-start.js'
import type { CborMap, Check } from '../../wire/schema.js'
import { checkAgreedTerms } from './terms.js'
import type { DeclineReason } from './errors.js'

/** The colour a proposal's author asks to play; 'random' is settled from the nonce (start-record.ts). */
export type ChallengeColor = 'black' | 'white' | 'random'

/** Every challenge message type. */
export const CHALLENGE_TYPES = ['propose', 'counter', 'decline', 'accept', 'confirm'] as const

/** An offer of a game: the first on a stream is a propose, later ones are counters. */
export interface Proposal {
  /** 16 random bytes; becomes the start record's nonce if accepted. */
  readonly id: Uint8Array
  readonly terms: GameTerms
  /** The colour the proposal's author will play. */
  readonly color: ChallengeColor
  /** The author's display name. */
  readonly name: string
  /** When the offer lapses, ms since the epoch on the author's clock. */
  readonly expires: number
  /** The author's own rating for `terms.size`, offered for a rated game; absent for an unrated one. */
  readonly rating?: RatingClaim
  /** The engine the author plays with; absent when a person plays. */
  readonly engine?: EngineInfo
}

/** A decline of the proposal `id`. */
export interface Decline {
  readonly id: Uint8Array
  readonly reason: DeclineReason
  readonly message?: string
}

/** An accept of the proposal `id`: the accepter's signature over the start record it makes. */
export interface Accept {
  readonly id: Uint8Array
  readonly created: number
  /** The accepter's display name: the start record names both players, and nothing else carries it. */
  readonly name: string
  /** The accepter's own rating for the size, sent only when the proposal carried one: both make the game rated. */
  readonly rating?: RatingClaim
  /** The engine the accepter plays with, whatever the proposal said of its own; absent when a person plays. */
  readonly engine?: EngineInfo
  readonly sig: Uint8Array
}

/** The proposal author's countersignature over the same start record. */
export interface Confirm {
  readonly id: Uint8Array
  readonly sig: Uint8Array
}

/** A decoded challenge message. */
export type ChallengeMessage =
  | ({ readonly t: 'propose' } & Proposal)
  | ({ readonly t: 'counter' } & Proposal)
  | ({ readonly t: 'decline' } & Decline)
  | ({ readonly t: 'accept' } & Accept)
  | ({ readonly t: 'confirm' } & Confirm)

// C0, DEL and C1 controls: names and reasons reach terminals, so no escape sequences or line breaks.
const controls = /[\u0000-\u001f\u007f-\u009f]/

/** Text a person will read: at most `maxBytes` of UTF-8 and `maxChars` characters, at least one, no control characters. */
function printable (maxBytes: number, maxChars: number = maxBytes): Check<string> {
  const base = text(maxBytes)
  return (value, path) => {
    const s = base(value, path)
    const chars = [...s].length
    if (chars === 0 || chars > maxChars) throw new MalformedMessageError('schema', path, `expected 1 to ${maxChars} characters, got ${chars}`)
    if (controls.test(s)) throw new MalformedMessageError('schema', path, 'control characters are not allowed')
    return s
  }
}

/** A display name, as the config allows it. */
export const checkName = printable(NAME_MAX_BYTES, NAME_MAX_CHARS)
const checkReason = printable(REASON_MAX_BYTES)
const checkMessage = printable(MESSAGE_MAX_BYTES)
const checkId = bytes(ID_BYTES)
const checkSig = bytes(SIGNATURE_BYTES)

/** A rating claim as an optional field: its own two keys when present, nothing at all when absent. */
function ratingField (rating: RatingClaim | undefined): { rating?: RatingClaim } {
  return rating != null ? { rating: { mu: rating.mu, sigma: rating.sigma } } : {}
}

/** A message's optional `rating`, checked: spread into the decoded value, so an absent one leaves no key. */
function optionalRating (f: CborMap): { rating?: RatingClaim } {
  const rating = optional(f, 'rating', checkRatingClaim, '')
  return rating != null ? { rating } : {}
}

/** An engine as an optional field: its own two keys when present, nothing at all when absent. */
function engineField (engine: EngineInfo | undefined): { engine?: EngineInfo } {
  return engine != null ? { engine: { name: engine.name, version: engine.version } } : {}
}

/** A message's optional `engine`, checked: spread into the decoded value, so an absent one leaves no key. */
function optionalEngine (f: CborMap): { engine?: EngineInfo } {
  const engine = optional(f, 'engine', checkEngineInfo, '')
  return engine != null ? { engine } : {}
}

/** Encodes one message as canonical CBOR (not yet framed); only the type's own fields are written. */
export function encodeChallengeMessage (m: ChallengeMessage): Uint8Array {
  switch (m.t) {
    case 'propose':
    case 'counter':
      return encodeMessage(CHALLENGE_VERSION, m.t, { id: m.id, terms: { ...m.terms, tc: { ...m.terms.tc } }, color: m.color, name: m.name, expires: m.expires, ...ratingField(m.rating), ...engineField(m.engine) })
    case 'decline':
      // An absent optional field is left out, never written as undefined (conventions.md).
      return encodeMessage(CHALLENGE_VERSION, m.t, { id: m.id, reason: m.reason, ...(m.message != null ? { message: m.message } : {}) })
    case 'accept':
      return encodeMessage(CHALLENGE_VERSION, m.t, { id: m.id, created: m.created, name: m.name, ...ratingField(m.rating), ...engineField(m.engine), sig: m.sig })
    case 'confirm':
      return encodeMessage(CHALLENGE_VERSION, m.t, { id: m.id, sig: m.sig })
  }
}

/**
 * Decodes one frame body: size, canonical CBOR, `v` and `t`, then the type's fields with no
 * extra keys. Throws FrameTooLargeError, MalformedMessageError or UnknownVersionError.
 */
export function decodeChallengeMessage (data: Uint8Array): ChallengeMessage {
  const { t, fields: f } = decodeMessage(data, { maxBytes: CHALLENGE_MAX_BYTES, versions: [CHALLENGE_VERSION], types: CHALLENGE_TYPES })
  switch (t) {
    case 'propose':
    case 'counter':
      noExtraKeys(f, ['v', 't', 'id', 'terms', 'color', 'name', 'expires', 'rating', 'engine'], '')
      return {
        t,
        id: field(f, 'id', checkId, ''),
        terms: checkAgreedTerms(field(f, 'terms', asMap, ''), 'terms'),
        color: field(f, 'color', oneOf('black', 'white', 'random'), ''),
        name: field(f, 'name', checkName, ''),
        expires: field(f, 'expires', uint(), ''),
        ...optionalRating(f),
        ...optionalEngine(f)
      }
    case 'decline': {
      noExtraKeys(f, ['v', 't', 'id', 'reason', 'message'], '')
      const message = optional(f, 'message', checkMessage, '')
      return { t, id: field(f, 'id', checkId, ''), reason: field(f, 'reason', checkReason, ''), ...(message != null ? { message } : {}) }
    }
    case 'accept':
      noExtraKeys(f, ['v', 't', 'id', 'created', 'name', 'rating', 'engine', 'sig'], '')
      return {
        t,
        id: field(f, 'id', checkId, ''),
        created: field(f, 'created', uint(), ''),
        name: field(f, 'name', checkName, ''),
        ...optionalRating(f),
        ...optionalEngine(f),
        sig: field(f, 'sig', checkSig, '')
      }
    case 'confirm':
      noExtraKeys(f, ['v', 't', 'id', 'sig'], '')
      return { t, id: field(f, 'id', checkId, ''), sig: field(f, 'sig', checkSig, '') }
  }
}

/** Cuts text to at most `maxBytes` of UTF-8 on a character boundary, for decline messages made from local errors. */
export function clip (s: string, maxBytes: number = MESSAGE_MAX_BYTES): string {
  const encoder = new TextEncoder()
  let out = ''
  let used = 0
  for (const ch of s.replace(new RegExp(controls.source, 'g'), ' ')) {
    used += encoder.encode(ch).length
    if (used > maxBytes) break
    out += ch
  }
  return out
}
