import { Key } from 'interface-datastore'
import { CID } from 'multiformats/cid'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { arrayOf, asMap, field, oneOf, optional, text, uint } from '../../wire/schema.js'
import { decodeGameMessage, encodeGameMessage, type Act, type Side } from '../../wire/game-messages.js'
import { decodeStart, encodeStart, type SignedStart } from '../../wire/game-start.js'
import { NO_MARKS, type MailMarks } from './mail-policy.js'
import type { Datastore } from 'interface-datastore'

/** Where p2pgo keeps games in the shared datastore. */
const PREFIX = '/p2pgo/games'
/** Act numbers are zero-padded in keys so a prefix query returns them in order. */
const PAD = 6
/** A game's bookkeeping is tiny; anything larger is not ours. */
const META_MAX_BYTES = 1024
/** The mail marks: two counts and a few holder addresses. */
const MARKS_MAX_BYTES = 4096
/** Holder addresses kept per game: three holders (MAX_HOLDERS), a few addresses each. */
const MARKS_MAX_HOLDERS = 12

/** What is known about a stored game besides its acts. */
export interface GameMeta {
  readonly me: Side
  /** The opponent's peer ID, as text. */
  readonly opponent: string
  /** Highest of my acts the opponent acknowledged. */
  readonly acked: number
  /** The result once the game ended, and when both signatures were in (ms since the epoch). */
  readonly result?: string
  readonly finishedAt?: number
  /**
   * When the game was closed without the opponent's signature on its end (a flag claimed, an
   * abandonment, an end left unsigned past the limit), ms since the epoch: it is not resumed.
   */
  readonly closedAt?: number
}

/** A stored game as read back: enough to rebuild its session. */
export interface StoredGame {
  readonly id: CID
  readonly start: SignedStart
  readonly meta: GameMeta
  readonly acts: Readonly<Record<Side, readonly Act[]>>
}

/**
 * Games on disk: the co-signed start record, every act of both players as received or made, and a
 * little bookkeeping. Each act is its own key, written before it is sent or acknowledged, so a
 * crash loses nothing that was acknowledged and an outbox survives restarts (unacked = acts after `acked`).
 */
export class GameStore {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  /** Records a new game (idempotent: the same start record twice is one game). */
  async create (id: CID, start: SignedStart, meta: GameMeta): Promise<void> {
    if (await this.ds.has(this.key(id, 'start'))) return
    await this.ds.put(this.key(id, 'start'), encodeStart(start))
    await this.saveMeta(id, meta)
  }

  /** Whether a game with this ID is stored. */
  async has (id: CID): Promise<boolean> {
    return await this.ds.has(this.key(id, 'start'))
  }

  /** Stores an act (keyed by author and number: writing the same act again changes nothing). */
  async putAct (id: CID, act: Act): Promise<void> {
    await this.ds.put(this.key(id, `acts/${act.by}/${String(act.n).padStart(PAD, '0')}`), encodeGameMessage({ t: 'act', ...act }))
  }

  async saveMeta (id: CID, meta: GameMeta): Promise<void> {
    await this.ds.put(this.key(id, 'meta'), encodeCanonical({ ...meta }))
  }

  /** What of this game went through the mailbox (NO_MARKS when nothing did). */
  async mailMarks (id: CID): Promise<MailMarks> {
    const key = this.key(id, 'mail')
    if (!await this.ds.has(key)) return NO_MARKS
    const m = asMap(decodeCanonical(await this.ds.get(key), { maxBytes: MARKS_MAX_BYTES }), 'mail')
    return { acts: field(m, 'acts', uint(), 'mail'), ack: field(m, 'ack', uint(), 'mail'), holders: field(m, 'holders', arrayOf(text(512), MARKS_MAX_HOLDERS), 'mail') }
  }

  async saveMailMarks (id: CID, marks: MailMarks): Promise<void> {
    await this.ds.put(this.key(id, 'mail'), encodeCanonical({ acts: marks.acts, ack: marks.ack, holders: marks.holders.slice(0, MARKS_MAX_HOLDERS) }))
  }

  /** Reads one game back, checking every record as if it came off the wire. */
  async get (id: CID): Promise<StoredGame> {
    const start = decodeStart(await this.ds.get(this.key(id, 'start')))
    const meta = decodeMeta(await this.ds.get(this.key(id, 'meta')))
    const acts: Record<Side, Act[]> = { B: [], W: [] }
    for await (const { value } of this.ds.query({ prefix: this.key(id, 'acts').toString() + '/' })) {
      const m = decodeGameMessage(value)
      if (m.t !== 'act') continue
      const { t: _t, ...act } = m
      acts[act.by].push(act)
    }
    for (const side of ['B', 'W'] as const) acts[side].sort((a, b) => a.n - b.n)
    return { id, start, meta, acts }
  }

  /** Every stored game's ID. */
  async ids (): Promise<CID[]> {
    const out: CID[] = []
    for await (const key of this.ds.queryKeys({ prefix: PREFIX + '/' })) {
      const parts = key.toString().split('/')
      // /p2pgo/games/<id>/start
      if (parts.length === 5 && parts[4] === 'start') out.push(CID.parse(parts[3]))
    }
    return out
  }

  /** Finds a game by its full ID or a unique prefix of it (people type prefixes). */
  async find (idOrPrefix: string): Promise<CID | undefined> {
    const matches = (await this.ids()).filter(id => id.toString().startsWith(idOrPrefix))
    return matches.length === 1 ? matches[0] : undefined
  }

  private key (id: CID, suffix: string): Key {
    return new Key(`${PREFIX}/${id.toString()}/${suffix}`)
  }
}

function decodeMeta (bytes: Uint8Array): GameMeta {
  const m = asMap(decodeCanonical(bytes, { maxBytes: META_MAX_BYTES }), 'meta')
  const result = optional(m, 'result', text(16), 'meta')
  const finishedAt = optional(m, 'finishedAt', uint(), 'meta')
  const closedAt = optional(m, 'closedAt', uint(), 'meta')
  return {
    me: field(m, 'me', oneOf('B', 'W'), 'meta'),
    opponent: field(m, 'opponent', text(128), 'meta'),
    acked: field(m, 'acked', uint(), 'meta'),
    ...(result != null ? { result } : {}),
    ...(finishedAt != null ? { finishedAt } : {}),
    ...(closedAt != null ? { closedAt } : {})
  }
}
