// The simple player behind a GTP 2 interface, as text in and text out: one command line in, one
// response out, with no I/O of its own (`p2pgo engine` is the thin wrapper that reads stdin).
// See https://www.lysator.liu.se/~gunnar/gtp/ (GTP 2 draft 2).
import { parseColor, type Color } from '../game/color.js'
import { BLACK, MAX_SIZE, MIN_SIZE, WHITE } from '../game/constants.js'
import { illegalMoveMessage } from '../game/errors.js'
import { PASS, Position } from '../game/position.js'
import { SIMPLE_KO, type Ruleset } from '../game/rules.js'
import { fromGtpVertex, toGtpVertex } from '../game/vertex.js'
import { hash53 } from '../game/zobrist.js'
import { P2PGO_VERSION } from '../version.js'
import { chooseMove, deadStones } from './simple-player.js'

/** What the engine answers to `name`. */
export const SIMPLE_PLAYER_NAME = 'p2pgo simple player'
/** GTP starts on the standard board (GTP 2, section 4.2). */
const DEFAULT_SIZE = 19

/** Every command the engine knows, in the order `list_commands` gives them. */
export const SIMPLE_GTP_COMMANDS = [
  'protocol_version', 'name', 'version', 'known_command', 'list_commands', 'quit',
  'boardsize', 'clear_board', 'komi', 'play', 'genmove', 'undo', 'final_status_list'
] as const

/**
 * The rules the engine keeps the board by: the loosest of p2pgo's rulesets (simple ko, suicide of
 * several stones allowed), so any move the game itself accepted can be told to it. Its own moves
 * are held to the strictest instead: never suicide, never a repeated whole-board position.
 */
const LOOSEST: Ruleset = Object.freeze({ ...SIMPLE_KO, name: 'loosest', multiStoneSuicide: true })

/** Options of a simple GTP engine. */
export interface SimpleGtpInit {
  /** Floats in [0, 1): the player's only source of chance (seed it to replay a game). */
  readonly random: () => number
}

/** A refused command: the text after '?'. */
class Refusal extends Error {}

/** One turn as told or played: a padded point, or PASS. */
interface Turn {
  readonly color: Color
  readonly point: number
}

/**
 * A GTP engine playing the simple player, driven one command line at a time.
 *
 * @example
 * const engine = new SimpleGtp({ random: seededRandom(1) })
 * engine.respond('boardsize 9')   // '= \n\n'
 * engine.respond('1 genmove b')   // '=1 E5\n\n' (or another point)
 */
export class SimpleGtp {
  /** True once `quit` was answered: the caller should stop reading. */
  done = false

  private readonly random: () => number
  private size = DEFAULT_SIZE
  /** GTP asks engines to keep the komi (default 0); the simple player does not count, so it only keeps it. */
  private komi = 0
  private position: Position
  private readonly turns: Turn[] = []
  /** Keys of every whole-board position so far, so the engine's own moves never repeat one. */
  private readonly seen = new Set<number>()

  constructor (init: SimpleGtpInit) {
    this.random = init.random
    this.position = new Position(this.size, LOOSEST)
    this.seen.add(this.position.board.hash)
  }

  /**
   * The response to one line of input, ending in the empty line GTP requires; null for a line
   * with no command (empty, or only a comment), which GTP leaves unanswered.
   */
  respond (line: string): string | null {
    const clean = line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').replace(/#.*$/, '').replace(/\t/g, ' ').trim()
    if (clean === '') return null
    const words = clean.split(/ +/)
    let id = ''
    if (/^\d+$/.test(words[0])) id = words.shift() as string
    const [name, ...args] = words
    try {
      if (name == null) throw new Refusal('syntax error: no command after the id')
      const content = this.run(name, args)
      return `=${id}${content === '' ? '' : ' ' + content}\n\n`
    } catch (err) {
      if (!(err instanceof Refusal)) throw err
      return `?${id} ${err.message}\n\n`
    }
  }

  private run (name: string, args: readonly string[]): string {
    switch (name) {
      case 'protocol_version': return '2'
      case 'name': return SIMPLE_PLAYER_NAME
      case 'version': return P2PGO_VERSION
      case 'known_command': return String((SIMPLE_GTP_COMMANDS as readonly string[]).includes(arg(args, 0)))
      case 'list_commands': return SIMPLE_GTP_COMMANDS.join('\n')
      case 'quit':
        this.done = true
        return ''
      case 'boardsize': return this.boardsize(arg(args, 0))
      case 'clear_board':
        this.reset(this.size)
        return ''
      case 'komi': return this.setKomi(arg(args, 0))
      case 'play': return this.play(colorArg(arg(args, 0)), arg(args, 1))
      case 'genmove': return this.genmove(colorArg(arg(args, 0)))
      case 'undo': return this.undo()
      case 'final_status_list': return this.finalStatus(arg(args, 0))
      default: throw new Refusal('unknown command')
    }
  }

  private boardsize (text: string): string {
    if (!/^\d+$/.test(text)) throw new Refusal(`syntax error: board size '${text}' is not a whole number`)
    const size = Number(text)
    if (size < MIN_SIZE || size > MAX_SIZE) throw new Refusal('unacceptable size')
    this.reset(size)
    return ''
  }

  private setKomi (text: string): string {
    const komi = Number(text)
    if (text === '' || !Number.isFinite(komi)) throw new Refusal(`syntax error: komi '${text}' is not a number`)
    this.komi = komi
    return ''
  }

  private play (color: Color, where: string): string {
    if (where.toLowerCase() === 'pass') {
      this.apply({ color, point: PASS })
      return ''
    }
    const v = fromGtpVertex(where, this.size)
    if (v == null) throw new Refusal(`syntax error: '${where}' is not a point of a ${this.size}x${this.size} board`)
    const point = this.position.board.point(v.x, v.y)
    const reason = this.position.check(color, point)
    if (reason != null) throw new Refusal(`illegal move: ${illegalMoveMessage(reason)}`)
    this.apply({ color, point })
    return ''
  }

  private genmove (color: Color): string {
    const board = this.position.board
    const last = this.turns[this.turns.length - 1]
    const v = chooseMove({
      board,
      color,
      legal: p => {
        if (this.position.check(color, p) != null) return false
        const probe = board.probe(color, p)
        return !probe.suicide && !this.seen.has(hash53(probe.hashHi, probe.hashLo))
      },
      opponentPassed: last != null && last.point === PASS && last.color !== color,
      moveCount: this.turns.length,
      random: this.random
    })
    if (v == null) {
      this.apply({ color, point: PASS })
      return 'pass'
    }
    this.apply({ color, point: board.point(v.x, v.y) })
    return toGtpVertex(v, this.size)
  }

  private undo (): string {
    if (this.turns.length === 0) throw new Refusal('cannot undo')
    // The position keeps no undo log: replay every turn but the last (a few hundred at most).
    const turns = this.turns.slice(0, -1)
    this.reset(this.size)
    for (const turn of turns) this.apply(turn)
    return ''
  }

  private finalStatus (status: string): string {
    const board = this.position.board
    const dead = deadStones(board)
    const points = (which: 'alive' | 'dead'): string[] => {
      if (which === 'dead') return dead.map(v => toGtpVertex(v, this.size))
      const deadKeys = new Set(dead.map(v => board.point(v.x, v.y)))
      const out: string[] = []
      for (let y = 0; y < this.size; y++) {
        for (let x = 0; x < this.size; x++) {
          const c = board.cells[board.point(x, y)]
          if ((c === BLACK || c === WHITE) && !deadKeys.has(board.point(x, y))) out.push(toGtpVertex({ x, y }, this.size))
        }
      }
      return out
    }
    switch (status.toLowerCase()) {
      case 'dead': return points('dead').join(' ')
      case 'alive': return points('alive').join(' ')
      // Seki is not told apart from life.
      case 'seki': return ''
      default: throw new Refusal(`syntax error: status '${status}' is not alive, dead or seki`)
    }
  }

  /** Plays or passes a turn already known to be legal, and remembers the position it leads to. */
  private apply (turn: Turn): void {
    if (turn.point === PASS) this.position.pass(turn.color)
    else {
      const reason = this.position.play(turn.color, turn.point)
      // Every caller has checked the move: a refusal here is a bug, not bad input.
      if (reason != null) throw new Error(`simple GTP engine: a checked move was refused (${reason})`)
    }
    this.turns.push(turn)
    this.seen.add(this.position.board.hash)
  }

  private reset (size: number): void {
    this.size = size
    this.position = new Position(size, LOOSEST)
    this.turns.length = 0
    this.seen.clear()
    this.seen.add(this.position.board.hash)
  }
}

/** The argument at `i`, or a syntax error naming what is missing. */
function arg (args: readonly string[], i: number): string {
  const a = args[i]
  if (a == null) throw new Refusal('syntax error: missing argument')
  return a
}

function colorArg (text: string): Color {
  const color = parseColor(text)
  if (color == null) throw new Refusal(`syntax error: '${text}' is not a colour`)
  return color
}
