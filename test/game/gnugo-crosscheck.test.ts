import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Position } from '../../src/game/position.js'
import { BLACK, EMPTY, WHITE } from '../../src/game/constants.js'
import { AGA, CHINESE, SIMPLE_KO } from '../../src/game/rules.js'
import { fixedHandicapPoints, maxFixedHandicap } from '../../src/game/handicap.js'
import { InvalidSettingError } from '../../src/game/errors.js'
import { fromGtpVertex, fromSgfPoint, toGtpVertex, toSgfPoint } from '../../src/game/vertex.js'
import { GtpEngine } from '../../src/gtp/gtp-engine.js'
import { GtpError } from '../../src/gtp/errors.js'
import { allPoints, isOwnEye, mulberry32, pick, shuffle } from '../helpers/random-games.js'
import type { Board } from '../../src/game/board.js'
import type { Color } from '../../src/game/color.js'
import type { IllegalMoveReason } from '../../src/game/errors.js'
import type { Ruleset } from '../../src/game/rules.js'

/**
 * p2pgo's board and ko rules against GNU Go 3.8, move by move. Any disagreement fails with the
 * game, the move, both boards and an SGF to replay it. GNU Go is only trusted where it is known
 * to be right: no suicide (its superko with multi-stone suicide is wrong) and fewer than 500
 * moves per game (it forgets older positions after that).
 */

const GNUGO = '/usr/games/gnugo'
const haveGnuGo = existsSync(GNUGO)
if (!haveGnuGo) console.warn(`Skipping the GNU Go cross-check: ${GNUGO} is not installed (apt-get install gnugo; CI installs it).`)

/** GNU Go keeps 500 moves of history for superko; stay below so it never forgets a position. */
const MAX_PLIES = 480
/** Points tried at random each turn, on top of the points where kos were just taken. */
const RANDOM_CANDIDATES = 6
/** How long a point emptied by a single-stone capture stays a candidate: kos get fought over. */
const HOT_PLIES = 24
/** Compare whole boards this often (captures are compared after every move). */
const BOARD_EVERY = 10
/** Komi is 0 in GTP until set; any value will do, but always say it. */
const KOMI = 7.5

interface KoMode {
  readonly label: string
  readonly flags: readonly string[]
  readonly rules: Ruleset
}

const MODES: readonly KoMode[] = [
  { label: 'simple ko', flags: [], rules: SIMPLE_KO },
  { label: 'positional superko', flags: ['--positional-superko'], rules: CHINESE },
  { label: 'situational superko', flags: ['--situational-superko'], rules: AGA }
]

/** What the random games saw, per mode, so the checks cannot pass without kos happening. */
interface Tally {
  games: number
  plies: number
  candidates: number
  /** Points compared through all_legal, every point every turn. */
  allLegalPoints: number
  illegal: Record<'occupied' | 'suicide' | 'ko' | 'superko', number>
  passes: number
  stonesCaptured: number
  boardsCompared: number
  /** Legal under situational superko although the board was seen before (with the other player to move). */
  situationalOnlyLegal: number
  /** Refused under positional superko although situational superko would allow it. */
  positionalOnlyIllegal: number
}

function emptyTally (): Tally {
  return {
    games: 0,
    plies: 0,
    candidates: 0,
    allLegalPoints: 0,
    illegal: { occupied: 0, suicide: 0, ko: 0, superko: 0 },
    passes: 0,
    stonesCaptured: 0,
    boardsCompared: 0,
    situationalOnlyLegal: 0,
    positionalOnlyIllegal: 0
  }
}

const tallies = new Map<string, Tally>(MODES.map(m => [m.label, emptyTally()]))
const selfPlayTally = { games: 0, moves: 0, passes: 0, stonesCaptured: 0, allLegalPoints: 0 }

function colorName (color: Color): 'black' | 'white' {
  return color === BLACK ? 'black' : 'white'
}

/** GNU Go in GTP mode, with the few commands the checks need. */
class GnuGo {
  readonly engine: GtpEngine
  readonly size: number

  private constructor (size: number, flags: readonly string[]) {
    this.size = size
    this.engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp', ...flags] })
  }

  static async start (size: number, flags: readonly string[] = []): Promise<GnuGo> {
    const gg = new GnuGo(size, flags)
    try {
      await gg.engine.send('boardsize', size)
      await gg.engine.send('clear_board')
      await gg.engine.send('komi', KOMI)
    } catch (err) {
      await gg.close()
      throw err
    }
    return gg
  }

  async isLegal (color: Color, vertex: string): Promise<boolean> {
    const answer = await this.engine.send('is_legal', colorName(color), vertex)
    if (answer !== '0' && answer !== '1') throw new Error(`GNU Go answered is_legal with ${JSON.stringify(answer)}`)
    return answer === '1'
  }

  async captures (color: Color): Promise<number> {
    return Number(await this.engine.send('captures', colorName(color)))
  }

  /** The board as rows from the top, like Board.toRows. */
  async rows (): Promise<string[]> {
    const grid = Array.from({ length: this.size }, () => Array<string>(this.size).fill('.'))
    for (const [color, mark] of [[BLACK, 'X'], [WHITE, 'O']] as const) {
      for (const text of (await this.engine.send('list_stones', colorName(color))).split(/\s+/)) {
        if (text === '') continue
        const v = fromGtpVertex(text, this.size)
        if (v == null) throw new Error(`GNU Go listed a stone at ${text}, which is not on a ${this.size}x${this.size} board`)
        grid[v.y][v.x] = mark
      }
    }
    return grid.map(row => row.join(''))
  }

  async close (): Promise<void> {
    await this.engine.close()
  }
}

/** Rows with GTP coordinates round them, as text lines. */
function diagram (rows: readonly string[], size: number): string[] {
  const letters = Array.from({ length: size }, (_, x) => toGtpVertex({ x, y: 0 }, size).replace(/\d+$/, ''))
  const head = '    ' + letters.join(' ')
  return [head, ...rows.map((row, y) => `${String(size - y).padStart(3)} ${[...row].join(' ')}`)]
}

/** A game being played in both engines, kept so a disagreement can be shown in full. */
class Transcript {
  readonly title: string
  readonly pos: Position
  readonly gg: GnuGo
  readonly moves: Array<{ color: Color, p: number | null }> = []
  /** The stones set up before move 1, if any. */
  readonly setup: Array<[number, Color]> = []

  constructor (title: string, pos: Position, gg: GnuGo) {
    this.title = title
    this.pos = pos
    this.gg = gg
  }

  /** GTP and SGF names of a padded point. */
  name (p: number): string {
    const v = this.pos.board.vertex(p)
    return `${toGtpVertex(v, this.pos.board.size)} (SGF ${toSgfPoint(v)}, x=${v.x} y=${v.y} from top-left)`
  }

  /** The game as SGF; `toMove` adds PL for a set-up position. */
  sgf (toMove?: Color): string {
    const size = this.pos.board.size
    const point = (p: number): string => toSgfPoint(this.pos.board.vertex(p))
    const ab = this.setup.filter(([, c]) => c === BLACK).map(([p]) => `[${point(p)}]`).join('')
    const aw = this.setup.filter(([, c]) => c === WHITE).map(([p]) => `[${point(p)}]`).join('')
    const root = `;GM[1]FF[4]SZ[${size}]KM[${KOMI}]RU[${this.pos.rules.name}]${ab === '' ? '' : 'AB' + ab}${aw === '' ? '' : 'AW' + aw}${toMove == null ? '' : `PL[${toMove === BLACK ? 'B' : 'W'}]`}`
    const moves = this.moves.map(m => `;${m.color === BLACK ? 'B' : 'W'}[${m.p == null ? '' : point(m.p)}]`).join('')
    return `(${root}${moves})`
  }

  /** An error describing the first disagreement, with both boards side by side. */
  async disagreement (what: string, detail: string): Promise<Error> {
    const size = this.pos.board.size
    let theirs: string[]
    try {
      theirs = await this.gg.rows()
    } catch (err) {
      theirs = [`(GNU Go's board could not be read: ${(err as Error).message})`]
    }
    const left = diagram(this.pos.board.toRows(), size)
    const right = theirs.length === size ? diagram(theirs, size) : theirs
    const width = Math.max(...left.map(l => l.length)) + 4
    const boards = ['p2pgo'.padEnd(width) + 'GNU Go', ...left.map((l, i) => l.padEnd(width) + (right[i] ?? ''))]
    const last = this.moves.slice(-12).map(m => `${m.color === BLACK ? 'B' : 'W'} ${m.p == null ? 'pass' : toGtpVertex(this.pos.board.vertex(m.p), size)}`)
    return new Error([
      `GNU Go and p2pgo disagree on ${what}`,
      `game: ${this.title}`,
      `at move ${this.moves.length + 1}: ${detail}`,
      `captures by p2pgo: black ${this.pos.board.captures[BLACK]}, white ${this.pos.board.captures[WHITE]}`,
      ...boards,
      `last moves: ${last.join(', ') || '(none)'}`,
      `replay: ${this.sgf()}`
    ].join('\n'))
  }

  /** Asks both engines whether `color` may play at `p`; throws on any difference. */
  async compareLegality (color: Color, p: number): Promise<IllegalMoveReason | null> {
    const ours = this.pos.check(color, p)
    const vertex = toGtpVertex(this.pos.board.vertex(p), this.pos.board.size)
    const theirs = await this.gg.isLegal(color, vertex)
    if ((ours == null) !== theirs) {
      throw await this.disagreement(`is_legal ${colorName(color)} ${vertex}`,
        `${colorName(color)} at ${this.name(p)}: p2pgo says ${ours == null ? 'legal' : `illegal (${ours})`}, GNU Go says ${theirs ? 'legal' : 'illegal'}`)
    }
    return ours
  }

  /** Compares GNU Go's `all_legal` with p2pgo's verdict on every point; returns how many points were compared. */
  async compareAllLegal (color: Color): Promise<number> {
    const size = this.pos.board.size
    const theirs = new Set((await this.gg.engine.send('all_legal', colorName(color))).split(/\s+/).filter(v => v !== ''))
    const points = allPoints(this.pos.board)
    for (const p of points) {
      const vertex = toGtpVertex(this.pos.board.vertex(p), size)
      const ours = this.pos.check(color, p)
      if ((ours == null) !== theirs.has(vertex)) {
        throw await this.disagreement(`all_legal ${colorName(color)}`,
          `${colorName(color)} at ${this.name(p)}: p2pgo says ${ours == null ? 'legal' : `illegal (${ours})`}, GNU Go ${theirs.has(vertex) ? 'lists it as legal' : 'does not list it'}`)
      }
    }
    return points.length
  }

  /** Plays (or passes) in both engines; throws if either refuses. */
  async play (color: Color, p: number | null): Promise<void> {
    const vertex = p == null ? 'pass' : toGtpVertex(this.pos.board.vertex(p), this.pos.board.size)
    if (p == null) {
      this.pos.pass(color)
    } else {
      const reason = this.pos.play(color, p)
      if (reason != null) throw await this.disagreement(`play ${colorName(color)} ${vertex}`, `p2pgo refuses ${this.name(p)}: ${reason}`)
    }
    try {
      await this.gg.engine.send('play', colorName(color), vertex)
    } catch (err) {
      if (!(err instanceof GtpError)) throw err
      throw await this.disagreement(`play ${colorName(color)} ${vertex}`, `GNU Go refuses it (${err.engineMessage}); p2pgo played it`)
    }
    this.moves.push({ color, p })
  }

  /** Compares the capture counts of both colours. */
  async compareCaptures (): Promise<void> {
    for (const color of [BLACK, WHITE] as const) {
      const theirs = await this.gg.captures(color)
      const ours = this.pos.board.captures[color]
      if (theirs !== ours) {
        throw await this.disagreement(`captures ${colorName(color)}`, `stones captured by ${colorName(color)}: p2pgo ${ours}, GNU Go ${theirs}`)
      }
    }
  }

  /** Compares every point of the board. */
  async compareBoards (): Promise<void> {
    const theirs = await this.gg.rows()
    const ours = this.pos.board.toRows()
    const y = ours.findIndex((row, i) => row !== theirs[i])
    if (y >= 0) {
      const x = [...ours[y]].findIndex((c, i) => c !== theirs[y][i])
      throw await this.disagreement('the board (list_stones)', `first difference at ${toGtpVertex({ x, y }, ours.length)}: p2pgo '${ours[y][x]}', GNU Go '${theirs[y][x]}'`)
    }
  }
}

/** The cells after `color` plays at `p`, as a string key. */
function boardKeyAfter (board: Board, color: Color, p: number): string {
  const b = board.clone()
  b.place(color, p)
  return Buffer.from(b.cells).toString('latin1')
}

/** Which players-to-move a board has been seen with: bit 1 Black, bit 2 White. */
function remember (seen: Map<string, number>, board: Board, toMove: Color): void {
  const key = Buffer.from(board.cells).toString('latin1')
  seen.set(key, (seen.get(key) ?? 0) | toMove)
}

/**
 * A random game played in both engines. Each turn the player asks both engines about the
 * points where kos were just taken and a few random points (occupied ones too), then plays a
 * legal one that does not fill its own eye, preferring captures so kos are fought over, and
 * passes now and then, more often when a ko ban stops it or the opponent just passed, so
 * retaking after passes meets superko. When only eyes are left it fills one, so small boards
 * die and refill for hundreds of moves instead of ending once full. The game ends after two
 * rounds of passes with no legal move at all, or at MAX_PLIES.
 */
async function randomGame (size: number, mode: KoMode, seed: number): Promise<void> {
  const tally = tallies.get(mode.label) as Tally
  const gg = await GnuGo.start(size, mode.flags)
  try {
    const rng = mulberry32(seed)
    const pos = new Position(size, mode.rules)
    const t = new Transcript(`${size}x${size}, ${mode.label} (GNU Go ${mode.flags.join(' ') || 'default'} vs p2pgo ${mode.rules.name}), seed ${seed}`, pos, gg)
    const points = allPoints(pos.board)
    const seen = new Map<string, number>()
    remember(seen, pos.board, BLACK)
    const hot: Array<{ ply: number, p: number }> = []
    let forcedPasses = 0
    let opponentPassed = false
    let ply = 0
    for (; ply < MAX_PLIES && forcedPasses < 4; ply++) {
      const color: Color = ply % 2 === 0 ? BLACK : WHITE
      const other: Color = color === BLACK ? WHITE : BLACK
      // Not `+= await`: that would read the total before the await and lose the other games' counts.
      const compared = await t.compareAllLegal(color)
      tally.allLegalPoints += compared
      const candidates = new Set<number>()
      for (const h of hot) if (ply - h.ply <= HOT_PLIES) candidates.add(h.p)
      if (pos.koPoint >= 0) candidates.add(pos.koPoint)
      const wanted = candidates.size + RANDOM_CANDIDATES
      while (candidates.size < wanted) candidates.add(pick(rng, points))

      const judge = async (p: number): Promise<IllegalMoveReason | null> => {
        const reason = await t.compareLegality(color, p)
        tally.candidates++
        if (reason != null) tally.illegal[reason as keyof Tally['illegal']]++
        // Would the other superko rule have judged this differently? (Tallied only, to show the cases arise.)
        if (reason == null && mode.rules.ko === 'situational' && seen.has(boardKeyAfter(pos.board, color, p))) tally.situationalOnlyLegal++
        if (reason === 'superko' && mode.rules.ko === 'positional' && ((seen.get(boardKeyAfter(pos.board, color, p)) ?? 0) & other) === 0) tally.positionalOnlyIllegal++
        return reason
      }

      const verdicts = new Map<number, IllegalMoveReason | null>()
      const playable: number[] = []
      let koBanned = false
      for (const p of candidates) {
        const reason = await judge(p)
        verdicts.set(p, reason)
        if (reason == null && !isOwnEye(pos.board, color, p)) playable.push(p)
        if (reason === 'ko' || reason === 'superko') koBanned = true
      }
      let move: number | null = null
      let forced = false
      if (rng() >= (opponentPassed ? 0.3 : koBanned ? 0.2 : 0.02)) {
        const capturing = playable.filter(p => pos.board.probe(color, p).removed > 0)
        if (capturing.length > 0 && rng() < 0.8) move = pick(rng, capturing)
        else if (playable.length > 0) move = pick(rng, playable)
        else {
          // Nothing among the candidates: try every other empty point before giving up, and
          // when only eyes are left fill one rather than pass, so groups die and play goes on.
          const empty = shuffle(rng, points.filter(p => pos.board.cells[p] === EMPTY))
          const eyes = empty.filter(p => isOwnEye(pos.board, color, p))
          for (const p of [...empty.filter(p => !eyes.includes(p)), ...eyes]) {
            const reason = verdicts.has(p) ? verdicts.get(p) : await judge(p)
            if (reason == null) {
              move = p
              break
            }
          }
          forced = move == null
        }
      }

      const before = pos.board.cells.slice()
      await t.play(color, move)
      remember(seen, pos.board, other)
      if (move == null) {
        tally.passes++
      } else {
        const emptied = points.filter(p => before[p] === other && pos.board.cells[p] === EMPTY)
        tally.stonesCaptured += emptied.length
        if (emptied.length === 1) hot.push({ ply, p: emptied[0] })
      }
      forcedPasses = forced ? forcedPasses + 1 : 0
      opponentPassed = move == null
      await t.compareCaptures()
      if (ply % BOARD_EVERY === 0) {
        await t.compareBoards()
        tally.boardsCompared++
      }
    }
    await t.compareBoards()
    tally.boardsCompared++
    tally.games++
    tally.plies += ply
  } finally {
    await gg.close()
  }
}

/** GNU Go plays itself; every move it makes must be legal in p2pgo with the same result. */
async function selfPlay (size: number, seed: number, mode: KoMode, maxPlies: number): Promise<void> {
  const gg = await GnuGo.start(size, ['--level', '1', '--seed', String(seed), '--never-resign', ...mode.flags])
  try {
    const pos = new Position(size, mode.rules)
    const t = new Transcript(`${size}x${size} GNU Go self-play, level 1, seed ${seed}, ${mode.label}`, pos, gg)
    let passes = 0
    for (let ply = 0; ply < maxPlies && passes < 2; ply++) {
      const color: Color = ply % 2 === 0 ? BLACK : WHITE
      const compared = await t.compareAllLegal(color)
      selfPlayTally.allLegalPoints += compared
      const answer = (await gg.engine.send('genmove', colorName(color))).trim()
      if (/^resign$/i.test(answer)) break
      if (/^pass$/i.test(answer)) {
        pos.pass(color)
        t.moves.push({ color, p: null })
        passes++
        selfPlayTally.passes++
      } else {
        passes = 0
        const v = fromGtpVertex(answer, size)
        if (v == null) throw await t.disagreement(`genmove ${colorName(color)}`, `GNU Go answered ${JSON.stringify(answer)}, which p2pgo does not read as a vertex`)
        const p = pos.board.point(v.x, v.y)
        const before = pos.board.captures[color]
        const reason = pos.play(color, p)
        if (reason != null) throw await t.disagreement(`GNU Go's move ${colorName(color)} ${answer}`, `p2pgo refuses ${t.name(p)}: ${reason} (GNU Go's board already shows the move)`)
        t.moves.push({ color, p })
        selfPlayTally.stonesCaptured += pos.board.captures[color] - before
      }
      selfPlayTally.moves++
      await t.compareCaptures()
    }
    await t.compareBoards()
    selfPlayTally.games++
  } finally {
    await gg.close()
  }
}

/** Random-game configurations: every ko mode on each size, more seeds where games are short. */
const randomGames = MODES.flatMap(mode => [
  ...[5, 7, 9].flatMap(size => [1, 2, 3].map(seed => ({ size, mode, seed }))),
  ...[11, 13, 19].flatMap(size => [1, 2].map(seed => ({ size, mode, seed })))
]).map(g => ({ ...g, name: `${g.size}x${g.size} ${g.mode.label}, seed ${g.seed}` }))

const selfPlayGames = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map(seed => ({ size: 9, seed, mode: MODES[seed % 3], maxPlies: 300 })),
  { size: 13, seed: 9, mode: MODES[1], maxPlies: 400 }
].map(g => ({ ...g, name: `${g.size}x${g.size} seed ${g.seed}, ${g.mode.label}` }))

type KoRule = Ruleset['ko']

/**
 * Set-up positions (rows from the top; moves as SGF points) replayed in both engines under
 * each ko rule, comparing every point before every move. Each rule gets moves that are legal
 * under it: where the rules part, the verdicts on the refused move are what is compared.
 */
const scenarios: ReadonlyArray<{ name: string, board: readonly string[], toMove: Color, moves: Readonly<Record<KoRule, readonly string[]>> }> = [
  {
    // Two kos and one pass: B ce brings the start board back with White to move.
    name: 'double ko with a pass',
    board: ['XO.O.', 'XXOO.', '.....', 'XXOO.', 'X.XO.'],
    toMove: BLACK,
    moves: {
      simple: ['B ca', 'W be', 'B pass', 'W ba', 'B ce', 'W ee', 'B pass', 'W pass'],
      positional: ['B ca', 'W be', 'B pass', 'W ba', 'B ee', 'W pass', 'B pass'],
      situational: ['B ca', 'W be', 'B pass', 'W ba', 'B ce', 'W ee', 'B pass', 'W pass']
    }
  },
  {
    // Sending two, returning one: W ba brings the start board back with the other player to move.
    name: 'send two, return one',
    board: ['.O.X.', 'OXXX.', 'O....', '.....', '.....'],
    toMove: WHITE,
    moves: {
      simple: ['W ca', 'B aa', 'W ba', 'B pass', 'W ca', 'B aa', 'W ba'],
      positional: ['W ca', 'B aa', 'W ec', 'B pass', 'W pass'],
      situational: ['W ca', 'B aa', 'W ba', 'B pass', 'W ec', 'B ee']
    }
  },
  {
    // Triple ko: the sixth capture (W ha) brings the start board back.
    name: 'triple ko',
    board: ['XO.OOO.OX', 'XXOOOOOXX', '.........', '.........', '.........', '.........', '.........', 'XXOO.....', 'X.XO.....'],
    toMove: BLACK,
    moves: {
      simple: ['B ca', 'W bi', 'B ga', 'W ba', 'B ci', 'W ha', 'B ca', 'W bi', 'B pass', 'W pass'],
      positional: ['B ca', 'W bi', 'B ga', 'W ba', 'B ci', 'W ei', 'B pass', 'W pass', 'B ee'],
      situational: ['B ca', 'W bi', 'B ga', 'W ba', 'B ci', 'W ei', 'B pass', 'W pass', 'B ee']
    }
  }
]
const scenarioRuns = scenarios.flatMap(s => MODES.map(mode => ({ ...s, mode, name: `${s.name}, ${mode.label}` })))

const tmp = haveGnuGo ? mkdtempSync(join(tmpdir(), 'p2pgo-gnugo-')) : ''
afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true })
})

describe.skipIf(!haveGnuGo)(haveGnuGo ? 'GNU Go cross-check' : `GNU Go cross-check: SKIPPED, ${GNUGO} is not installed (apt-get install gnugo; CI installs it)`, () => {
  describe.concurrent('random games: every legality verdict, capture count and board', () => {
    it.each(randomGames)('$name', async ({ size, mode, seed }) => {
      await randomGame(size, mode, seed * 7919 + size * 31 + MODES.indexOf(mode))
    }, 120_000)
  })

  it('random games met kos and superko, so the agreement means something', () => {
    const lines: string[] = []
    for (const mode of MODES) {
      const t = tallies.get(mode.label) as Tally
      lines.push(`${mode.label}: ${t.games} games, ${t.plies} plies, ${t.candidates} is_legal verdicts and ${t.allLegalPoints} all_legal points compared, illegal ${JSON.stringify(t.illegal)}, ` +
        `${t.stonesCaptured} stones captured, ${t.passes} passes, ${t.boardsCompared} boards compared, ` +
        `situational-only legal ${t.situationalOnlyLegal}, positional-only illegal ${t.positionalOnlyIllegal}`)
      expect(t.games, mode.label).toBe(randomGames.filter(g => g.mode === mode).length)
      expect(t.plies, mode.label).toBeGreaterThan(5000)
      expect(t.illegal.occupied, mode.label).toBeGreaterThan(1000)
      expect(t.illegal.suicide, mode.label).toBeGreaterThan(1000)
      expect(t.illegal.ko, mode.label).toBeGreaterThan(200)
      if (mode.rules.ko === 'simple') expect(t.illegal.superko, mode.label).toBe(0)
      else expect(t.illegal.superko, mode.label).toBeGreaterThan(20)
      // Cases where the two superko rules part, so each GNU Go mode was tested on its own ground.
      if (mode.rules.ko === 'positional') expect(t.positionalOnlyIllegal, mode.label).toBeGreaterThan(0)
      if (mode.rules.ko === 'situational') expect(t.situationalOnlyLegal, mode.label).toBeGreaterThan(0)
    }
    console.info(`GNU Go random games\n${lines.join('\n')}`)
  })

  describe.concurrent('GNU Go self-play replayed in p2pgo', () => {
    it.each(selfPlayGames)('$name', async ({ size, seed, mode, maxPlies }) => {
      await selfPlay(size, seed, mode, maxPlies)
    }, 120_000)
  })

  describe.concurrent('set-up ko positions (loadsgf), every point at every step', () => {
    it.each(scenarioRuns)('$name', async ({ mode, board, toMove, moves }) => {
      const size = board.length
      const gg = await GnuGo.start(size, mode.flags)
      try {
        const pos = new Position(size, mode.rules)
        const t = new Transcript(`${size}x${size} set-up position, ${mode.label}`, pos, gg)
        board.forEach((row, y) => [...row].forEach((ch, x) => {
          if (ch !== '.') t.setup.push([pos.board.point(x, y), ch === 'X' ? BLACK : WHITE])
        }))
        pos.setup(t.setup, toMove)
        const file = join(tmp, `${mode.label.replace(/\W/g, '-')}-${Math.random().toString(36).slice(2)}.sgf`)
        writeFileSync(file, t.sgf(toMove))
        expect(await gg.engine.send('loadsgf', file)).toBe(colorName(toMove))
        await t.compareBoards()
        const points = allPoints(pos.board)
        for (const move of moves[mode.rules.ko]) {
          const color: Color = move[0] === 'B' ? BLACK : WHITE
          for (const p of points) await t.compareLegality(color, p)
          const v = fromSgfPoint(move.slice(2))
          await t.play(color, v == null ? null : pos.board.point(v.x, v.y))
          await t.compareCaptures()
        }
        await t.compareBoards()
      } finally {
        await gg.close()
      }
    })

    it('fixed_handicap on 9x9, 13x13 and 19x19 places exactly fixedHandicapPoints, and both refuse one stone too many', async () => {
      const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp'] })
      try {
        for (const size of [9, 13, 19]) {
          const max = maxFixedHandicap(size)
          for (let n = 2; n <= max; n++) {
            await engine.send('boardsize', size)
            await engine.send('clear_board')
            const theirs = (await engine.send('fixed_handicap', n)).split(/\s+/).sort()
            const ours = fixedHandicapPoints(size, n).map(v => toGtpVertex(v, size)).sort()
            expect(ours, `${size}x${size}, ${n} stones`).toEqual(theirs)
          }
          await engine.send('clear_board')
          await expect(engine.send('fixed_handicap', max + 1)).rejects.toThrow(GtpError)
          expect(() => fixedHandicapPoints(size, max + 1)).toThrow(InvalidSettingError)
        }
      } finally {
        await engine.close()
      }
    })

    it('fixed_handicap on every size GNU Go plays (2-19): same maximum everywhere, same points except on 12x12', async () => {
      const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp'] })
      try {
        for (let size = 2; size <= 19; size++) {
          let theirMax = 0
          for (let n = 2; n <= 10; n++) {
            await engine.send('boardsize', size)
            await engine.send('clear_board')
            let theirs: string[]
            try {
              theirs = (await engine.send('fixed_handicap', n)).split(/\s+/).sort()
            } catch (err) {
              if (!(err instanceof GtpError)) throw err
              break
            }
            theirMax = n
            const ours = fixedHandicapPoints(size, n).map(v => toGtpVertex(v, size)).sort()
            if (size === 12) {
              // GNU Go moves the stones to the 4th line on boards larger than 11x11; the GTP table
              // p2pgo follows (and gomill, among others) keeps the 3rd line below 13x13.
              expect(theirs.every(v => /^[DJ](4|9)$/.test(v)), theirs.join(' ')).toBe(true)
              expect(ours.every(v => /^[CK](3|10)$/.test(v)), ours.join(' ')).toBe(true)
            } else {
              expect(ours, `${size}x${size}, ${n} stones`).toEqual(theirs)
            }
          }
          expect(maxFixedHandicap(size), `${size}x${size}`).toBe(theirMax)
        }
        // Below two stones GTP has no fixed handicap at all; p2pgo reads 0 and 1 as "no stones".
        await engine.send('boardsize', 19)
        await engine.send('clear_board')
        await expect(engine.send('fixed_handicap', 1)).rejects.toThrow(GtpError)
        expect(fixedHandicapPoints(19, 1)).toEqual([])
      } finally {
        await engine.close()
      }
    })

    it('GTP vertices: p2pgo reads exactly the vertices GNU Go reads, as the same points', async () => {
      const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp'] })
      let compared = 0
      try {
        for (const size of [5, 9, 19]) {
          await engine.send('boardsize', size)
          await engine.send('clear_board')
          for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabhijz') {
            for (let row = 0; row <= size + 2; row++) {
              const text = `${letter}${row}`
              const ours = fromGtpVertex(text, size)
              let theirs = true
              try {
                await engine.send('is_legal', 'black', text)
              } catch (err) {
                if (!(err instanceof GtpError)) throw err
                theirs = false
              }
              expect(ours != null, `${text} on ${size}x${size}: GNU Go ${theirs ? 'reads' : 'refuses'} it`).toBe(theirs)
              compared++
              if (ours == null) continue
              // Which point GNU Go took it for: play it and ask where the stone is.
              await engine.send('play', 'black', text)
              expect(await engine.send('list_stones', 'black'), text).toBe(toGtpVertex(ours, size))
              await engine.send('clear_board')
            }
          }
        }
      } finally {
        await engine.close()
      }
      expect(compared).toBeGreaterThan(1000)
    })
  })

  it('self-play games were played out', () => {
    expect(selfPlayTally.games).toBe(selfPlayGames.length)
    expect(selfPlayTally.moves).toBeGreaterThan(200)
    expect(selfPlayTally.stonesCaptured).toBeGreaterThan(0)
    console.info(`GNU Go self-play: ${selfPlayTally.games} games, ${selfPlayTally.moves} moves replayed, ${selfPlayTally.allLegalPoints} all_legal points compared, ${selfPlayTally.stonesCaptured} stones captured, ${selfPlayTally.passes} passes`)
  })
})
