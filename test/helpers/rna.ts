import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { sessionPair, settle, type Pair } from './sessions.js'
import { encodeMrna, mrnaOf } from '../../src/rna/mrna.js'
import { encodeRna, signRna } from '../../src/rna/rna.js'
import type { GameTerms } from '../../src/wire/game-start.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Vertex } from '../../src/game/vertex.js'

/** A finished game between two in-memory sessions: the moves (alternating from Black), a chat, two passes, both accept. */
export async function finishedGame (moves: readonly Vertex[], terms: Partial<GameTerms> = {}, players: { B?: PrivateKey, W?: PrivateKey } = {}): Promise<Pair> {
  const pair = await sessionPair(terms, players)
  const { black, white, time } = pair
  for (const [i, v] of moves.entries()) {
    time.advance(1000)
    await (i % 2 === 0 ? black : white).move(v)
    await settle(black, white)
  }
  await black.chat('good game')
  await settle(black, white)
  const [first, second] = moves.length % 2 === 0 ? [black, white] : [white, black]
  await first.pass()
  await settle(black, white)
  await second.pass()
  await settle(black, white)
  await black.acceptScore()
  await settle(black, white)
  await white.acceptScore()
  await settle(black, white)
  return pair
}

/** A short 9x9 game's moves, different for each `seed`. */
export function someMoves (seed: number, count = 12): Vertex[] {
  const out: Vertex[] = []
  const seen = new Set<string>()
  let x = seed
  while (out.length < count) {
    x = (x * 1103515245 + 12345) % 2147483648
    const v = { x: x % 9, y: Math.floor(x / 9) % 9 }
    const key = `${v.x},${v.y}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(v)
  }
  return out
}

/** The mRNA of a finished pair, signed by one of its players: body bytes and envelope bytes. */
export async function mrnaBytes (pair: Pair, by: 'B' | 'W' = 'B', at = pair.time.now()): Promise<{ body: Uint8Array, bytes: Uint8Array }> {
  const body = encodeMrna(mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W }))
  const key = pair.keys[by]
  const rna = await signRna(key, peerIdFromPrivateKey(key).toMultihash().bytes, body, at)
  return { body, bytes: encodeRna(rna) }
}
