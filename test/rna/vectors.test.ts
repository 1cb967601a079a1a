import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { GameSession } from '../../src/session/index.js'
import { decodeRna, encodeRna, rnaIdOf, signRna } from '../../src/rna/rna.js'
import { decodeMrna, encodeMrna, mrnaOf } from '../../src/rna/mrna.js'
import { InvalidRnaError } from '../../src/rna/errors.js'
import { validateRna } from '../../src/rna/validate.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { ACT_DOMAIN, START_DOMAIN, actToSign, type Act, type Side } from '../../src/wire/game-messages.js'
import { gameIdOf, startToSign, type SignedStart, type StartRecord } from '../../src/wire/game-start.js'
import { sign } from '../../src/wire/signing.js'
import { hex, readVectors, toHex } from '../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../protocols/rna.md', import.meta.url), 'utf8'))
const vector = (name: string): { value: string, expect?: string } => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/rna.md`)
  return v
}

const black = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
const white = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(2))
const blackId = peerIdFromPrivateKey(black).toMultihash().bytes
const created = 1_700_000_000_000
const published = 1_700_000_064_000

/**
 * The game the document describes, played by two in-memory sessions that hand each other every
 * act at once. Built here, not with test/helpers, so that the vectors cannot change when a
 * helper shared by other tests does.
 */
async function documentedGame (): Promise<{ start: SignedStart, acts: Readonly<Record<Side, readonly Act[]>> }> {
  const record: StartRecord = {
    terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } },
    black: blackId,
    white: peerIdFromPrivateKey(white).toMultihash().bytes,
    // Fixed, where a real challenge draws it at random: the game ID, and so every act, depends on it.
    nonce: new Uint8Array(16).fill(7),
    created,
    names: { B: 'Black player', W: 'White player' }
  }
  const signed = startToSign(record)
  const start: SignedStart = { ...record, sigs: { B: (await sign(black, START_DOMAIN, signed)).sig, W: (await sign(white, START_DOMAIN, signed)).sig } }
  let now = created
  const init = { start, gameId: gameIdOf(record), keys: { B: black.publicKey, W: white.publicKey }, now: () => now }
  const B = new GameSession({ ...init, me: 'B', key: black })
  const W = new GameSession({ ...init, me: 'W', key: white })
  // Each act reaches the other side before the next is made, so every `seen` is as high as it can be.
  const settle = async (): Promise<void> => {
    while (B.unacked.length > 0 || W.unacked.length > 0) {
      for (const [from, to] of [[B, W], [W, B]]) {
        for (const act of from.unacked) await to.receive(act)
        from.acknowledge(to.have)
      }
    }
  }
  const moves: Array<[GameSession, number, number]> = [[B, 2, 2], [W, 6, 6], [B, 6, 2], [W, 2, 6]]
  for (const [player, x, y] of moves) {
    now += 1000
    await player.move({ x, y })
    await settle()
  }
  await B.chat('good game')
  await settle()
  for (const act of [async () => B.pass(), async () => W.pass(), async () => B.acceptScore(), async () => W.acceptScore()]) {
    await act()
    await settle()
  }
  return { start, acts: B.acts }
}

const game = await documentedGame()
const body = encodeMrna(mrnaOf(game.start, game.acts))
const envelope = encodeRna(await signRna(black, blackId, body, published))

/** The body with White's first move put on Black's first stone, C7, and signed again by White. */
async function illegalBody (): Promise<Uint8Array> {
  const i = game.acts.W.findIndex(a => a.kind === 'move')
  const { sig: _sig, ...unsigned } = { ...game.acts.W[i], x: 2, y: 2 }
  const resigned: Act = { ...unsigned, sig: (await sign(white, ACT_DOMAIN, actToSign(unsigned))).sig }
  return encodeMrna(mrnaOf(game.start, { ...game.acts, W: game.acts.W.map((a, j) => (j === i ? resigned : a)) }))
}

/** How each refused vector is made from the genuine game, as the document describes it. */
const refused: Record<string, () => Promise<Uint8Array>> = {
  'rna-forged': async () => encodeRna(await signRna(white, blackId, body, published)),
  'rna-truncated': async () => envelope.slice(0, 64),
  'rna-illegal-move': async () => encodeRna(await signRna(black, blackId, await illegalBody(), published)),
  'rna-unknown-kind': async () => encodeRna(await signRna(black, blackId, encodeCanonical({ v: 1, t: 'trna', positions: [] }), published))
}

const reasonOf = async (bytes: Uint8Array): Promise<string> =>
  validateRna(bytes, published).then(() => 'accepted', (err: unknown) => err instanceof InvalidRnaError ? err.reason : `other: ${(err as Error).message}`)

describe('protocols/rna.md vectors', () => {
  it('the players\' peer IDs', () => {
    expect(peerIdFromPrivateKey(black).toString()).toBe(vector('black-peer-id').value)
    expect(peerIdFromPrivateKey(white).toString()).toBe(vector('white-peer-id').value)
  })

  it('the game as the document describes it makes exactly the body, the RNA ID and the envelope', () => {
    expect(toHex(body)).toBe(vector('mrna-body').value)
    expect(rnaIdOf(body).toString()).toBe(vector('rna-id').value)
    expect(toHex(envelope)).toBe(vector('rna').value)
  })

  it('the envelope validates, and decodes back to the same bytes', async () => {
    const bytes = hex(vector('rna').value)
    const valid = await validateRna(bytes, published)
    expect(valid.id.toString()).toBe(vector('rna-id').value)
    expect(toHex(valid.rna.body)).toBe(vector('mrna-body').value)
    expect(valid.game.result).toBe('W+7.5')
    expect(valid.game.end).toBe('score')
    expect(valid.game.cosigned).toBe(true)
    // Four stones and two passes; the chat is no turn.
    expect(valid.game.moves).toEqual([{ x: 2, y: 2 }, { x: 6, y: 6 }, { x: 6, y: 2 }, { x: 2, y: 6 }, null, null])
    expect(toHex(encodeRna(decodeRna(bytes)))).toBe(toHex(bytes))
    expect(toHex(encodeMrna(decodeMrna(valid.rna.body)))).toBe(vector('mrna-body').value)
  })

  it.each(Object.keys(refused))('%s is made as described and refused with its stated reason', async name => {
    const v = vector(name)
    expect(v.expect).toBeDefined()
    expect(toHex(await refused[name]())).toBe(v.value)
    expect(await reasonOf(hex(v.value))).toBe(v.expect)
  })

  it('a changed move that its player did not sign again fails on that act\'s signature, even re-published by the origin', async () => {
    const i = game.acts.W.findIndex(a => a.kind === 'move')
    const moved = encodeMrna(mrnaOf(game.start, { ...game.acts, W: game.acts.W.map((a, j) => (j === i ? { ...a, x: 5 } : a)) }))
    expect(await reasonOf(encodeRna(await signRna(black, blackId, moved, published)))).toBe('bad-signature')
  })

  it('the genuine envelope is refused when this node\'s clock is more than 5 minutes behind it', async () => {
    await expect(validateRna(hex(vector('rna').value), published - 5 * 60_000 - 1)).rejects.toMatchObject({ reason: 'from-the-future' })
  })
})
