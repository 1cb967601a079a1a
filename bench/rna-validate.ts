// RNA validation cost: what one hop spends checking a finished game's mRNA before forwarding it
// (decode, every signature, the strict replay with the game core), on a 60-turn 9x9 and a
// 250-turn 19x19 game. Part of bench/rna.ts; runs alone as `node dist/bench/rna-validate.js`
// (a few seconds), e.g. to profile it with `node --cpu-prof`.
import '../src/polyfill.js'
import { performance } from 'node:perf_hooks'
import { Game } from '../src/game/game.js'
import { RULESETS } from '../src/game/rules.js'
import { BLACK, WHITE } from '../src/game/constants.js'
import { validateRna } from '../src/rna/validate.js'
import { featuresOf } from '../src/rna/policy.js'
import { qualityOf } from '../src/rna/quality.js'
import { NoveltyIndex } from '../src/rna/novelty.js'
import { finishedGame, mrnaBytes } from '../test/helpers/rna.js'
import { prng } from './network/prng.js'
import { runAsProgram } from './network/main.js'
import { ms, rounded, summarize, type Summary } from './network/stats.js'
import type { Vertex } from '../src/game/vertex.js'

/** Validation timing: rounds per board size after a warm-up. */
const VALIDATION = [{ size: 9, turns: 60, rounds: 300 }, { size: 19, turns: 250, rounds: 60 }] as const
const SEED = 0x52a

/** `turns` legal moves on an empty board, the first legal point of a seeded order each turn. */
function legalMoves (size: number, turns: number, seed: number): Vertex[] {
  const game = new Game({ size, rules: RULESETS.chinese, komi: 7.5 })
  const random = prng(seed)
  const moves: Vertex[] = []
  for (let t = 0; t < turns; t++) {
    const color = t % 2 === 0 ? BLACK : WHITE
    const order = Array.from({ length: size * size }, (_, i) => ({ x: i % size, y: Math.floor(i / size), k: random() })).sort((a, b) => a.k - b.k)
    const v = order.find(p => game.check(color, p) == null)
    if (v == null) break
    game.play(color, { x: v.x, y: v.y })
    moves.push({ x: v.x, y: v.y })
  }
  return moves
}

export interface ValidationResult {
  readonly size: number
  readonly turns: number
  readonly rnaBytes: number
  /** validateRna: decode, signatures, the strict replay with the game core. */
  readonly validateMs: Summary
  /** CPU time of one validateRna, all of the process's threads (the signature checks run on libuv's pool). */
  readonly validateCpuMs: Summary
  /** Quality and novelty against an index holding `indexed` other games. */
  readonly assessMs: Summary
  readonly indexed: number
}

/** Times validateRna (and quality + novelty) on a 9x9 and a 19x19 game: median and p99 of `VALIDATION`'s rounds. */
export async function validationCost (): Promise<ValidationResult[]> {
  const out: ValidationResult[] = []
  for (const { size, turns, rounds } of VALIDATION) {
    const moves = legalMoves(size, turns, SEED + size)
    const pair = await finishedGame(moves, { size })
    const { bytes } = await mrnaBytes(pair)
    const now = pair.time.now()
    const index = new NoveltyIndex()
    const indexed = 1000
    for (let g = 0; g < indexed; g++) index.add(`g${g}`, size, legalMoves(size, 40, SEED * 7 + g))
    const validate: number[] = []
    const cpu: number[] = []
    const assess: number[] = []
    for (let r = 0; r < rounds + 10; r++) {
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      const valid = await validateRna(bytes, now)
      const t1 = performance.now()
      const c1 = process.cpuUsage(c0)
      const features = featuresOf(valid.game)
      qualityOf(features, { novelty: index.noveltyOf(size, features.moves), uses: 0 })
      const t2 = performance.now()
      if (r >= 10) {
        validate.push(t1 - t0)
        cpu.push((c1.user + c1.system) / 1000)
        assess.push(t2 - t1)
      }
    }
    const result = { size, turns: moves.length, rnaBytes: bytes.length, validateMs: rounded(summarize(validate)), validateCpuMs: rounded(summarize(cpu)), assessMs: rounded(summarize(assess)), indexed }
    console.log(`  ${size}x${size}, ${result.turns} turns, ${bytes.length} bytes: validate ${ms(result.validateMs.median)} ms (p99 ${ms(result.validateMs.p99)}; CPU ${ms(result.validateCpuMs.median)} ms), quality + novelty ${ms(result.assessMs.median)} ms`)
    out.push(result)
  }
  return out
}

async function main (): Promise<number> {
  console.log('RNA validation cost per RNA')
  await validationCost()
  return 0
}

runAsProgram(import.meta.url, main)
