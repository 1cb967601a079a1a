// Real signed inputs to start mutations from: one finished 9x9 game between two in-memory
// sessions (its start record, every act, the co-signed result, the mRNA and its RNA), a signed
// rating record, a signed peer record and an identity file. Mutating these reaches the checks
// behind the signatures, where random bytes never get.
import { multiaddr } from '@multiformats/multiaddr'
import { privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { decodeCanonical } from '../../src/wire/cbor.js'
import { encodeGameMessage, type Act } from '../../src/wire/game-messages.js'
import { encodeStart } from '../../src/wire/game-start.js'
import { bindingRequest, bindingResponse, parseBindingRequest } from '../../src/wire/stun.js'
import { cosignedResultId, encodeCosignedResult } from '../../src/rating/cosigned-result.js'
import { encodeRatingRecord, signRatingRecord } from '../../src/rating/rating-record.js'
import { recordToSgf } from '../../src/game/sgf.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { finishedGame, mrnaBytes, someMoves } from '../helpers/rna.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Pair } from '../helpers/sessions.js'

/** The seeds every target may start from. */
export interface Corpus {
  readonly pair: Pair
  readonly keys: { readonly B: PrivateKey, readonly W: PrivateKey }
  /** Peer ID multihash bytes of B and W. */
  readonly peers: { readonly B: Uint8Array, readonly W: Uint8Array }
  /** The clock the game was played on: records made at it are neither expired nor from the future. */
  readonly now: number
  readonly start: Uint8Array
  readonly acts: readonly Uint8Array[]
  readonly cosigned: Uint8Array
  readonly mrna: Uint8Array
  readonly rna: Uint8Array
  readonly ratingRecord: Uint8Array
  readonly peerRecord: Uint8Array
  readonly identity: Uint8Array
  readonly stun: readonly Uint8Array[]
  readonly sgf: string
}

/** The decoded value of canonical bytes, for value mutations. */
export function valueOf (bytes: Uint8Array): unknown {
  return decodeCanonical(bytes, { maxBytes: bytes.length })
}

let built: Promise<Corpus> | undefined

/** The corpus, built once per process. */
export async function corpus (): Promise<Corpus> {
  built ??= build()
  return built
}

async function build (): Promise<Corpus> {
  const pair = await finishedGame(someMoves(7, 14))
  const { black, start, keys, time } = pair
  const peers = { B: peerIdFromPrivateKey(keys.B).toMultihash().bytes, W: peerIdFromPrivateKey(keys.W).toMultihash().bytes }
  const acts: Act[] = [...black.acts.B, ...black.acts.W]
  const results = black.results
  if (results.B == null || results.W == null) throw new Error('the corpus game did not end with both results')
  const cosignedResult = { start, acts: { B: results.B, W: results.W } }
  const { body, bytes } = await mrnaBytes(pair)
  const now = time.now()
  const record = await signRatingRecord(keys.B, {
    peer: peers.B,
    seq: now,
    updated: now,
    expires: now + 86_400_000,
    sizes: { 9: { rating: { mu: 27_000, sigma: 7_000 }, games: 3, cited: [{ result: cosignedResultId(cosignedResult), after: { mu: 27_000, sigma: 7_000 } }] } },
    relay: { delivered: 10, failed: 1, served: 2 }
  })
  const peerRecord = new PeerRecord({ peerId: peerIdFromPrivateKey(keys.B), multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/ip6/::1/tcp/4001')], seqNumber: 1n })
  const envelope = await RecordEnvelope.seal(peerRecord, keys.B)
  const request = bindingRequest(Uint8Array.from({ length: 12 }, (_, i) => i + 1))
  const parsed = parseBindingRequest(request)
  if (parsed == null) throw new Error('the corpus STUN request does not parse')
  return {
    pair,
    keys,
    peers,
    now,
    start: encodeStart(start),
    acts: acts.map(act => encodeGameMessage({ t: 'act', ...act })),
    cosigned: encodeCosignedResult(cosignedResult),
    mrna: body,
    rna: bytes,
    ratingRecord: encodeRatingRecord(record),
    peerRecord: envelope.marshal(),
    identity: privateKeyToProtobuf(keys.B),
    stun: [request, bindingResponse(parsed, '192.0.2.7', 51234), bindingResponse(parsed, '2001:db8::7', 443)],
    sgf: recordToSgf({
      size: 9,
      rules: 'japanese',
      komi: 6.5,
      handicap: 0,
      handicapStones: [],
      players: { black: { name: 'Black', rank: '3k' }, white: { name: 'White' } },
      time: { mainSeconds: 600, overtime: '5x30 byo-yomi' },
      moves: someMoves(3, 10).map((vertex, i) => ({ color: i % 2 === 0 ? BLACK : WHITE, vertex, clock: { left: 590 - i } })),
      result: 'B+R',
      comment: 'a corpus game'
    })
  }
}
