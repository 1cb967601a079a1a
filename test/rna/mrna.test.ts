import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeMrna, encodeMrna, mrnaOf } from '../../src/rna/mrna.js'
import { decodeRna, encodeRna, rnaIdOf, signRna } from '../../src/rna/rna.js'
import { validateRna } from '../../src/rna/validate.js'
import { InvalidRnaError } from '../../src/rna/errors.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { ACT_DOMAIN, actToSign, type Act } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import { RNA_MAX_BYTES } from '../../src/rna/constants.js'
import { finishedGame, mrnaBytes, someMoves } from '../helpers/rna.js'
import { sessionPair, settle } from '../helpers/sessions.js'

async function reason (p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    if (err instanceof InvalidRnaError) return err.reason
    throw err
  }
  return 'accepted'
}

describe('mRNA', () => {
  it('carries the whole game, chats redacted, and replays to the same result', async () => {
    const pair = await finishedGame(someMoves(1))
    const { body, bytes } = await mrnaBytes(pair)
    const valid = await validateRna(bytes, pair.time.now())
    expect(valid.id.equals(rnaIdOf(body))).toBe(true)
    expect(valid.game.cosigned).toBe(true)
    expect(valid.game.end).toBe('score')
    expect(valid.game.result).toBe(pair.black.end?.result)
    expect(valid.game.moves).toEqual([...someMoves(1), null, null])
    expect(valid.game.gameId.equals(pair.black.gameId)).toBe(true)
    // The chat is in the chain as a CID only: its text is not published.
    expect(new TextDecoder().decode(bytes)).not.toContain('good game')
    expect(valid.body.chains.B.some(e => 'redacted' in e)).toBe(true)
  })

  it('is the same RNA whichever player publishes it', async () => {
    const pair = await finishedGame(someMoves(2))
    const byB = await mrnaBytes(pair, 'B')
    const byW = await mrnaBytes(pair, 'W')
    expect(byB.bytes).not.toEqual(byW.bytes)
    const a = await validateRna(byB.bytes, pair.time.now())
    const b = await validateRna(byW.bytes, pair.time.now())
    expect(a.id.equals(b.id)).toBe(true)
  })

  it('encodes canonically: decode then encode gives the same bytes', async () => {
    const pair = await finishedGame(someMoves(3))
    const { body } = await mrnaBytes(pair)
    expect(encodeMrna(decodeMrna(body))).toEqual(body)
  })

  it('refuses an RNA whose origin did not play the game', async () => {
    const pair = await finishedGame(someMoves(4))
    const { body } = await mrnaBytes(pair)
    const stranger = await generateKeyPair('Ed25519')
    const rna = await signRna(stranger, peerIdFromPrivateKey(stranger).toMultihash().bytes, body, pair.time.now())
    expect(await reason(validateRna(encodeRna(rna), pair.time.now()))).toBe('not-a-player')
  })

  it('refuses a changed move: the act signature fails even when the origin re-signs the envelope', async () => {
    const pair = await finishedGame(someMoves(5))
    const body = mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W })
    const moveIndex = body.chains.W.findIndex(e => 'kind' in e && e.kind === 'move')
    const move = body.chains.W[moveIndex] as Act
    const tampered = { ...body, chains: { ...body.chains, W: body.chains.W.map((e, i) => (i === moveIndex ? { ...move, x: (move.x! + 1) % 9 } : e)) } }
    const bytes = encodeMrna(tampered)
    const rna = await signRna(pair.keys.B, peerIdFromPrivateKey(pair.keys.B).toMultihash().bytes, bytes, pair.time.now())
    expect(await reason(validateRna(encodeRna(rna), pair.time.now()))).toBe('bad-signature')
  })

  it('refuses an illegal move even when its player signed it', async () => {
    const pair = await finishedGame(someMoves(6))
    const body = mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W })
    // Black re-signs its own second move onto an occupied point and re-chains everything after it.
    const chain = [...body.chains.B] as Act[]
    const firstMove = chain.find(a => a.kind === 'move')!
    const i = chain.findIndex((a, k) => a.kind === 'move' && k > chain.indexOf(firstMove))
    const { sig: _sig, ...unsigned } = chain[i]
    const forged = { ...unsigned, x: firstMove.x, y: firstMove.y }
    chain[i] = { ...forged, sig: (await sign(pair.keys.B, ACT_DOMAIN, actToSign(forged))).sig }
    const bytes = encodeMrna({ ...body, chains: { ...body.chains, B: chain } })
    const rna = await signRna(pair.keys.B, peerIdFromPrivateKey(pair.keys.B).toMultihash().bytes, bytes, pair.time.now())
    // Re-signing one act breaks the next act's link to it, or the move itself is illegal.
    expect(['illegal-game', 'bad-signature']).toContain(await reason(validateRna(encodeRna(rna), pair.time.now())))
  })

  it('refuses a forged origin signature, a date from the future, oversized and malformed input', async () => {
    const pair = await finishedGame(someMoves(7))
    const { bytes } = await mrnaBytes(pair)
    const rna = decodeRna(bytes)
    const badSig = encodeRna({ ...rna, sig: rna.sig.map((b, i) => (i === 0 ? b ^ 1 : b)) })
    expect(await reason(validateRna(badSig, pair.time.now()))).toBe('bad-signature')
    const future = await mrnaBytes(pair, 'B', pair.time.now() + 3_600_000)
    expect(await reason(validateRna(future.bytes, pair.time.now()))).toBe('from-the-future')
    expect(await reason(validateRna(new Uint8Array(RNA_MAX_BYTES + 1), pair.time.now()))).toBe('too-large')
    expect(await reason(validateRna(new Uint8Array([0xa1, 0x61]), pair.time.now()))).toBe('malformed')
    expect(await reason(validateRna(encodeCanonical({ v: 1, t: 'rna', body: new Uint8Array([1]), origin: rna.origin, at: 1, sig: rna.sig, extra: 1 }), pair.time.now()))).toBe('malformed')
    const unknownKind = await signRna(pair.keys.B, rna.origin, encodeCanonical({ v: 1, t: 'trna' }), pair.time.now())
    expect(await reason(validateRna(encodeRna(unknownKind), pair.time.now()))).toBe('unknown-kind')
  })

  it('takes a game without a co-signed end as valid but void (worthless)', async () => {
    const pair = await sessionPair()
    await pair.black.move({ x: 2, y: 2 })
    await settle(pair.black, pair.white)
    const body = encodeMrna(mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W }))
    const rna = await signRna(pair.keys.B, peerIdFromPrivateKey(pair.keys.B).toMultihash().bytes, body, pair.time.now())
    const valid = await validateRna(encodeRna(rna), pair.time.now())
    expect(valid.game.cosigned).toBe(false)
    expect(valid.game.end).toBe('void')
  })
})

// Found by the fuzzer (test/fuzz): an envelope dated past the last date a JS Date can hold
// (8.64e15 ms) threw RangeError ("Invalid time value") while its refusal was being worded, out
// of validateRna and into the gossip validator, instead of InvalidRnaError('from-the-future').
describe('an RNA dated past the end of time', () => {
  it.each([Number.MAX_SAFE_INTEGER, 8.64e15 + 1])('at %d is refused as from the future', async at => {
    const pair = await finishedGame(someMoves(6))
    const { body } = await mrnaBytes(pair)
    const rna = await signRna(pair.keys.B, peerIdFromPrivateKey(pair.keys.B).toMultihash().bytes, body, at)
    expect(await reason(validateRna(encodeRna(rna), pair.time.now()))).toBe('from-the-future')
  })
})
