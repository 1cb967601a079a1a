import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SIMPLE_GTP_COMMANDS, SimpleGtp } from '../../src/bot/simple-gtp.js'
import { MOVE_CAP_PER_POINT, seededRandom } from '../../src/bot/simple-player.js'
import { identifyEngine } from '../../src/bot/engine-identity.js'
import { GtpPlayer } from '../../src/bot/gtp-player.js'
import { serveGtp } from '../../src/cli/commands/engine.js'
import { BLACK, WHITE } from '../../src/game/constants.js'
import { Game } from '../../src/game/game.js'
import { CHINESE } from '../../src/game/rules.js'
import { fromGtpVertex } from '../../src/game/vertex.js'
import { parseResponse } from '../../src/gtp/gtp-codec.js'
import { bin } from '../helpers/cli.js'
import { isOwnEye } from '../helpers/random-games.js'
import type { Board } from '../../src/game/board.js'
import type { Color } from '../../src/game/color.js'
import type { Act } from '../../src/wire/game-messages.js'
import type { GameTerms } from '../../src/wire/game-start.js'

const engine = (seed = 1): SimpleGtp => new SimpleGtp({ random: seededRandom(seed) })

/** Sends each line and returns the responses, checking each is well-formed GTP. */
function session (e: SimpleGtp, lines: readonly string[]): string[] {
  return lines.map(line => {
    const r = e.respond(line)
    expect(r, line).not.toBeNull()
    parseResponse(r as string) // throws on anything that is not one GTP response
    return r as string
  })
}

describe('simple GTP engine', () => {
  it.each<[string, string]>([
    ['protocol_version', '= 2\n\n'],
    ['name', '= p2pgo simple player\n\n'],
    ['version', '= 0.1.0\n\n'],
    ['known_command genmove', '= true\n\n'],
    ['known_command showboard', '= false\n\n'],
    ['boardsize 9', '=\n\n'],
    ['clear_board', '=\n\n'],
    ['komi 6.5', '=\n\n'],
    ['komi -3', '=\n\n'],
    ['play black D4', '=\n\n'],
    ['play W pass', '=\n\n'],
    ['final_status_list dead', '=\n\n'],
    ['final_status_list seki', '=\n\n'],
    ['quit', '=\n\n']
  ])('%s', (line, expected) => {
    expect(engine().respond(line)).toBe(expected)
  })

  it('names every command it knows, and its version is the package\'s', () => {
    const list = engine().respond('list_commands') as string
    expect(parseResponse(list).content.split('\n')).toEqual([...SIMPLE_GTP_COMMANDS])
    for (const c of ['protocol_version', 'name', 'version', 'known_command', 'list_commands', 'boardsize', 'clear_board', 'komi', 'play', 'genmove', 'undo', 'final_status_list', 'quit']) {
      expect(SIMPLE_GTP_COMMANDS).toContain(c)
    }
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(engine().respond('version')).toBe(`= ${pkg.version}\n\n`)
  })

  it('echoes ids, ignores empty and comment lines, and cleans tabs, CR and control characters', () => {
    const e = engine()
    expect(e.respond('')).toBeNull()
    expect(e.respond('   ')).toBeNull()
    expect(e.respond('# just a comment')).toBeNull()
    expect(e.respond('7 name')).toBe('=7 p2pgo simple player\n\n')
    expect(e.respond('8 name # who are you?')).toBe('=8 p2pgo simple player\n\n')
    expect(e.respond('9\tknown_command\tplay\r')).toBe('=9 true\n\n')
    expect(e.respond('10 na\u0007me')).toBe('=10 p2pgo simple player\n\n')
    expect(e.respond('11 frobnicate')).toBe('?11 unknown command\n\n')
    expect(e.respond('12')).toMatch(/^\?12 syntax error/)
    expect(e.done).toBe(false)
    expect(e.respond('13 quit')).toBe('=13\n\n')
    expect(e.done).toBe(true)
  })

  it.each<[string, string[], RegExp]>([
    ['a vertex off the board', ['boardsize 9', 'play black Z99'], /^\? syntax error: 'Z99' is not a point of a 9x9 board\n\n$/],
    ['a vertex of a bigger board', ['boardsize 9', 'play black K10'], /^\? syntax error/],
    ['the letter I', ['play black I5'], /^\? syntax error/],
    ['no colour', ['play purple A1'], /^\? syntax error: 'purple' is not a colour/],
    ['a missing argument', ['play black'], /^\? syntax error: missing argument/],
    ['genmove without a colour', ['genmove'], /^\? syntax error/],
    ['an unknown command', ['frobnicate'], /^\? unknown command\n\n$/],
    ['a board too big', ['boardsize 30'], /^\? unacceptable size\n\n$/],
    ['a board too small', ['boardsize 1'], /^\? unacceptable size\n\n$/],
    ['a size that is not a number', ['boardsize nine'], /^\? syntax error/],
    ['a komi that is not a number', ['komi lots'], /^\? syntax error/],
    ['an unknown status', ['final_status_list maybe'], /^\? syntax error/],
    ['nothing to undo', ['boardsize 9', 'undo'], /^\? cannot undo\n\n$/],
    ['an occupied point', ['boardsize 9', 'play black E5', 'play white E5'], /^\? illegal move: that point already has a stone on it\n\n$/],
    ['suicide', ['boardsize 9', 'play black A2', 'play black B1', 'play white A1'], /^\? illegal move: .*suicide/],
    ['an immediate ko recapture', ['boardsize 9', 'play b B9', 'play w C9', 'play b C8', 'play w D8', 'play b J1', 'play w E9', 'play b D9', 'play w C9'], /^\? illegal move: retaking the ko/]
  ])('refuses %s', (_name, lines, expected) => {
    const responses = session(engine(), lines)
    expect(responses.slice(0, -1).every(r => r.startsWith('='))).toBe(true)
    expect(responses[responses.length - 1]).toMatch(expected)
  })

  it('a refused command changes nothing', () => {
    const e = engine()
    session(e, ['boardsize 9', 'play black E5', 'boardsize 30', 'play white E5', 'komi x'])
    // Still 9x9, E5 still black, komi accepted afterwards.
    expect(session(e, ['play white J9', 'play white E5', 'komi 7.5'])).toEqual(['=\n\n', expect.stringMatching(/^\? illegal move/), '=\n\n'])
  })

  it('undo takes back the last turn, genmove\'s included', () => {
    const e = engine(3)
    session(e, ['boardsize 9', 'play black E5'])
    const [move] = session(e, ['genmove white'])
    const vertex = parseResponse(move).content
    expect(fromGtpVertex(vertex, 9)).toBeDefined()
    expect(session(e, ['undo', `play white ${vertex}`, 'undo', 'undo', 'play white E5'])).toEqual(['=\n\n', '=\n\n', '=\n\n', '=\n\n', '=\n\n'])
  })

  it('accepts the same colour twice (handicap stones come as plays) and answers genmove for either colour', () => {
    const e = engine(4)
    const responses = session(e, ['boardsize 9', 'play black C3', 'play black G7', 'genmove white', 'genmove white', 'genmove black'])
    expect(responses.slice(3).every(r => /^= [A-HJ-T]\d$/.test(r.trim()))).toBe(true)
  })

  it('answers the same commands the same way for the same seed', () => {
    const transcript = (seed: number): string[] => {
      const e = engine(seed)
      return session(e, ['boardsize 9', ...Array.from({ length: 60 }, (_, i) => `genmove ${i % 2 === 0 ? 'b' : 'w'}`)])
    }
    expect(transcript(11)).toEqual(transcript(11))
    expect(transcript(11)).not.toEqual(transcript(12))
  })

  it('plays 20 self-play games on 9x9 to the end: every move legal, captures taken, true own eyes never filled, both pass within the cap', () => {
    const cap = 9 * 9 * MOVE_CAP_PER_POINT
    for (let seed = 1; seed <= 20; seed++) {
      const e = engine(seed)
      // The referee: the game core under Chinese rules (positional superko, no suicide), the strictest p2pgo offers.
      const game = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
      expect(session(e, ['boardsize 9', 'clear_board', 'komi 7.5'])).toEqual(['=\n\n', '=\n\n', '=\n\n'])
      while (game.phase === 'play') {
        const color: Color = game.toMove
        const board = game.position.board
        const capturable = biggestCapture(game, color)
        const reply = parseResponse(e.respond(`genmove ${color === BLACK ? 'black' : 'white'}`) as string)
        expect(reply.ok).toBe(true)
        if (reply.content === 'pass') {
          game.pass(color)
          continue
        }
        const v = fromGtpVertex(reply.content, 9)
        expect(v, reply.content).toBeDefined()
        const p = board.point(v!.x, v!.y)
        expect(fillsOwnEye(board, color, p)).toBe(false)
        const move = game.play(color, v!) // throws IllegalMoveError if the engine's move is illegal
        if (game.moves.length <= cap) expect(move.captured).toBeGreaterThanOrEqual(capturable)
      }
      expect(game.phase).toBe('scoring')
      expect(game.moves.length).toBeLessThanOrEqual(cap + 2)
      expect(game.moves.slice(-2).map(m => m.vertex)).toEqual([null, null])
      expect(e.respond('final_status_list dead')).toBe('=\n\n')
      const alive = parseResponse(e.respond('final_status_list alive') as string).content.split(' ').filter(t => t !== '')
      expect(alive).toHaveLength(board9Stones(game))
    }
  })

  it('p2pgo engine serves GTP lines until quit or the end of input', async () => {
    const lines = async function * (items: string[]): AsyncGenerator<string> { yield * items }
    const out: string[] = []
    expect(await serveGtp(lines(['1 name', '', '# hi', 'boardsize 9', 'quit', 'name']), engine(), t => out.push(t))).toBe(0)
    expect(out).toEqual(['=1 p2pgo simple player\n', '=\n', '=\n'])
    out.length = 0
    expect(await serveGtp(lines(['version']), engine(), t => out.push(t))).toBe(0)
    expect(out).toEqual(['= 0.1.0\n'])
  })

  it('runs as a real engine process behind the bot plumbing: identifyEngine and GtpPlayer', async () => {
    const args = [bin, 'engine', '--seed', '5']
    expect(await identifyEngine(process.execPath, args)).toEqual({ name: 'p2pgo simple player', version: '0.1.0' })
    const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
    const player = await GtpPlayer.start(process.execPath, args, terms, [])
    try {
      const game = new Game({ size: 9, rules: CHINESE, komi: 7.5 })
      game.play(BLACK, { x: 4, y: 4 })
      // GtpPlayer.catchUp reads only who moved and where; told twice, the turn goes to the engine once.
      const turns = [{ kind: 'move', by: 'B', x: 4, y: 4 } as unknown as Act]
      await player.catchUp(() => turns)
      await player.catchUp(() => turns)
      for (let i = 0; i < 10; i++) {
        const side = game.toMove === BLACK ? 'B' : 'W'
        const move = await player.genmove(side)
        expect(move.kind).toBe('move')
        if (move.kind !== 'move') break
        expect(game.check(game.toMove, move.vertex)).toBeNull()
        game.play(game.toMove, move.vertex)
      }
      expect(await player.deadStones()).toEqual([])
    } finally {
      await player.close()
    }
  })

  it('sets the engine\'s board up again from the record when the engine refuses a turn the record holds', async () => {
    const args = [bin, 'engine', '--seed', '5']
    const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
    const resyncs: string[] = []
    const player = await GtpPlayer.start(process.execPath, args, terms, [], why => { resyncs.push(why) })
    try {
      const at = (by: 'B' | 'W', x: number, y: number): Act => ({ kind: 'move', by, x, y }) as unknown as Act
      // The engine is told a first turn; the record it is then given holds another first turn and a
      // second on the point the engine already has a stone on: the engine refuses, and is set up again.
      await player.catchUp(() => [at('B', 4, 4)])
      await player.catchUp(() => [at('B', 2, 2), at('W', 4, 4)])
      expect(resyncs).toHaveLength(1)
      expect(resyncs[0]).toMatch(/play white E5/)
      // Its board is now the record's: C7 and E5 are taken, so it replies elsewhere.
      const move = await player.genmove('B')
      expect(move.kind).toBe('move')
      if (move.kind === 'move') expect([[2, 2], [4, 4]]).not.toContainEqual([move.vertex.x, move.vertex.y])
    } finally {
      await player.close()
    }
  })
})

/** Size of the biggest opponent chain `color` could capture at once (0 when none): the engine must take at least that. */
function biggestCapture (game: Game, color: Color): number {
  const board = game.position.board
  const enemy = color === BLACK ? WHITE : BLACK
  let best = 0
  for (let y = 0; y < board.size; y++) {
    for (let x = 0; x < board.size; x++) {
      const p = board.point(x, y)
      if (board.cells[p] !== enemy) continue
      const libs = board.liberties(p)
      if (libs.length === 1 && game.check(color, board.vertex(libs[0])) == null) best = Math.max(best, board.chainSize(p))
    }
  }
  return best
}

function board9Stones (game: Game): number {
  const b = game.position.board
  return b.count(BLACK) + b.count(WHITE)
}

/**
 * True when `color` at `p` fills one of its own eyes (every neighbour its stone or the edge) that is
 * not the last liberty of one of its groups: filling such a false eye to connect is a rescue, not a waste.
 */
function fillsOwnEye (board: Board, color: Color, p: number): boolean {
  if (!isOwnEye(board, color, p)) return false
  return [p - board.width, p - 1, p + 1, p + board.width].every(n => board.cells[n] !== color || board.liberties(n).length > 1)
}
