// What a receiver proves about a long published game, whatever order the checks run in: every
// act's signature, every link of both chains, every move's legality by the game core, and, when
// a game has several faults, the first one in play order is the one reported.
import { describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Game } from '../../src/game/game.js'
import { RULESETS } from '../../src/game/rules.js'
import { decodeMrna, encodeMrna, mrnaOf, type MrnaBody } from '../../src/rna/mrna.js'
import { decodeRna, encodeRna, signRna } from '../../src/rna/rna.js'
import { validateRna } from '../../src/rna/validate.js'
import { InvalidRnaError } from '../../src/rna/errors.js'
import { isRedacted, type TranscriptEntry } from '../../src/session/index.js'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { ACT_DOMAIN, actMessage, actToSign, type Act, type Side } from '../../src/wire/game-messages.js'
import { sign, signingBytes, signingBytesOfEncoded } from '../../src/wire/signing.js'
import { finishedGame } from '../helpers/rna.js'
import type { Pair } from '../helpers/sessions.js'
import type { Vertex } from '../../src/game/vertex.js'

const SIZE = 19
const TURNS = 200

/** `turns` legal moves on an empty board: each the first legal point of a fixed pseudo-random order. */
function legalMoves (size: number, turns: number): Vertex[] {
  const game = new Game({ size, rules: RULESETS.chinese, komi: 7.5 })
  const moves: Vertex[] = []
  let x = 7
  for (let t = 0; t < turns; t++) {
    x = (x * 1103515245 + 12345) % 2147483648
    const start = x % (size * size)
    for (let k = 0; k < size * size; k++) {
      const i = (start + k * 7) % (size * size)
      const v = { x: i % size, y: Math.floor(i / size) }
      if (game.check(game.toMove, v) == null) {
        game.play(game.toMove, v)
        moves.push(v)
        break
      }
    }
  }
  return moves
}

const pair: Pair = await finishedGame(legalMoves(SIZE, TURNS), { size: SIZE })
const honest: MrnaBody = mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W })

async function published (body: MrnaBody): Promise<Uint8Array> {
  const rna = await signRna(pair.keys.B, peerIdFromPrivateKey(pair.keys.B).toMultihash().bytes, encodeMrna(body), pair.time.now())
  return encodeRna(rna)
}

/** The refusal's reason and message, or 'accepted'. */
async function verdict (body: MrnaBody): Promise<{ reason: string, message: string }> {
  try {
    await validateRna(await published(body), pair.time.now())
  } catch (err) {
    if (err instanceof InvalidRnaError) return { reason: err.reason, message: err.message }
    throw err
  }
  return { reason: 'accepted', message: '' }
}

const linkOf = (e: TranscriptEntry): ReturnType<typeof cidOf> => (isRedacted(e) ? e.redacted : cidOf(actMessage(e)))

/**
 * A player's chain with act `n` changed by `change` and signed again by that player, and every
 * later act of the chain re-linked and re-signed: signatures and links all hold.
 */
async function rewrite (chain: readonly TranscriptEntry[], side: Side, n: number, change: (act: Act) => Partial<Act>): Promise<TranscriptEntry[]> {
  const out = [...chain]
  for (let i = n - 1; i < out.length; i++) {
    const e = out[i]
    if (isRedacted(e)) continue
    const { sig: _sig, ...unsigned } = e
    const changed = { ...unsigned, ...(i === n - 1 ? change(e) : {}), prev: i === 0 ? null : linkOf(out[i - 1]) }
    out[i] = { ...changed, sig: (await sign(pair.keys[side], ACT_DOMAIN, actToSign(changed))).sig }
  }
  return out
}

/** A copy of an act with one bit of its signature flipped. */
const badSig = (e: TranscriptEntry): TranscriptEntry => (isRedacted(e) ? e : { ...e, sig: e.sig.map((b, i) => (i === 10 ? b ^ 1 : b)) })

/** The index in Black's chain of its move at or after turn `ply`. */
const blackMoveFrom = (ply: number): number => honest.chains.B.findIndex(e => !isRedacted(e) && e.kind === 'move' && (e.ply ?? 0) >= ply)

describe(`a ${SIZE}x${SIZE} game of ${TURNS} turns as an mRNA`, () => {
  it('validates whole, and the acts are hashed from exactly the bytes they were decoded from', async () => {
    const bytes = await published(honest)
    const valid = await validateRna(bytes, pair.time.now())
    expect(valid.game.moves.length).toBe(TURNS + 2)
    expect(valid.game.cosigned).toBe(true)
    // The replay takes each act's link from its received bytes: they must be the act's own encoding.
    const bodyBytes = decodeRna(bytes).body
    const received = decodeCanonical(bodyBytes, { maxBytes: bodyBytes.length }) as Record<Side, unknown[]>
    const body = decodeMrna(bodyBytes)
    for (const side of ['B', 'W'] as const) {
      for (const [i, e] of body.chains[side].entries()) {
        if (isRedacted(e)) continue
        expect(encodeCanonical(actMessage(e))).toEqual(received[side][i])
        // The signed bytes are cut from them: exactly what encoding the act without its signature gives.
        expect(signingBytesOfEncoded(ACT_DOMAIN, received[side][i] as Uint8Array)).toEqual(signingBytes(ACT_DOMAIN, actMessage(e)))
      }
    }
  })

  it('refuses one wrong signature deep in the game, naming the act', async () => {
    const W = [...honest.chains.W]
    W[79] = badSig(W[79])
    expect(await verdict({ ...honest, chains: { ...honest.chains, W } })).toEqual({ reason: 'bad-signature', message: expect.stringContaining('act 80') })
  })

  it('refuses a wrong signature on the very last act (a result)', async () => {
    const side = honest.chains.B.length >= honest.chains.W.length ? 'B' : 'W'
    const chain = [...honest.chains[side]]
    const last = chain.length - 1
    expect((chain[last] as Act).kind).toBe('result')
    chain[last] = badSig(chain[last])
    expect((await verdict({ ...honest, chains: { ...honest.chains, [side]: chain } })).reason).toBe('bad-signature')
  })

  it('refuses an illegal move deep in the game even though its player signed and chained everything', async () => {
    const i = blackMoveFrom(180)
    const target = honest.chains.B[i] as Act
    const occupied = honest.chains.B.find(e => !isRedacted(e) && e.kind === 'move') as Act
    const B = await rewrite(honest.chains.B, 'B', target.n, () => ({ x: occupied.x, y: occupied.y }))
    expect(await verdict({ ...honest, chains: { ...honest.chains, B } })).toEqual({ reason: 'illegal-game', message: expect.stringContaining('illegal move') })
  })

  it('refuses a broken link deep in a chain, even when the act is signed', async () => {
    const i = blackMoveFrom(150)
    const B = [...honest.chains.B]
    const { sig: _sig, ...unsigned } = B[i] as Act
    const relinked = { ...unsigned, prev: cidOf({ not: 'the previous act' }) }
    B[i] = { ...relinked, sig: (await sign(pair.keys.B, ACT_DOMAIN, actToSign(relinked))).sig }
    expect(await verdict({ ...honest, chains: { ...honest.chains, B } })).toEqual({ reason: 'illegal-game', message: expect.stringContaining('does not follow') })
  })

  it('reports the first fault in play order: a bad signature before an illegal move, and the other way round', async () => {
    const early = blackMoveFrom(40)
    const late = blackMoveFrom(190)
    const occupied = honest.chains.B.find(e => !isRedacted(e) && e.kind === 'move') as Act
    // An illegal (signed, chained) move late, a bad signature early: the signature is reported.
    const illegalLate = await rewrite(honest.chains.B, 'B', (honest.chains.B[late] as Act).n, () => ({ x: occupied.x, y: occupied.y }))
    const both = [...illegalLate]
    both[early] = badSig(both[early])
    expect((await verdict({ ...honest, chains: { ...honest.chains, B: both } })).reason).toBe('bad-signature')
    // An illegal move early, a bad signature late (within the checks started ahead): the move is reported.
    const illegalEarly = await rewrite(honest.chains.B, 'B', (honest.chains.B[early] as Act).n, () => ({ x: occupied.x, y: occupied.y }))
    const W = [...honest.chains.W]
    W[early + 3] = badSig(W[early + 3])
    expect((await verdict({ ...honest, chains: { B: illegalEarly, W } })).reason).toBe('illegal-game')
  })
})
