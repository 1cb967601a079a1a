import { describe, expect, it } from 'vitest'
import { Position } from '../../src/game/position.js'
import { BLACK, EMPTY, WHITE } from '../../src/game/constants.js'
import { AGA, CHINESE, JAPANESE, NEW_ZEALAND, SIMPLE_KO, TROMP_TAYLOR } from '../../src/game/rules.js'
import { fromSgfPoint } from '../../src/game/vertex.js'
import { NaiveGo, allPoints, mulberry32, pick } from '../helpers/random-games.js'
import type { Color } from '../../src/game/color.js'
import type { IllegalMoveReason } from '../../src/game/errors.js'
import type { Ruleset } from '../../src/game/rules.js'

/**
 * Ko, superko and suicide cases in the manner of KataGo's rules tests: a position, a sequence
 * of moves, and the verdicts expected along the way. Every expectation here was worked out
 * from the rules' definitions (and is checked again against NaiveGo, which applies them
 * literally), never taken from another engine.
 *
 * Points are SGF points: column letter then row letter, both from the top-left 'a'.
 */

/** [colour, point]: plays, and the move must be legal. [colour, point, verdict]: only asks. */
type Step = readonly ['B' | 'W', string] | readonly ['B' | 'W', string, 'legal' | IllegalMoveReason]

interface RulesCase {
  readonly name: string
  readonly rules: Ruleset
  readonly board: readonly string[]
  readonly toMove?: Color
  readonly steps: readonly Step[]
  /** Stones captured by Black and by White at the end. */
  readonly captures?: readonly [number, number]
  /** The board at the end. */
  readonly final?: readonly string[]
  /** Position.repetition at the end (rulesets with repetitionNoResult). */
  readonly repetition?: boolean
}

/** Black can take the ko at cb (capturing bb); White retakes at bb. */
const KO = [
  '.XO..',
  'XO.O.',
  '.XO..',
  '.....',
  '.....'
]

/**
 * Three kos at once: top-left (Black takes at ca, White retakes at ba), top-right (Black
 * takes at ga, White retakes at ha) and bottom (White takes at bi, Black retakes at ci).
 * Every wall has outside liberties, so the only captures are the ko captures.
 */
const TRIPLE_KO = [
  'XO.OOO.OX',
  'XXOOOOOXX',
  '.........',
  '.........',
  '.........',
  '.........',
  '.........',
  'XXOO.....',
  'X.XO.....'
]
/** Six ko captures that bring TRIPLE_KO back to itself, Black to move again. */
const TRIPLE_KO_CYCLE: Step[] = [['B', 'ca'], ['W', 'bi'], ['B', 'ga'], ['W', 'ba'], ['B', 'ci'], ['W', 'ha']]

/**
 * Two kos: top (Black takes at ca, White retakes at ba) and bottom (White takes at be,
 * Black retakes at ce). With one pass in the cycle the starting board comes back with
 * the other player to move.
 */
const DOUBLE_KO = [
  'XO.O.',
  'XXOO.',
  '.....',
  'XXOO.',
  'X.XO.'
]

/**
 * Sending two, returning one: White throws in at ca (two stones in atari), Black takes both
 * at aa, White takes the one back at ba, and the board is as it was with the other player to move.
 */
const SEND_TWO = [
  '.O.X.',
  'OXXX.',
  'O....',
  '.....',
  '.....'
]

/** Black at aa has one liberty, ba: filling it kills two black stones and captures nothing. ee is suicide for one. */
const SUICIDE = [
  'X.O..',
  'OOO..',
  '.....',
  '....O',
  '...O.'
]

/** A throw-in at aa puts White in atari; White takes it at ba and Black takes five back at aa. */
const SNAPBACK = [
  '..OX.',
  'OOOX.',
  'XXXX.',
  '.....',
  '.....'
]

const cases: RulesCase[] = [
  {
    name: 'simple ko: the recapture is refused at once, allowed after a move elsewhere',
    rules: SIMPLE_KO,
    board: KO,
    steps: [['B', 'cb'], ['W', 'bb', 'ko'], ['W', 'ee'], ['B', 'ed'], ['W', 'bb'], ['B', 'cb', 'ko'], ['B', 'ae']],
    captures: [1, 1]
  },
  {
    name: 'simple ko: the ban binds only the player who would recapture',
    rules: SIMPLE_KO,
    board: KO,
    steps: [['B', 'cb'], ['W', 'bb', 'ko'], ['B', 'bb', 'legal']]
  },
  {
    name: 'simple ko: a pass by each side lifts the ban',
    rules: SIMPLE_KO,
    board: KO,
    steps: [['B', 'cb'], ['W', 'pass'], ['B', 'pass'], ['W', 'bb']],
    final: KO
  },
  {
    name: 'simple ko: occupied points and suicide of one or more stones are refused',
    rules: SIMPLE_KO,
    board: SUICIDE,
    steps: [['B', 'aa', 'occupied'], ['W', 'aa', 'occupied'], ['B', 'ee', 'suicide'], ['B', 'ba', 'suicide'], ['W', 'ba', 'legal'], ['W', 'ee', 'legal']]
  },
  {
    name: 'positional superko: the immediate recapture is still called ko',
    rules: CHINESE,
    board: KO,
    steps: [['B', 'cb'], ['W', 'bb', 'ko'], ['W', 'ee'], ['B', 'ed'], ['W', 'bb'], ['B', 'cb', 'ko']]
  },
  {
    name: 'positional superko: retaking after both pass recreates the start',
    rules: CHINESE,
    board: KO,
    steps: [['B', 'cb'], ['W', 'pass'], ['B', 'pass'], ['W', 'bb', 'superko'], ['W', 'ee'], ['B', 'ed'], ['W', 'bb']]
  },
  {
    name: 'situational superko: retaking after both pass recreates the start with the same player to move',
    rules: AGA,
    board: KO,
    steps: [['B', 'cb'], ['W', 'pass'], ['B', 'pass'], ['W', 'bb', 'superko']]
  },
  {
    name: 'snapback is not a ko: the throw-in point is retaken at once',
    rules: SIMPLE_KO,
    board: SNAPBACK,
    steps: [['B', 'aa'], ['W', 'ba'], ['B', 'aa']],
    captures: [5, 1],
    final: ['X..X.', '...X.', 'XXXX.', '.....', '.....']
  },
  {
    name: 'triple ko under simple ko: the cycle may go round for ever',
    rules: SIMPLE_KO,
    board: TRIPLE_KO,
    steps: [...TRIPLE_KO_CYCLE, ...TRIPLE_KO_CYCLE, ['B', 'ca', 'legal']],
    final: TRIPLE_KO,
    captures: [6, 6]
  },
  {
    name: 'triple ko under positional superko: the sixth capture would recreate the start',
    rules: CHINESE,
    board: TRIPLE_KO,
    steps: [...TRIPLE_KO_CYCLE.slice(0, 5), ['W', 'ha', 'superko'], ['W', 'bi', 'ko'], ['W', 'ei', 'legal']]
  },
  {
    name: 'triple ko under situational superko: the same',
    rules: AGA,
    board: TRIPLE_KO,
    steps: [...TRIPLE_KO_CYCLE.slice(0, 5), ['W', 'ha', 'superko'], ['W', 'bi', 'ko']]
  },
  {
    name: 'triple ko under Japanese rules: a second occurrence is no result yet',
    rules: JAPANESE,
    board: TRIPLE_KO,
    steps: [...TRIPLE_KO_CYCLE],
    repetition: false
  },
  {
    name: 'triple ko under Japanese rules: the third occurrence of the position ends it with no result',
    rules: JAPANESE,
    board: TRIPLE_KO,
    steps: [...TRIPLE_KO_CYCLE, ...TRIPLE_KO_CYCLE],
    repetition: true
  },
  {
    name: 'double ko with a pass: positional superko refuses the start board with White to move',
    rules: CHINESE,
    board: DOUBLE_KO,
    steps: [['B', 'ca'], ['W', 'be'], ['B', 'pass'], ['W', 'ba'], ['B', 'ce', 'superko']]
  },
  {
    name: 'double ko with a pass: situational superko allows it, then refuses the next repeat',
    rules: AGA,
    board: DOUBLE_KO,
    steps: [['B', 'ca'], ['W', 'be'], ['B', 'pass'], ['W', 'ba'], ['B', 'ce'], ['W', 'be', 'ko'], ['W', 'ee', 'legal']],
    final: DOUBLE_KO
  },
  {
    name: 'double ko with a pass: simple ko allows it',
    rules: SIMPLE_KO,
    board: DOUBLE_KO,
    steps: [['B', 'ca'], ['W', 'be'], ['B', 'pass'], ['W', 'ba'], ['B', 'ce'], ['W', 'be', 'ko']],
    final: DOUBLE_KO
  },
  {
    name: 'send two, return one: simple ko allows the return (two stones were taken, not one)',
    rules: SIMPLE_KO,
    board: SEND_TWO,
    toMove: WHITE,
    steps: [['W', 'ca'], ['B', 'aa'], ['W', 'ba']],
    final: SEND_TWO,
    captures: [2, 1]
  },
  {
    name: 'send two, return one: positional superko refuses the return',
    rules: CHINESE,
    board: SEND_TWO,
    toMove: WHITE,
    steps: [['W', 'ca'], ['B', 'aa'], ['W', 'ba', 'superko'], ['W', 'ab', 'occupied']]
  },
  {
    name: 'send two, return one: situational superko allows the return (Black is to move now), but not sending two again',
    rules: AGA,
    board: SEND_TWO,
    toMove: WHITE,
    steps: [['W', 'ca'], ['B', 'aa'], ['W', 'ba'], ['B', 'pass'], ['W', 'ca', 'superko'], ['W', 'ec', 'legal']],
    final: SEND_TWO
  },
  {
    name: 'Tromp-Taylor: single-stone suicide is refused',
    rules: TROMP_TAYLOR,
    board: SUICIDE,
    steps: [['B', 'ee', 'suicide'], ['W', 'ba', 'legal']]
  },
  {
    name: 'Tromp-Taylor: multi-stone suicide is a legal move that removes the stones',
    rules: TROMP_TAYLOR,
    board: SUICIDE,
    steps: [['B', 'ba']],
    captures: [0, 2],
    final: ['..O..', 'OOO..', '.....', '....O', '...O.']
  },
  {
    name: 'Chinese: multi-stone suicide is refused',
    rules: CHINESE,
    board: SUICIDE,
    steps: [['B', 'ba', 'suicide']]
  },
  {
    name: 'Tromp-Taylor: replaying the suicided stone after a pass recreates the start board (positional)',
    rules: TROMP_TAYLOR,
    board: SUICIDE,
    steps: [['B', 'ba'], ['W', 'pass'], ['B', 'aa', 'superko'], ['B', 'ab', 'occupied'], ['B', 'ca', 'occupied'], ['B', 'cc']]
  },
  {
    name: 'New Zealand: the same replay is legal (White is to move now), and suiciding again repeats',
    rules: NEW_ZEALAND,
    board: SUICIDE,
    steps: [['B', 'ba'], ['W', 'pass'], ['B', 'aa'], ['W', 'pass'], ['B', 'ba', 'superko'], ['B', 'cc', 'legal']],
    final: SUICIDE
  }
]

/** A Position set up with `rows` on the board and `toMove` to play. */
function positionFrom (rows: readonly string[], rules: Ruleset, toMove: Color): Position {
  const pos = new Position(rows.length, rules)
  const stones: Array<[number, Color | typeof EMPTY]> = []
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    if (ch === 'X') stones.push([pos.board.point(x, y), BLACK])
    if (ch === 'O') stones.push([pos.board.point(x, y), WHITE])
  }))
  pos.setup(stones, toMove)
  return pos
}

describe('Position rules cases', () => {
  it.each(cases)('$name', (c) => {
    const pos = positionFrom(c.board, c.rules, c.toMove ?? BLACK)
    const naive = new NaiveGo(c.board.length, c.rules, c.board, c.toMove ?? BLACK)
    c.steps.forEach((step, i) => {
      const color: Color = step[0] === 'B' ? BLACK : WHITE
      const where = `step ${i + 1} (${step.join(' ')})`
      if (step[1] === 'pass') {
        pos.pass(color)
        naive.pass(color)
        return
      }
      const v = fromSgfPoint(step[1])
      if (v == null) throw new Error(`bad point in ${where}`)
      const p = pos.board.point(v.x, v.y)
      const naiveVerdict = naive.judge(color, v.x, v.y).verdict
      if (step.length === 3) {
        const expected = step[2] === 'legal' ? null : step[2]
        expect(pos.check(color, p), where).toBe(expected)
        // The literal rules agree on legality: 'ko' and 'superko' are both a repeated board to them.
        expect(naiveVerdict === null, `${where}: NaiveGo says ${String(naiveVerdict)}`).toBe(expected === null)
      } else {
        expect(pos.play(color, p), where).toBeNull()
        expect(naive.play(color, v.x, v.y), `${where}: NaiveGo`).toBeNull()
        expect(pos.board.toRows(), `${where}: board`).toEqual(naive.rows())
      }
    })
    if (c.captures != null) expect([pos.board.captures[BLACK], pos.board.captures[WHITE]]).toEqual(c.captures)
    if (c.final != null) expect(pos.board.toRows()).toEqual(c.final)
    if (c.repetition != null) expect(pos.repetition).toBe(c.repetition)
  })
})

/**
 * A random set-up, as SGF AB/AW/AE would give it: stones dropped at random, some taken off
 * again, and any chain left without a liberty cleared so the position is one play could reach.
 */
function randomSetup (rng: () => number, size: number, rules: Ruleset): { entries: Array<[number, number, Color | typeof EMPTY]>, rows: string[] } {
  const entries: Array<[number, number, Color | typeof EMPTY]> = []
  const grid = Array.from({ length: size }, () => Array<string>(size).fill('.'))
  const put = (x: number, y: number, c: Color | typeof EMPTY): void => {
    entries.push([x, y, c])
    grid[y][x] = c === BLACK ? 'X' : c === WHITE ? 'O' : '.'
  }
  const n = Math.floor(rng() * size * size * 0.6)
  for (let i = 0; i < n; i++) put(Math.floor(rng() * size), Math.floor(rng() * size), rng() < 0.5 ? BLACK : WHITE)
  for (let i = 0; i < n / 4; i++) put(Math.floor(rng() * size), Math.floor(rng() * size), EMPTY)
  for (;;) {
    const dead = new NaiveGo(size, rules, grid.map(r => r.join(''))).breathless()
    if (dead.length === 0) break
    for (const i of dead) put(i % size, Math.floor(i / size), EMPTY)
  }
  return { entries, rows: grid.map(r => r.join('')) }
}

/** Rulesets with what each must show in random play, so the comparison cannot pass vacuously. */
const randomRules: ReadonlyArray<{ rules: Ruleset, repeats: boolean, multiSuicide: boolean }> = [
  { rules: SIMPLE_KO, repeats: true, multiSuicide: false },
  { rules: JAPANESE, repeats: true, multiSuicide: false },
  { rules: CHINESE, repeats: true, multiSuicide: false },
  { rules: AGA, repeats: true, multiSuicide: false },
  { rules: TROMP_TAYLOR, repeats: true, multiSuicide: true },
  { rules: NEW_ZEALAND, repeats: true, multiSuicide: true }
]

describe('Position against NaiveGo in random games on small boards', () => {
  it.each(randomRules)('$rules.name', ({ rules, repeats, multiSuicide }) => {
    const counts = { candidates: 0, repetitions: 0, superko: 0, suicides: 0, multiSuicides: 0, noResult: 0 }
    for (const size of [2, 3, 4, 5]) {
      for (let seed = 1; seed <= 6; seed++) {
        const rng = mulberry32(seed * 1000 + size)
        const pos = new Position(size, rules)
        let naive = new NaiveGo(size, rules)
        // Odd seeds start from a random set-up, which also exercises Board.setStone's removals.
        const first: Color = seed % 2 === 1 && rng() < 0.5 ? WHITE : BLACK
        if (seed % 2 === 1) {
          const { entries, rows } = randomSetup(rng, size, rules)
          pos.setup(entries.map(([x, y, c]) => [pos.board.point(x, y), c]), first)
          naive = new NaiveGo(size, rules, rows, first)
          expect(pos.board.toRows(), `${rules.name} ${size}x${size} seed ${seed}: set-up`).toEqual(rows)
        }
        const points = allPoints(pos.board)
        for (let ply = 0; ply < 150; ply++) {
          const color: Color = (ply % 2 === 0) === (first === BLACK) ? BLACK : WHITE
          const where = `${rules.name} ${size}x${size} seed ${seed} ply ${ply}`
          const legal: number[] = []
          // Ask about every point: tiny boards make suicide and repetition common.
          for (const p of points) {
            const { x, y } = pos.board.vertex(p)
            const ours = pos.check(color, p)
            const theirs = naive.judge(color, x, y).verdict
            counts.candidates++
            const same = theirs === 'repetition' ? ours === 'ko' || ours === 'superko' : ours === theirs
            if (!same) {
              throw new Error(`${where}: ${color === BLACK ? 'B' : 'W'} at (${x},${y}): Position says ${String(ours)}, NaiveGo ${String(theirs)}\n${naive.rows().join('\n')}`)
            }
            if (theirs === 'repetition') counts.repetitions++
            if (ours === 'superko') counts.superko++
            if (ours === 'suicide') counts.suicides++
            if (ours == null) legal.push(p)
          }
          if (legal.length === 0 || rng() < 0.15) {
            pos.pass(color)
            naive.pass(color)
          } else {
            const p = pick(rng, legal)
            const { x, y } = pos.board.vertex(p)
            if (naive.judge(color, x, y).lost > 1) counts.multiSuicides++
            pos.play(color, p)
            naive.play(color, x, y)
          }
          expect(pos.board.toRows(), `${where}: board`).toEqual(naive.rows())
          expect([pos.board.captures[BLACK], pos.board.captures[WHITE]], `${where}: captures`).toEqual([naive.captures[BLACK], naive.captures[WHITE]])
          if (rules.repetitionNoResult) {
            // The first time a position comes round for the third time, the game has no result.
            const third = naive.occurrences() >= 3
            expect(pos.repetition, `${where}: repetition`).toBe(third)
            if (third) {
              counts.noResult++
              break
            }
          }
        }
      }
    }
    expect(counts.candidates).toBeGreaterThan(10_000)
    expect(counts.suicides).toBeGreaterThan(0)
    if (repeats) expect(counts.repetitions).toBeGreaterThan(0)
    if (rules.ko !== 'simple') expect(counts.superko).toBeGreaterThan(0)
    if (multiSuicide) expect(counts.multiSuicides).toBeGreaterThan(0)
    if (rules.repetitionNoResult) expect(counts.noResult).toBeGreaterThan(0)
  })
})
