import { decodeMessage, encodeMessage } from './envelope.js'
import { MalformedMessageError } from './errors.js'
import { arrayOf, asMap, at, bool, bytes, cid, field, noExtraKeys, oneOf, text, uint } from './schema.js'
import type { CID } from 'multiformats/cid'
import type { CborMap, Check } from './schema.js'

/** Largest game protocol frame: a timeout claim carries two acts; nothing else comes close (protocols/game.md). */
export const GAME_MAX_BYTES = 16 * 1024
/** Largest chat text, in bytes. */
export const CHAT_MAX_BYTES = 500
/** Most acts one player may make in a game: far beyond any real game (a 19x19 game is ~150 turns each). */
export const MAX_ACTS = 2000
/** Largest board coordinate a message may carry (boards up to 25x25). */
const MAX_COORD = 24
/** The signing domain of game acts: an act's signature can never be replayed as another kind of message. */
export const ACT_DOMAIN = 'game/act'
/** The signing domain of the start record both players sign. */
export const START_DOMAIN = 'game/start'

export const GAME_VERSION = 1

export type Side = 'B' | 'W'

/** The other player's side. */
export const otherSide = (side: Side): Side => (side === 'B' ? 'W' : 'B')

/** Every kind of act, and which fields each carries besides the common ones. */
export const ACT_FIELDS = {
  move: ['ply', 'x', 'y', 'clock'],
  pass: ['ply', 'clock'],
  resign: ['ply'],
  'timeout-claim': ['ply', 'proof'],
  abort: ['ply'],
  mark: ['dead'],
  accept: ['ply', 'dead'],
  resume: [],
  chat: ['text'],
  'undo-request': ['ply'],
  'undo-reply': ['ply', 'ok'],
  result: ['result', 'final']
} as const satisfies Record<string, readonly string[]>

export type ActKind = keyof typeof ACT_FIELDS
const ACT_KINDS = Object.keys(ACT_FIELDS) as ActKind[]
const COMMON = ['v', 't', 'game', 'by', 'n', 'prev', 'seen', 'at', 'kind', 'sig'] as const

/** One signed act of a player (protocols/game.md). Fields a kind does not use are absent. */
export interface Act {
  readonly game: CID
  readonly by: Side
  readonly n: number
  readonly prev: CID | null
  readonly seen: number
  readonly at: number
  readonly kind: ActKind
  readonly ply?: number
  readonly x?: number
  readonly y?: number
  readonly clock?: number
  readonly text?: string
  readonly dead?: ReadonlyArray<readonly [number, number]>
  readonly ok?: boolean
  /** timeout-claim: the accused player's last turn act and the claimer's, where they exist. */
  readonly proof?: readonly Act[]
  readonly result?: string
  readonly final?: CID
  readonly sig: Uint8Array
}

/** An act before it is signed. */
export type UnsignedAct = Omit<Act, 'sig'>

export interface Hello { readonly t: 'hello', readonly game: CID, readonly have: number, readonly sent: number }
export interface Ack { readonly t: 'ack', readonly game: CID, readonly by: Side, readonly n: number }
export interface Reject { readonly t: 'reject', readonly game: CID, readonly n: number, readonly reason: string, readonly message: string }
export type GameMessage = Hello | ({ readonly t: 'act' } & Act) | Ack | Reject

/** The fields of an act as they go on the wire (and are signed): absent optional fields are left out. */
export function actFields (act: UnsignedAct | Act): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(act)) {
    if (v === undefined) continue
    out[k] = k === 'proof' ? (v as Act[]).map(p => ({ ...actFields(p), v: GAME_VERSION, t: 'act' })) : v
  }
  return out
}

/** The map an act's signature covers: the act as sent, without `sig`. */
export function actToSign (act: UnsignedAct): Record<string, unknown> {
  return { ...actFields(act), v: GAME_VERSION, t: 'act' }
}

/** The map of a received or stored act, `sig` included, exactly as it was signed and sent. */
export function actMessage (act: Act): Record<string, unknown> {
  return { ...actFields(act), v: GAME_VERSION, t: 'act' }
}

/** Encodes any game protocol message as canonical CBOR. */
export function encodeGameMessage (message: GameMessage): Uint8Array {
  const { t, ...rest } = message
  return encodeMessage(GAME_VERSION, t, t === 'act' ? actFields(rest as Act) : rest)
}

/**
 * Decodes a game protocol message: size, CBOR, envelope, then every field's shape. Signatures
 * are checked by the session, which knows the players' keys.
 */
export function decodeGameMessage (bytes: Uint8Array): GameMessage {
  const m = decodeMessage(bytes, { maxBytes: GAME_MAX_BYTES, versions: [GAME_VERSION], types: ['hello', 'act', 'ack', 'reject'] as const })
  const f = m.fields
  switch (m.t) {
    case 'hello':
      noExtraKeys(f, ['v', 't', 'game', 'have', 'sent'], '')
      return { t: 'hello', game: field(f, 'game', cid, ''), have: field(f, 'have', uint(MAX_ACTS), ''), sent: field(f, 'sent', uint(MAX_ACTS), '') }
    case 'ack':
      noExtraKeys(f, ['v', 't', 'game', 'by', 'n'], '')
      return { t: 'ack', game: field(f, 'game', cid, ''), by: field(f, 'by', side, ''), n: field(f, 'n', uint(MAX_ACTS), '') }
    case 'reject':
      noExtraKeys(f, ['v', 't', 'game', 'n', 'reason', 'message'], '')
      return { t: 'reject', game: field(f, 'game', cid, ''), n: field(f, 'n', uint(MAX_ACTS), ''), reason: field(f, 'reason', text(64), ''), message: field(f, 'message', text(500), '') }
    case 'act':
      return { t: 'act', ...checkAct(f, '') }
  }
}

const side: Check<Side> = oneOf('B', 'W')
const nullableCid: Check<CID | null> = (value, path) => value === null ? null : cid(value, path)
const coord = uint(MAX_COORD)
const point: Check<readonly [number, number]> = (value, path) => {
  const [x, y] = arrayOf(coord, 2)(value, path)
  if (x == null || y == null) throw new MalformedMessageError('schema', path, 'expected a point [x, y]')
  return [x, y] as const
}

/** Checks a decoded act map: common fields, the kind's own fields, nothing else. */
function checkAct (f: CborMap, path: string): Act {
  const kind = field(f, 'kind', oneOf(...ACT_KINDS), path)
  const own: readonly string[] = ACT_FIELDS[kind]
  noExtraKeys(f, [...COMMON, ...own], path)
  for (const key of own) {
    // The kind's fields are all required: a move without a point is not a move.
    if (!Object.hasOwn(f, key)) throw new MalformedMessageError('schema', at(path, key), `a ${kind} act needs "${key}"`)
  }
  const act: Record<string, unknown> = {
    game: field(f, 'game', cid, path),
    by: field(f, 'by', side, path),
    n: field(f, 'n', uint(MAX_ACTS), path),
    prev: field(f, 'prev', nullableCid, path),
    seen: field(f, 'seen', uint(MAX_ACTS), path),
    at: field(f, 'at', uint(), path),
    kind,
    sig: field(f, 'sig', bytes(64), path)
  }
  if (act.n === 0) throw new MalformedMessageError('schema', at(path, 'n'), 'acts are numbered from 1')
  if ((act.n === 1) !== (act.prev === null)) throw new MalformedMessageError('schema', at(path, 'prev'), 'the first act has no previous act, every later one has')
  const checks: Record<string, Check<unknown>> = {
    ply: uint(MAX_ACTS * 2),
    x: coord,
    y: coord,
    clock: uint(),
    text: text(CHAT_MAX_BYTES),
    dead: arrayOf(point, 25 * 25),
    ok: bool,
    result: text(16),
    final: cid,
    proof: (value, p) => {
      const pair = arrayOf((v, q) => {
        const inner = asMap(v, q)
        if (inner.v !== GAME_VERSION || inner.t !== 'act') throw new MalformedMessageError('schema', q, 'a proof holds acts of this protocol version')
        if (inner.kind === 'timeout-claim') throw new MalformedMessageError('schema', q, 'a proof cannot hold another claim')
        return checkAct(inner, q)
      }, 2)(value, p)
      return pair
    }
  }
  for (const key of own) act[key] = field(f, key, checks[key], path)
  return act as unknown as Act
}
