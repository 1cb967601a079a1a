// Fuzz targets for every decoder that takes bytes from a peer: frames, the CBOR layer, each
// protocol's messages, lobby and RNA gossip, DHT records and STUN packets. Each names the error
// classes its decoder documents; anything else it throws is a crash.
import fc from 'fast-check'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { cidOfCanonical } from '../../src/wire/cid.js'
import { WireError } from '../../src/wire/errors.js'
import { decodeFrames, encodeFrame } from '../../src/wire/frame.js'
import { decodeGameMessage, GAME_MAX_BYTES } from '../../src/wire/game-messages.js'
import { decodeStart, START_MAX_BYTES } from '../../src/wire/game-start.js'
import { sign } from '../../src/wire/signing.js'
import { parseBindingRequest, parseBindingResponse, STUN_MAX_BYTES } from '../../src/wire/stun.js'
import { decodeChallengeMessage } from '../../src/net/challenge/messages.js'
import { CHALLENGE_MAX_BYTES } from '../../src/net/challenge/constants.js'
import { recordProblem } from '../../src/net/lobby/peer-record.js'
import { RECORD_MAX_BYTES as PEER_RECORD_MAX_BYTES } from '../../src/net/lobby/constants.js'
import { decodePathMessage } from '../../src/net/rna/path-messages.js'
import { PATH_MAX_BYTES } from '../../src/net/rna/constants.js'
import { decodeRelayLoad } from '../../src/net/relay-load/messages.js'
import { RelayLoadError } from '../../src/net/relay-load/errors.js'
import { MAX_LOAD_NUMBER, RELAY_LOAD_MAX_BYTES } from '../../src/net/relay-load/constants.js'
import { messageId } from '../../src/net/rna/message-id.js'
import { RNA_TOPIC } from '../../src/net/rna/constants.js'
import { DhtRecords, ratingKey, resultKey } from '../../src/net/rating/dht-records.js'
import { decodeMrna } from '../../src/rna/mrna.js'
import { encodeRna, signRna } from '../../src/rna/rna.js'
import { validateRna } from '../../src/rna/validate.js'
import { InvalidRnaError } from '../../src/rna/errors.js'
import { RNA_MAX_BYTES } from '../../src/rna/constants.js'
import { decodeCosignedResult, verifyCosignedResult } from '../../src/rating/cosigned-result.js'
import { checkRatingRecord } from '../../src/rating/rating-record.js'
import { InvalidRatingRecordError } from '../../src/rating/errors.js'
import { RECORD_DOMAIN, RECORD_MAX_BYTES, RESULT_MAX_BYTES } from '../../src/rating/constants.js'
import { challengeMessageArb, gameMessageArb, pathMessageArb, ratingRecordArb, redactedArb, rnaArb, startArb } from './arbitraries.js'
import { hostileBytes, mutatedBytes, mutatedValue } from './mutate.js'
import { valueOf, type Corpus } from './corpus.js'
import { chainEdits, resignedBody, type ChainEdits } from './signed-chains.js'
import type { FuzzTarget } from './harness.js'
import type { Message } from '@libp2p/gossipsub'

/** Bytes from a valid-shaped value or a seed, broken every way mutate.ts knows, including structural edits of the seeds. */
function hostile (valid: fc.Arbitrary<unknown>, maxBytes: number, seeds: readonly Uint8Array[] = []): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) return hostileBytes(valid, maxBytes)
  const seedValues = fc.constantFrom(...seeds.map(valueOf))
  return hostileBytes(fc.oneof(valid, seedValues), maxBytes, seeds)
}

/** Varint prefixes a hostile peer may send: too long, not minimal, claiming 2^63. */
const hostilePrefixes = ['ffffffffffffffffff01', '8000', '80808080808080808000', 'ffffffffffffffff7f', '8180808008', '00'].map(h => Uint8Array.from(Buffer.from(h, 'hex')))

export function peerTargets (c: Corpus): FuzzTarget[] {
  const fromB = peerIdFromPrivateKey(c.keys.B)
  const now = c.now
  const frameStream = fc.tuple(
    fc.array(fc.oneof(
      hostile(gameMessageArb, GAME_MAX_BYTES, c.acts).map(b => encodeFrame(b)),
      fc.constantFrom(...hostilePrefixes)
    ), { maxLength: 4 }),
    fc.array(fc.nat(), { maxLength: 6 })
  ).chain(([frames, cuts]) => {
    const whole = Buffer.concat(frames)
    return fc.oneof(fc.constant(new Uint8Array(whole)), mutatedBytes(fc.constant(new Uint8Array(whole)))).map(bytes => ({ bytes, cuts }))
  })
  return [
    {
      name: 'frames',
      decoder: 'decodeFrames + decodeGameMessage (a game stream)',
      input: frameStream,
      run: async ({ bytes, cuts }: { bytes: Uint8Array, cuts: number[] }) => {
        // The stream's chunks: the bytes cut at arbitrary points, as TCP and yamux may deliver them.
        const points = [...new Set(cuts.map(n => bytes.length === 0 ? 0 : n % bytes.length))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((from, i, all) => bytes.subarray(from, all[i + 1] ?? bytes.length))
        for await (const frame of decodeFrames(chunks, { maxBytes: GAME_MAX_BYTES })) decodeGameMessage(frame)
      },
      allowed: [WireError],
      show: ({ bytes, cuts }: { bytes: Uint8Array, cuts: number[] }) => `hex:${Buffer.from(bytes).toString('hex').slice(0, 400)} cut at ${cuts.join(',')}`
    },
    {
      name: 'cbor',
      decoder: 'decodeCanonical (every message\'s first step)',
      input: hostile(fc.anything({ maxDepth: 3, withNullPrototype: false }), 4096, [c.start, c.cosigned]),
      run: (bytes: Uint8Array) => {
        const value = decodeCanonical(bytes, { maxBytes: 4096 })
        // What decodes must re-encode to the same bytes: the decoder's promise of one byte form.
        if (!Buffer.from(encodeCanonical(value)).equals(bytes)) throw new Error('decoded value does not re-encode to its bytes')
      },
      allowed: [WireError]
    },
    {
      name: 'challenge',
      decoder: 'decodeChallengeMessage (/p2pgo/challenge)',
      input: hostile(challengeMessageArb, CHALLENGE_MAX_BYTES),
      run: decodeChallengeMessage,
      allowed: [WireError]
    },
    {
      name: 'game-message',
      decoder: 'decodeGameMessage (/p2pgo/game acts and frames)',
      input: hostile(gameMessageArb, GAME_MAX_BYTES, c.acts),
      run: decodeGameMessage,
      allowed: [WireError]
    },
    {
      name: 'start-record',
      decoder: 'decodeStart (co-signed start records)',
      input: hostile(startArb, START_MAX_BYTES, [c.start]),
      run: decodeStart,
      allowed: [WireError]
    },
    {
      name: 'peer-record',
      decoder: 'recordProblem (the signed peer record a presence carries)',
      input: fc.oneof(mutatedBytes(fc.constant(c.peerRecord)), fc.uint8Array({ maxLength: PEER_RECORD_MAX_BYTES })),
      run: async (bytes: Uint8Array) => await recordProblem(bytes, fromB),
      allowed: []
    },
    {
      name: 'rna-path',
      decoder: 'decodePathMessage (/p2pgo/rna-path)',
      input: hostile(pathMessageArb, PATH_MAX_BYTES),
      run: decodePathMessage,
      allowed: [WireError]
    },
    {
      name: 'relay-load',
      decoder: 'decodeRelayLoad (/p2pgo/relay-load)',
      input: hostile(fc.integer({ min: 1, max: MAX_LOAD_NUMBER }).chain(max => fc.record({
        v: fc.constant(1), t: fc.constant('load'), reservations: fc.integer({ min: 0, max }), maxReservations: fc.constant(max), circuits: fc.nat(MAX_LOAD_NUMBER), refused: fc.nat(MAX_LOAD_NUMBER)
      })), RELAY_LOAD_MAX_BYTES),
      run: decodeRelayLoad,
      allowed: [RelayLoadError]
    },
    {
      name: 'rna-gossip',
      decoder: 'validateRna on envelopes as received (gossip /p2pgo/rna/1)',
      input: hostile(rnaArb(fc.oneof(fc.constant(c.mrna), mutatedBytes(fc.constant(c.mrna)))), RNA_MAX_BYTES, [c.rna]),
      run: async (bytes: Uint8Array) => {
        messageId({ topic: RNA_TOPIC, data: bytes, type: 'unsigned' } as unknown as Message)
        await validateRna(bytes, now)
      },
      allowed: [InvalidRnaError]
    },
    {
      name: 'mrna',
      decoder: 'validateRna on bodies a player signed (mRNA decode and replay)',
      // A hostile origin signs its own junk: the body then reaches decodeMrna and the replay.
      input: hostile(fc.record({ v: fc.constant(1), t: fc.constant('mrna'), start: fc.constant(c.start), B: fc.array(fc.oneof(fc.constantFrom(...c.acts), redactedArb), { maxLength: 4 }), W: fc.constant([]) }), RNA_MAX_BYTES, [c.mrna]),
      run: async (body: Uint8Array) => {
        decodeMrnaQuietly(body)
        await validateRna(encodeRna(await signRna(c.keys.B, c.peers.B, body, now)), now)
      },
      allowed: [InvalidRnaError]
    },
    {
      name: 'mrna-signed-acts',
      decoder: 'validateRna on transcripts whose changed acts their players signed again (replay)',
      input: chainEdits,
      run: async (edits: ChainEdits) => {
        const body = await resignedBody(c, edits)
        await validateRna(encodeRna(await signRna(c.keys.B, c.peers.B, body, now)), now)
      },
      allowed: [InvalidRnaError]
    },
    {
      name: 'rating-record',
      decoder: 'checkRatingRecord, re-signed by its subject (DHT /p2pgo-rating)',
      input: hostile(ratingRecordArb.map(r => ({ ...r, peer: c.peers.B })), RECORD_MAX_BYTES, [c.ratingRecord]),
      run: async (bytes: Uint8Array) => {
        const records = new DhtRecords(() => now)
        await records.checkRating(ratingKey(c.peers.B), bytes).catch(swallowRating)
        records.newestIndex([bytes, c.ratingRecord])
        // The subject signs whatever map the bytes hold, so the checks behind the signature run too.
        let value: unknown
        try { value = decodeCanonical(bytes, { maxBytes: RECORD_MAX_BYTES }) } catch { return }
        if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return
        let signed: Uint8Array
        try { signed = encodeCanonical(await sign(c.keys.B, RECORD_DOMAIN, value as Record<string, unknown>)) } catch { return }
        await checkRatingRecord(signed, c.peers.B, now)
      },
      allowed: [InvalidRatingRecordError]
    },
    {
      name: 'cosigned-result',
      decoder: 'DhtRecords.checkResult (DHT /p2pgo-result: decode, CID, both signatures)',
      input: fc.tuple(hostile(fc.constant(valueOf(c.cosigned)), RESULT_MAX_BYTES, [c.cosigned]), fc.boolean()),
      run: async ([bytes, rightKey]: [Uint8Array, boolean]) => {
        const key = rightKey ? resultKey(cidOfCanonical(bytes)) : bytes.subarray(0, 40)
        await new DhtRecords(() => now).checkResult(key, bytes)
        await verifyCosignedResult(decodeCosignedResult(bytes))
      },
      allowed: [InvalidRatingRecordError]
    },
    {
      name: 'stun',
      decoder: 'parseBindingRequest / parseBindingResponse (UDP from anyone)',
      input: fc.oneof(mutatedBytes(fc.constantFrom(...c.stun)), fc.uint8Array({ maxLength: STUN_MAX_BYTES + 16 })),
      run: (bytes: Uint8Array) => {
        parseBindingRequest(bytes)
        parseBindingResponse(bytes, bytes.subarray(8, 20))
      },
      allowed: []
    }
  ]
}

/** decodeMrna on its own, its documented refusal swallowed: the replay after it sees the same bytes. */
function decodeMrnaQuietly (body: Uint8Array): void {
  try { decodeMrna(body) } catch (err) { if (!(err instanceof InvalidRnaError)) throw err }
}

function swallowRating (err: unknown): void {
  if (!(err instanceof InvalidRatingRecordError)) throw err
}
