// mRNA: a finished game as training data (protocols/rna.md). The body is the game's whole signed
// transcript: the start record both players signed (board, rules, komi, clock, names, ratings,
// engines) and each player's chain of signed acts (every move with its clock reading, the
// counting, both result acts). Chats are redacted to their CIDs. Anyone can check every act and
// replay the game with the game core; nobody can change a move without breaking a signature.
import { decodeMessage, encodeMessage } from '../wire/envelope.js'
import { WireError } from '../wire/errors.js'
import { actMessage, decodeGameMessage, encodeGameMessage, START_DOMAIN, type Act, type Side } from '../wire/game-messages.js'
import { decodeStart, encodeStart, gameIdOf, startToSign, START_MAX_BYTES, type SignedStart } from '../wire/game-start.js'
import { asMap, bytes, cid, field, noExtraKeys, uint } from '../wire/schema.js'
import { verify } from '../wire/signing.js'
import { cidOf } from '../wire/cid.js'
import { ActRejectedError, GameSession, isRedacted, type TranscriptEntry } from '../session/index.js'
import { ENTRY_MAX_BYTES, MAX_ENTRIES, RNA_MAX_BYTES } from './constants.js'
import { InvalidRnaError } from './errors.js'
import { verifierOfPeer } from './rna.js'
import type { CID } from 'multiformats/cid'
import type { Vertex } from '../game/vertex.js'

export const MRNA_VERSION = 1

/** An mRNA body: the co-signed start record and both players' act chains. */
export interface MrnaBody {
  readonly start: SignedStart
  readonly chains: Readonly<Record<Side, readonly TranscriptEntry[]>>
}

/** How a game ended, as training data cares: counted, resigned, lost on time, or no result. */
export type GameEnd = 'score' | 'resign' | 'timeout' | 'void'

/** What a valid mRNA tells: the game as it replayed. */
export interface MrnaGame {
  readonly gameId: CID
  readonly start: SignedStart
  /** Turns in play order: a stone, or null for a pass. */
  readonly moves: ReadonlyArray<Vertex | null>
  /** Who played each turn. */
  readonly movers: readonly Side[]
  /** Each turn's clock reading as its author signed it (ms left), where the game had a clock. */
  readonly clocks: ReadonlyArray<number | undefined>
  /** The result text (`B+3.5`, `W+R`, `0`, `Void`), when the game ended. */
  readonly result?: string
  readonly end: GameEnd
  /** Both players signed the result. */
  readonly cosigned: boolean
  /** Dead stones both players agreed on, when the game was counted. */
  readonly dead?: readonly Vertex[]
  readonly handicapStones: readonly Vertex[]
}

/** The body of a stored game: every act, chats redacted. */
export function mrnaOf (start: SignedStart, acts: Readonly<Record<Side, readonly Act[]>>): MrnaBody {
  const redact = (act: Act): TranscriptEntry =>
    act.kind === 'chat' ? { redacted: cidOf(actMessage(act)), by: act.by, n: act.n, seen: act.seen } : act
  return { start, chains: { B: acts.B.map(redact), W: acts.W.map(redact) } }
}

/** Canonical CBOR of an mRNA body: what the RNA ID names. */
export function encodeMrna (body: MrnaBody): Uint8Array {
  const entry = (e: TranscriptEntry): unknown =>
    isRedacted(e) ? { n: e.n, seen: e.seen, cid: e.redacted } : encodeGameMessage({ t: 'act', ...e })
  return encodeMessage(MRNA_VERSION, 'mrna', {
    start: encodeStart(body.start),
    B: body.chains.B.map(entry),
    W: body.chains.W.map(entry)
  })
}

/**
 * Decodes an mRNA body: size, canonical CBOR, schema, the start record and every act with the
 * game protocol's own decoders. Throws InvalidRnaError ('too-large', 'malformed'); signatures
 * and legality are `replayMrna`'s.
 */
export function decodeMrna (data: Uint8Array): MrnaBody {
  if (data.length > RNA_MAX_BYTES) throw new InvalidRnaError('too-large', `${data.length} bytes, at most ${RNA_MAX_BYTES}`)
  try {
    const { fields: f } = decodeMessage(data, { maxBytes: RNA_MAX_BYTES, versions: [MRNA_VERSION], types: ['mrna'] as const })
    noExtraKeys(f, ['v', 't', 'start', 'B', 'W'], '')
    const start = decodeStart(field(f, 'start', bytes({ max: START_MAX_BYTES }), ''))
    const chain = (side: Side): TranscriptEntry[] => {
      const list = f[side]
      if (!Array.isArray(list)) throw new InvalidRnaError('malformed', `${side} must be an array of acts`)
      if (list.length > MAX_ENTRIES) throw new InvalidRnaError('too-large', `${side} has ${list.length} acts, at most ${MAX_ENTRIES}`)
      return list.map((item: unknown, i): TranscriptEntry => {
        const path = `${side}[${i}]`
        if (item instanceof Uint8Array) {
          if (item.length > ENTRY_MAX_BYTES) throw new InvalidRnaError('too-large', `${path} is ${item.length} bytes`)
          const m = decodeGameMessage(item)
          if (m.t !== 'act' || m.by !== side) throw new InvalidRnaError('malformed', `${path} is not one of ${side}'s acts`)
          const { t: _t, ...act } = m
          // Canonical (the decoder re-encoded it to these very bytes): the replay hashes them for the next act's link.
          wireBytes.set(act, item)
          return act
        }
        const r = asMap(item, path)
        noExtraKeys(r, ['n', 'seen', 'cid'], path)
        return { redacted: field(r, 'cid', cid, path), by: side, n: field(r, 'n', uint(MAX_ENTRIES), path), seen: field(r, 'seen', uint(MAX_ENTRIES), path) }
      })
    }
    return { start, chains: { B: chain('B'), W: chain('W') } }
  } catch (err) {
    if (err instanceof WireError) throw new InvalidRnaError('malformed', err.message)
    throw err
  }
}

/** The bytes each decoded act arrived as: canonical CBOR of its message, `sig` included. */
const wireBytes = new WeakMap<Act, Uint8Array>()

/** A signing key for a session that only replays: it never signs. */
const observer = { sign: (): never => { throw new Error('a replayed transcript signs nothing') } }

/**
 * Checks an mRNA body as any node can: both players signed the start record, every act is
 * signed by its player and chained to the one before, and the game replays under its rules with
 * the game core, act by act, exactly. Throws InvalidRnaError ('not-cosigned', 'bad-signature',
 * 'illegal-game', 'malformed'). A game that never ended, or whose result only one player signed,
 * is valid but worthless: `cosigned` false, `end` 'void' (the quality function gives it 0).
 */
export async function replayMrna (body: MrnaBody): Promise<MrnaGame> {
  const { start } = body
  const keys = { B: verifierOfPeer(start.black), W: verifierOfPeer(start.white) }
  for (const side of ['B', 'W'] as const) {
    try {
      await verify(keys[side], START_DOMAIN, { ...startToSign(start), sig: start.sigs[side] })
    } catch (err) {
      if (err instanceof WireError) throw new InvalidRnaError('not-cosigned', `${side}: ${err.message}`)
      throw err
    }
  }
  const gameId = gameIdOf(start)
  const session = new GameSession({ start, gameId, me: 'B', key: observer, keys, now: () => start.created })
  try {
    await session.replay(body.chains, { strict: true, encoded: act => wireBytes.get(act) })
  } catch (err) {
    if (err instanceof ActRejectedError) {
      throw new InvalidRnaError(err.reason === 'bad-signature' ? 'bad-signature' : 'illegal-game', err.message)
    }
    if (err instanceof WireError) throw new InvalidRnaError('malformed', err.message)
    throw err
  }
  const turns = session.turnActs
  const result = session.end?.result
  const cosigned = session.results.B != null && session.results.W != null
  const scored = session.game.phase === 'ended' && session.game.result?.kind === 'score'
  return {
    gameId,
    start,
    moves: turns.map(a => (a.kind === 'move' ? { x: a.x as number, y: a.y as number } : null)),
    movers: turns.map(a => a.by),
    clocks: turns.map(a => (start.terms.tc.kind !== 'none' ? a.clock : undefined)),
    ...(result != null ? { result } : {}),
    end: cosigned && result != null ? endOf(result) : 'void',
    cosigned,
    ...(scored ? { dead: session.game.marking.dead } : {}),
    handicapStones: session.game.handicapStones
  }
}

/** How a result text ended the game (protocols/game.md). */
export function endOf (result: string): GameEnd {
  if (result === 'Void') return 'void'
  if (result.endsWith('+R')) return 'resign'
  if (result.endsWith('+T')) return 'timeout'
  return 'score'
}
