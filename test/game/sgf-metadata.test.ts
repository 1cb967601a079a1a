// SGF that other programs read fully: games played to the end by p2pgo's own rules engine (random
// legal moves, a handicap, byo-yomi clocks on every move, agreed dead stones, a counted result)
// on 9x9, 13x13 and 19x19 are exported and then read by @sabaki/sgf (the parser Sabaki uses),
// by p2pgo's importer, and by GNU Go (`loadsgf`), and each must give back the same game.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sgf from '@sabaki/sgf'
import { afterAll, describe, expect, it } from 'vitest'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { Game } from '../../src/game/game.js'
import { recordOf, replayRecord, territoryOf, type GameRecord } from '../../src/game/game-record.js'
import { AGA, CHINESE, JAPANESE, type Ruleset } from '../../src/game/rules.js'
import { mainLine, recordFromSgf, recordToSgf } from '../../src/game/sgf.js'
import { toGtpVertex, toSgfPoint, type Vertex } from '../../src/game/vertex.js'
import { GtpEngine } from '../../src/gtp/gtp-engine.js'
import { isOwnEye, mulberry32, pick, randomInt, type Rng } from '../helpers/random-games.js'
import type { Color } from '../../src/game/color.js'

const GNUGO = '/usr/games/gnugo'
const haveGnuGo = existsSync(GNUGO)
if (!haveGnuGo) console.warn(`Skipping SGF loading in GNU Go: ${GNUGO} is not installed (apt-get install gnugo; CI installs it).`)

interface Case { size: number, handicap: number, rules: Ruleset, seed: number }
const cases: Case[] = [
  { size: 9, handicap: 3, rules: JAPANESE, seed: 9 },
  { size: 13, handicap: 5, rules: CHINESE, seed: 13 },
  { size: 19, handicap: 9, rules: AGA, seed: 19 }
]

/** Byo-yomi: 30 s main time, then 3 periods of 10 s; moves take 0–3 s, so nobody runs out. */
const BYO_YOMI = { kind: 'byo-yomi', mainMs: 30_000, periods: 3, periodMs: 10_000 } as const

/**
 * A whole game: random legal moves (never into one's own eye) until none is left or the move cap,
 * then passes; a few chains of each colour marked dead; both accept the count.
 */
function playGame ({ size, handicap, rules, seed }: Case): Game {
  const rng: Rng = mulberry32(seed)
  const game = new Game({ size, rules, komi: 0.5, handicap, handicapPlacement: 'fixed', timeControl: BYO_YOMI })
  let at = 1_000_000
  game.start(at)
  const timing = (): { at: number } => ({ at: (at += randomInt(rng, 3000)) })
  const cap = size * size * 2
  while (game.phase === 'play') {
    const color: Color = game.moves.length === 0 ? WHITE : game.moves[game.moves.length - 1].color === BLACK ? WHITE : BLACK
    const board = game.position.board
    const candidates: Vertex[] = []
    if (game.moves.length < cap) {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          if (game.check(color, { x, y }) == null && !isOwnEye(board, color, board.point(x, y))) candidates.push({ x, y })
        }
      }
    }
    if (candidates.length === 0) game.pass(color, timing())
    else game.play(color, pick(rng, candidates), timing())
  }
  expect(game.phase).toBe('scoring')
  // Agreed dead stones: a few chains of each colour, wherever they are.
  const board = game.position.board
  for (const color of [BLACK, WHITE]) {
    const stones: Vertex[] = []
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (board.cells[board.point(x, y)] === color) stones.push({ x, y })
    for (let i = 0; i < 2 && stones.length > 0; i++) {
      const v = pick(rng, stones)
      if (!game.marking.dead.some(d => d.x === v.x && d.y === v.y)) game.toggleDead(v)
    }
  }
  game.acceptScore(BLACK)
  game.acceptScore(WHITE)
  expect(game.phase).toBe('ended')
  return game
}

function recordFor (c: Case, game: Game): GameRecord {
  return recordOf(game, {
    players: { black: { name: 'Ada', rank: '3k' }, white: { name: 'Bo Yang', rank: '2d?' } },
    date: '2026-12-07',
    name: `bafyreigame${c.size}`,
    place: 'p2pgo',
    comment: `p2pgo game bafyreigame${c.size}`
  })
}

const games = cases.map(c => {
  const game = playGame(c)
  const record = recordFor(c, game)
  return { c, game, record, text: recordToSgf(record) }
})

const dir = mkdtempSync(join(tmpdir(), 'p2pgo-sgf-meta-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

/** Sorted point list of an SGF list property. */
const points = (values: readonly string[] | undefined): string[] => [...(values ?? [])].sort()

describe.each(games)('SGF of a $c.size x $c.size game, handicap $c.handicap, byo-yomi', ({ c, game, record, text }) => {
  it('carries the game\'s metadata as @sabaki/sgf reads it', () => {
    const [root] = sgf.parse(text)
    const d = root.data
    expect(d.GM).toEqual(['1'])
    expect(d.FF).toEqual(['4'])
    expect(d.CA).toEqual(['UTF-8'])
    expect(d.AP).toEqual(['p2pgo'])
    expect(d.SZ).toEqual([String(c.size)])
    expect(d.KM).toEqual(['0.5'])
    expect(d.RU).toEqual([({ japanese: 'Japanese', chinese: 'Chinese', aga: 'AGA' } as Record<string, string>)[c.rules.id]])
    expect(d.PB).toEqual(['Ada'])
    expect(d.BR).toEqual(['3k'])
    expect(d.PW).toEqual(['Bo Yang'])
    expect(d.WR).toEqual(['2d?'])
    expect(d.HA).toEqual([String(c.handicap)])
    expect(points(d.AB)).toEqual(game.handicapStones.map(toSgfPoint).sort())
    expect(d.DT).toEqual(['2026-12-07'])
    expect(d.TM).toEqual(['30'])
    expect(d.OT).toEqual(['3x10 byo-yomi'])
    expect(d.RE).toEqual([record.result])
    expect(d.RE?.[0]).toMatch(/^[BW]\+\d+\.5$/)
    expect(d.GN).toEqual([`bafyreigame${c.size}`])
    expect(d.PC).toEqual(['p2pgo'])
    expect(d.GC).toEqual([`p2pgo game bafyreigame${c.size}`])
  })

  it('holds every move with its clock, and the agreed dead stones as TB/TW on the last node', () => {
    const [root] = sgf.parse(text)
    const nodes = mainLine(root).slice(1)
    expect(nodes.length).toBe(game.moves.length)
    nodes.forEach((node, i) => {
      const m = game.moves[i]
      const letter = m.color === BLACK ? 'B' : 'W'
      expect(node.data[letter]).toEqual([m.vertex == null ? '' : toSgfPoint(m.vertex)])
      expect(node.data[`${letter}L`]).toEqual([String(m.clock?.left)])
    })
    // Some moves were made in byo-yomi: OB/OW count the periods left.
    expect(nodes.some(n => n.data.OB != null || n.data.OW != null)).toBe(true)
    const last = nodes[nodes.length - 1].data
    const territory = territoryOf(record)!
    expect(points(last.TB)).toEqual(territory.black.map(toSgfPoint).sort())
    expect(points(last.TW)).toEqual(territory.white.map(toSgfPoint).sort())
    // Every agreed dead stone is in the opponent's territory; no living stone is in either.
    const board = game.position.board
    for (const v of record.dead!) {
      const list = board.cells[board.point(v.x, v.y)] === BLACK ? last.TW : last.TB
      expect(list).toContain(toSgfPoint(v))
    }
    expect(record.dead!.length).toBeGreaterThan(0)
  })

  it('reads back identically: @sabaki/sgf writes the same text, p2pgo reads the same record and position', () => {
    expect(sgf.stringify(sgf.parse(text), { linebreak: '\n' })).toBe(text)
    const again = recordFromSgf(text)
    expect(again).toEqual(record)
    const replayed = replayRecord(again)
    expect(replayed.position.board.toRows()).toEqual(game.position.board.toRows())
    expect(replayed.marking.dead).toEqual(game.marking.dead)
    expect(replayed.score().margin).toBe(game.score().margin)
  })

  it.skipIf(!haveGnuGo)('loads in GNU Go to the same final position, captures and player to move', async () => {
    const file = join(dir, `game-${c.size}.sgf`)
    writeFileSync(file, text)
    const engine = new GtpEngine({ command: GNUGO, args: ['--mode', 'gtp', '--level', '0'] })
    try {
      const toMove = (await engine.send('loadsgf', file)).trim()
      const last = game.moves[game.moves.length - 1].color
      expect(toMove).toBe(last === BLACK ? 'white' : 'black')
      expect((await engine.send('query_boardsize')).trim()).toBe(String(c.size))
      const board = game.position.board
      for (const [color, name] of [[BLACK, 'black'], [WHITE, 'white']] as const) {
        const listed = (await engine.send('list_stones', name)).trim().split(/\s+/).filter(t => t !== '').sort()
        const ours = board.toRows().flatMap((row, y) => [...row].flatMap((ch, x) => ch === (color === BLACK ? 'X' : 'O') ? [toGtpVertex({ x, y }, c.size)] : [])).sort()
        expect(listed, `${name} stones after loadsgf`).toEqual(ours)
        // GNU Go's `captures COLOR`: the stones COLOR has taken.
        expect(Number((await engine.send('captures', name)).trim()), `${name} captures`).toBe(board.captures[color])
      }
    } finally {
      await engine.close()
    }
  })
})

describe('time settings other programs read', () => {
  it.each([
    [{ kind: 'correspondence', perMoveMs: 86_400_000, maxBankMs: 259_200_000 } as const, '86400', 'correspondence 86400 max 259200'],
    [BYO_YOMI, '30', '3x10 byo-yomi']
  ])('%o is TM[%s] OT[%s], read back by @sabaki/sgf and p2pgo', (timeControl, tm, ot) => {
    const game = new Game({ size: 9, rules: JAPANESE, komi: 6.5, timeControl })
    game.play(BLACK, { x: 4, y: 4 })
    const record = recordOf(game, { players: { black: { name: 'Ada' }, white: { name: 'Bo' } } })
    const text = recordToSgf(record)
    const [root] = sgf.parse(text)
    expect(root.data.TM).toEqual([tm])
    expect(root.data.OT).toEqual([ot])
    expect(recordFromSgf(text)).toEqual(record)
    expect(replayRecord(recordFromSgf(text)).settings.timeControl).toEqual(timeControl)
  })
})
