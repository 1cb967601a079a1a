import { Key } from 'interface-datastore'
import { CID } from 'multiformats/cid'
import { decodeCanonical, encodeCanonical } from '../../wire/cbor.js'
import { arrayOf, asMap, bool, bytes, field, int, noExtraKeys, oneOf, optional, text, uint } from '../../wire/schema.js'
import { RNA_MAX_BYTES } from '../../rna/constants.js'
import { RNA_PREFIX } from './constants.js'
import type { Datastore } from 'interface-datastore'
import type { Vertex } from '../../game/vertex.js'
import type { CborMap } from '../../wire/schema.js'

/** One hop of a propagation path: a peer and when it had the RNA (ms since the epoch). */
export interface PathHop {
  readonly peer: string
  readonly at: number
}

/** How an RNA travelled to this node, origin first, this node last. */
export interface PropagationPath {
  readonly hops: readonly PathHop[]
  /** Traced back to the origin; false when a hop did not know or the depth limit was reached. */
  readonly complete: boolean
}

/** What this node knows about an RNA besides its bytes. */
export interface RnaMeta {
  readonly kind: 'mrna'
  /** The origin's peer ID, as text. */
  readonly origin: string
  /** The peer that delivered it first (gossip's propagation source); absent when this node published it. */
  readonly from?: string
  /** When it arrived (or was published here), ms since the epoch. */
  readonly receivedAt: number
  /** When the origin published it. */
  readonly publishedAt: number
  /** Quality when it was accepted, in [0, 1]. */
  readonly quality: number
  /** When this node stops keeping and serving it. */
  readonly expires: number
  readonly gameId: string
  readonly size: number
  readonly result?: string
  /** How the game ended and what quality is computed from besides the moves. */
  readonly end: 'score' | 'resign' | 'timeout' | 'void'
  readonly handicap: number
  /** The players' ratings at the start (TrueSkill, thousandths), in a rated game. */
  readonly ratings?: { readonly B: { readonly mu: number, readonly sigma: number }, readonly W: { readonly mu: number, readonly sigma: number } }
  /** Novelty when it arrived, in [0, 1]: later arrivals do not make it less new. */
  readonly novelty: number
  readonly names: { readonly B: string, readonly W: string }
  /** The turns (null = pass), kept so the novelty index is rebuilt without replaying every game. */
  readonly moves: ReadonlyArray<Vertex | null>
  /** Distinct peers that found it useful (asked about it), at most MAX_USES. */
  readonly uses: readonly string[]
  readonly path?: PropagationPath
}

/** Peers remembered per RNA as having used it: quality's use term saturates long before. */
export const MAX_USES = 64
/** Largest meta record: a few hundred bytes plus two bytes a turn. */
const META_MAX_BYTES = 16 * 1024
/** A pass in the packed move list. */
const PASS = 0xffff

/** A stored RNA. */
export interface StoredRna {
  readonly id: CID
  readonly bytes: Uint8Array
  readonly meta: RnaMeta
}

/**
 * RNA on disk: each envelope exactly as received (so it can be served and exported byte for byte)
 * and its meta, written together in one batch so a crash keeps both or neither.
 */
export class RnaStore {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  async has (id: CID): Promise<boolean> {
    return this.ds.has(this.key(id, 'meta'))
  }

  /** Stores a new RNA with its meta (both or neither). */
  async put (id: CID, bytes: Uint8Array, meta: RnaMeta): Promise<void> {
    const batch = this.ds.batch()
    batch.put(this.key(id, 'data'), bytes)
    batch.put(this.key(id, 'meta'), encodeMeta(meta))
    await batch.commit()
  }

  /** Replaces an RNA's meta (a use, a traced path). */
  async saveMeta (id: CID, meta: RnaMeta): Promise<void> {
    await this.ds.put(this.key(id, 'meta'), encodeMeta(meta))
  }

  async meta (id: CID): Promise<RnaMeta> {
    return decodeMeta(await this.ds.get(this.key(id, 'meta')))
  }

  async get (id: CID): Promise<StoredRna> {
    const [meta, bytes] = await Promise.all([this.meta(id), this.ds.get(this.key(id, 'data'))])
    return { id, bytes, meta }
  }

  async delete (id: CID): Promise<void> {
    const batch = this.ds.batch()
    batch.delete(this.key(id, 'meta'))
    batch.delete(this.key(id, 'data'))
    await batch.commit()
  }

  /** Every stored RNA's ID and meta (meta that does not decode is skipped: it is not ours). */
  async * list (): AsyncGenerator<{ id: CID, meta: RnaMeta }> {
    for await (const { key, value } of this.ds.query({ prefix: RNA_PREFIX + '/' })) {
      const parts = key.toString().split('/')
      // /p2pgo/rna/<cid>/meta
      if (parts.length !== 5 || parts[4] !== 'meta') continue
      try {
        yield { id: CID.parse(parts[3]), meta: decodeMeta(value) }
      } catch {
        continue
      }
    }
  }

  /** Finds an RNA by its full ID or a unique prefix of it. */
  async find (idOrPrefix: string): Promise<CID | undefined> {
    const matches: CID[] = []
    for await (const { id } of this.list()) if (id.toString().startsWith(idOrPrefix)) matches.push(id)
    return matches.length === 1 ? matches[0] : undefined
  }

  private key (id: CID, suffix: string): Key {
    return new Key(`${RNA_PREFIX}/${id.toString()}/${suffix}`)
  }
}

/** Quality is kept in millionths: canonical CBOR here carries no floats. */
const MILLION = 1_000_000

function packMoves (size: number, moves: ReadonlyArray<Vertex | null>): Uint8Array {
  const out = new Uint8Array(moves.length * 2)
  const view = new DataView(out.buffer)
  moves.forEach((m, i) => { view.setUint16(i * 2, m == null ? PASS : m.y * size + m.x) })
  return out
}

function unpackMoves (size: number, packed: Uint8Array): Array<Vertex | null> {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength)
  const out: Array<Vertex | null> = []
  for (let i = 0; i + 1 < packed.length; i += 2) {
    const v = view.getUint16(i)
    out.push(v === PASS ? null : { x: v % size, y: Math.floor(v / size) })
  }
  return out
}

function encodeMeta (m: RnaMeta): Uint8Array {
  return encodeCanonical({
    kind: m.kind,
    origin: m.origin,
    ...(m.from != null ? { from: m.from } : {}),
    receivedAt: m.receivedAt,
    publishedAt: m.publishedAt,
    quality: Math.round(m.quality * MILLION),
    expires: m.expires,
    gameId: m.gameId,
    size: m.size,
    ...(m.result != null ? { result: m.result } : {}),
    end: m.end,
    handicap: m.handicap,
    ...(m.ratings != null ? { ratings: { B: { mu: m.ratings.B.mu, sigma: m.ratings.B.sigma }, W: { mu: m.ratings.W.mu, sigma: m.ratings.W.sigma } } } : {}),
    novelty: Math.round(m.novelty * MILLION),
    names: { B: m.names.B, W: m.names.W },
    moves: packMoves(m.size, m.moves),
    uses: [...m.uses],
    ...(m.path != null ? { path: { complete: m.path.complete, hops: m.path.hops.map(h => ({ peer: h.peer, at: h.at })) } } : {})
  })
}

const peerText = text(128)

function decodeMeta (data: Uint8Array): RnaMeta {
  const m = asMap(decodeCanonical(data, { maxBytes: META_MAX_BYTES }), 'meta')
  noExtraKeys(m, ['kind', 'origin', 'from', 'receivedAt', 'publishedAt', 'quality', 'expires', 'gameId', 'size', 'result', 'end', 'handicap', 'ratings', 'novelty', 'names', 'moves', 'uses', 'path'], 'meta')
  const ratings = optional(m, 'ratings', (value, p) => {
    const map = asMap(value, p)
    const side = (k: 'B' | 'W'): { mu: number, sigma: number } => {
      const r = field(map, k, asMap, p)
      return { mu: field(r, 'mu', int(-1_000_000, 1_000_000), p), sigma: field(r, 'sigma', uint(1_000_000), p) }
    }
    return { B: side('B'), W: side('W') }
  }, 'meta')
  const names = field(m, 'names', asMap, 'meta')
  const size = field(m, 'size', uint(25), 'meta')
  const from = optional(m, 'from', peerText, 'meta')
  const result = optional(m, 'result', text(16), 'meta')
  const path = optional(m, 'path', (value, p) => {
    const map = asMap(value, p)
    const hops = field(map, 'hops', arrayOf((h, hp): PathHop => {
      const hop = asMap(h, hp) as CborMap
      return { peer: field(hop, 'peer', peerText, hp), at: field(hop, 'at', uint(), hp) }
    }, 64), p)
    return { complete: field(map, 'complete', bool, p), hops }
  }, 'meta')
  return {
    kind: field(m, 'kind', oneOf('mrna'), 'meta'),
    origin: field(m, 'origin', peerText, 'meta'),
    ...(from != null ? { from } : {}),
    receivedAt: field(m, 'receivedAt', uint(), 'meta'),
    publishedAt: field(m, 'publishedAt', uint(), 'meta'),
    quality: field(m, 'quality', uint(MILLION), 'meta') / MILLION,
    expires: field(m, 'expires', uint(), 'meta'),
    gameId: field(m, 'gameId', text(128), 'meta'),
    size,
    ...(result != null ? { result } : {}),
    end: field(m, 'end', oneOf('score', 'resign', 'timeout', 'void'), 'meta'),
    handicap: field(m, 'handicap', uint(), 'meta'),
    ...(ratings != null ? { ratings } : {}),
    novelty: field(m, 'novelty', uint(MILLION), 'meta') / MILLION,
    names: { B: field(names, 'B', text(128), 'names'), W: field(names, 'W', text(128), 'names') },
    moves: unpackMoves(size, field(m, 'moves', bytes({ max: RNA_MAX_BYTES }), 'meta')),
    uses: field(m, 'uses', arrayOf(peerText, MAX_USES), 'meta'),
    ...(path != null ? { path } : {})
  }
}
