// p2pgo as a GTP engine: a GTP controller (Sabaki, GoGui, Lizzie, a script) is the board, the
// engine is the network opponent. `play` for the local colour is the player's move, sent to the
// network; `genmove` for the other colour waits for the opponent's move. The game itself is
// reached through `GameLink` only: this file knows nothing of libp2p (src/cli/gtp-seat.ts finds
// the opponent).
import { P2PGO_VERSION } from '../version.js'
import { IllegalMoveError } from '../game/errors.js'
import { fromGtpVertex, toGtpVertex, type Vertex } from '../game/vertex.js'
import { parseResult, describeResult } from '../game/result.js'
import { boardRows } from '../game/board-rows.js'
import { formatTimeControl } from '../game/time-control.js'
import { ActRejectedError, type GameSession } from '../session/index.js'
import { answerCounting, type Perform } from './network-counting.js'
import { clockText, gtpColor, gtpTimeLeft, kgsTimeSettings, timeSettings, GtpArgumentError } from './gtp-terms.js'
import type { GtpRequest, GtpResponse } from './gtp-codec.js'
import type { GameTerms } from '../wire/game-start.js'
import type { Act, Side } from '../wire/game-messages.js'

/** One network game as the engine plays it. */
export interface GameLink {
  readonly session: GameSession
  /** Signs and sends an act of the local player. */
  readonly perform: Perform
  /** Aborted when the network gives the game up (the opponent left, a flag was claimed); the reason says why in words. */
  readonly closed: AbortSignal
}

export interface NetworkEngineInit {
  /** Agrees a game on `terms` with the local player as `me`, from the network; rejects in words when none can be. */
  readonly open: (terms: GameTerms, me: Side, signal: AbortSignal) => Promise<GameLink>
  /** The terms before any GTP command changes them (size from the command line, komi, no clock). */
  readonly terms: GameTerms
  /** Progress in words (stderr in the CLI). */
  readonly log?: (line: string) => void
  /** The wall clock, for time_left. */
  readonly now?: () => number
}

/** Every command this engine knows, as list_commands gives them. */
export const NETWORK_COMMANDS = Object.freeze([
  'protocol_version', 'name', 'version', 'known_command', 'list_commands', 'quit',
  'boardsize', 'clear_board', 'komi', 'time_settings', 'kgs-time_settings',
  'play', 'genmove', 'undo', 'time_left', 'final_score', 'final_status_list', 'showboard'
])

const colorName = (s: Side): string => (s === 'B' ? 'black' : 'white')
const other = (s: Side): Side => (s === 'B' ? 'W' : 'B')

/** A command refused, in words for the player: answered as `? message`. */
class Refusal extends Error {}

/**
 * Answers GTP commands for one network game. Commands are handled one at a time, in order, as
 * GTP requires (the caller awaits each `handle`). The game is agreed with the network opponent
 * when the first `play` or `genmove` arrives: its colour tells the engine which side is local.
 */
export class NetworkEngine {
  private readonly init: NetworkEngineInit
  private terms: GameTerms
  private link: GameLink | undefined
  /** Turns the controller knows: told by `play`, or given by `genmove`. */
  private told = 0
  private readonly stopping = new AbortController()
  /** Set once `quit` was answered. */
  quitting = false

  constructor (init: NetworkEngineInit) {
    this.init = init
    this.terms = init.terms
  }

  /** The game, once agreed. */
  get game (): GameLink | undefined {
    return this.link
  }

  /** Ends waits in progress (stdin closed, a signal): the command in flight is answered with `?`. */
  stop (): void {
    this.stopping.abort()
  }

  /** The answer to one command, its id echoed. */
  async handle (request: GtpRequest): Promise<GtpResponse> {
    const reply = (ok: boolean, content: string): GtpResponse => (request.id == null ? { ok, content } : { id: request.id, ok, content })
    try {
      return reply(true, await this.run(request.name, request.args))
    } catch (err) {
      if (err instanceof Refusal || err instanceof GtpArgumentError) return reply(false, err.message)
      this.log(`${request.name}: ${(err as Error).stack ?? String(err)}`)
      return reply(false, (err as Error).message)
    }
  }

  private async run (name: string, args: readonly string[]): Promise<string> {
    switch (name) {
      case 'protocol_version': return '2'
      case 'name': return 'p2pgo'
      case 'version': return P2PGO_VERSION
      case 'known_command': return NETWORK_COMMANDS.includes(args[0] ?? '') ? 'true' : 'false'
      case 'list_commands': return NETWORK_COMMANDS.join('\n')
      case 'quit':
        this.quitting = true
        return ''
      case 'boardsize': return this.setTerms('boardsize', { size: this.size(args[0]) })
      case 'komi': return this.setTerms('komi', { komi: this.komi(args[0]) })
      case 'time_settings': return this.setTerms('time_settings', { tc: timeSettings(args) })
      case 'kgs-time_settings': return this.setTerms('kgs-time_settings', { tc: kgsTimeSettings(args) })
      case 'clear_board':
        if (this.link != null && this.link.session.turnActs.length > 0) throw new Refusal('the network game is under way and cannot be cleared: p2pgo gtp plays one game per run (quit and start it again for another)')
        this.told = 0
        return ''
      case 'play': return await this.play(args)
      case 'genmove': return await this.genmove(args)
      case 'undo': return await this.undo()
      case 'time_left': return this.timeLeft(args)
      case 'final_score': return await this.finalScore()
      case 'final_status_list': return await this.finalStatus(args[0])
      case 'showboard': return this.showboard()
      default: throw new Refusal('unknown command')
    }
  }

  private size (text: string | undefined): number {
    const size = Number(text)
    if (!/^\d+$/.test(text ?? '')) throw new Refusal(`boardsize takes a number, got ${JSON.stringify(text ?? '')}`)
    if (![9, 13, 19].includes(size)) throw new Refusal(`unacceptable size: p2pgo plays 9x9, 13x13 and 19x19, not ${size}x${size}`)
    return size
  }

  private komi (text: string | undefined): number {
    const komi = Number(text)
    if (text == null || text === '' || !Number.isFinite(komi) || Math.abs(komi) > 1000) throw new Refusal(`komi takes a number such as 7.5, got ${JSON.stringify(text ?? '')}`)
    return komi
  }

  /** Sets terms before the game; once it is agreed, only the agreed value is accepted. */
  private setTerms (command: string, change: Partial<GameTerms>): string {
    const next = { ...this.terms, ...change }
    if (this.link == null) {
      this.terms = next
      return ''
    }
    const agreed = this.link.session.start.terms
    if (JSON.stringify({ ...agreed, ...change }) !== JSON.stringify(agreed)) {
      throw new Refusal(`the game was agreed with your opponent on ${describeTerms(agreed)}; ${command} cannot change it now`)
    }
    return ''
  }

  /** The game, agreed now if it is not yet: `me` is the local colour the controller's command implies. */
  private async open (me: Side): Promise<GameLink> {
    if (this.link != null) {
      if (this.link.session.me !== me) throw new Refusal(`you play ${colorName(this.link.session.me)} in this game: "play ${colorName(this.link.session.me)} VERTEX" sends your move, "genmove ${colorName(other(this.link.session.me))}" gives your opponent's`)
      return this.link
    }
    this.log(`finding an opponent: you play ${colorName(me)} on ${describeTerms(this.terms)}`)
    let link: GameLink
    try {
      link = await this.init.open(this.terms, me, this.stopping.signal)
    } catch (err) {
      // The network's own words (declined, unreachable): a refusal the board shows, not a crash.
      throw new Refusal(`no game was agreed: ${(err as Error).message}`)
    }
    if (link.session.me !== me) throw new Refusal(`the game found has you as ${colorName(link.session.me)}, but the controller played ${colorName(me)}`)
    this.link = link
    this.terms = link.session.start.terms
    answerCounting(link.session, link.perform, line => { this.log(line) }, AbortSignal.any([link.closed, this.stopping.signal]))
    this.log(`game ${link.session.gameId.toString()} agreed: you play ${colorName(me)} on ${describeTerms(this.terms)}`)
    return link
  }

  private vertex (text: string | undefined): Vertex | 'pass' {
    const t = (text ?? '').toLowerCase()
    if (t === 'pass') return 'pass'
    const v = fromGtpVertex(t, this.terms.size)
    if (v == null) throw new Refusal(`not a point on the ${this.terms.size}x${this.terms.size} board: ${JSON.stringify(text ?? '')} (points are like D4; the letter I is skipped)`)
    return v
  }

  private gtpMove (act: Act): string {
    return act.kind === 'pass' ? 'pass' : toGtpVertex({ x: act.x as number, y: act.y as number }, this.terms.size)
  }

  private async play (args: readonly string[]): Promise<string> {
    const side = gtpColor(args[0])
    if (side == null || args.length !== 2) throw new Refusal('play takes a colour and a point, e.g. "play black D4" or "play white pass"')
    const where = this.vertex(args[1])
    const link = await this.open(this.link?.session.me ?? side)
    const { session } = link
    const said = where === 'pass' ? 'pass' : toGtpVertex(where, this.terms.size)
    if (side !== session.me || this.told < session.turnActs.length) {
      // A turn the game already has (the opponent's, or one replayed into a resumed game): it must be the same.
      const act = await this.turn(link, this.told)
      if (act == null) throw new Refusal(`the game is over (${this.resultText(session)}): there is no move ${this.told + 1}`)
      const played = this.gtpMove(act)
      if (act.by !== side || played.toLowerCase() !== said.toLowerCase()) throw new Refusal(`move ${this.told + 1} of the game is ${colorName(act.by)} ${played}, not ${colorName(side)} ${said}`)
      this.told++
      return ''
    }
    if (session.end != null) throw new Refusal(`the game is over: ${this.resultText(session)}`)
    if (session.game.phase === 'scoring') throw new Refusal('both players passed: the game is being counted (final_score waits for the result)')
    try {
      await link.perform(s => (where === 'pass' ? s.pass() : s.move(where)))
    } catch (err) {
      if (err instanceof IllegalMoveError) throw new Refusal(`illegal move: ${err.message}`)
      if (err instanceof ActRejectedError) throw new Refusal(err.message)
      throw err
    }
    this.told++
    this.log(`you played ${said}`)
    return ''
  }

  private async genmove (args: readonly string[]): Promise<string> {
    const side = gtpColor(args[0])
    if (side == null || args.length !== 1) throw new Refusal('genmove takes a colour: "genmove white" gives your opponent\'s move as white')
    const link = await this.open(this.link?.session.me ?? other(side))
    const { session } = link
    if (side === session.me) throw new Refusal(`you play ${colorName(side)}: send your move with "play ${colorName(side)} VERTEX"; genmove gives your opponent's (${colorName(other(side))}) moves only`)
    if (this.told < session.turnActs.length && session.turnActs[this.told].by === session.me) {
      throw new Refusal(`move ${this.told + 1} (yours, ${this.gtpMove(session.turnActs[this.told])}) has not been played on this board yet: send it with "play ${colorName(session.me)} ..." first`)
    }
    if (this.told === session.turnActs.length && session.end == null && session.game.phase === 'play' && session.game.toMove === (session.me === 'B' ? 1 : 2)) {
      throw new Refusal(`it is your turn (${colorName(session.me)}): send your move with "play ${colorName(session.me)} VERTEX" before asking for your opponent's`)
    }
    const act = await this.turn(link, this.told)
    if (act == null) {
      if (session.endedBy?.side === side && session.endedBy.kind === 'resign') {
        this.log(`your opponent resigned: ${this.resultText(session)}`)
        return 'resign'
      }
      if (session.end == null) throw new Refusal('both players passed: the game is being counted (final_score waits for the result)')
      throw new Refusal(`the game is over: ${this.resultText(session)}`)
    }
    this.told++
    const move = this.gtpMove(act)
    this.log(`your opponent played ${move}`)
    return move
  }

  /** Turn `index` of the game, waiting for it to be played; undefined once the game ends without it. */
  private async turn (link: GameLink, index: number): Promise<Act | undefined> {
    const { session } = link
    await this.until(link, () => session.turnActs.length > index || session.end != null || session.game.phase === 'scoring')
    return session.turnActs[index]
  }

  /** Resolves once `check` holds, looking again after every act; refused when the game is closed or the engine stops. */
  private async until (link: GameLink, check: () => boolean): Promise<void> {
    if (check()) return
    const { session, closed } = link
    const stopping = this.stopping.signal
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        session.removeEventListener('act', look)
        session.removeEventListener('ended', look)
        closed.removeEventListener('abort', close)
        stopping.removeEventListener('abort', stop)
      }
      const look = (): void => { if (check()) { done(); resolve() } }
      const close = (): void => { done(); reject(new Refusal(`the game was closed: ${String(closed.reason)}`)) }
      const stop = (): void => { done(); reject(new Refusal('p2pgo gtp is stopping')) }
      session.addEventListener('act', look)
      session.addEventListener('ended', look)
      closed.addEventListener('abort', close, { once: true })
      stopping.addEventListener('abort', stop, { once: true })
      if (closed.aborted) close()
      else if (stopping.aborted) stop()
    })
  }

  private async undo (): Promise<string> {
    const link = this.link
    if (link == null) throw new Refusal('there is no move to take back: the game has not started')
    const { session } = link
    const last = session.turnActs.at(-1)
    if (last == null || last.by !== session.me || this.told !== session.turnActs.length) {
      throw new Refusal('only your own last move can be taken back, before your opponent answers it (the network game asks your opponent)')
    }
    const theirs = session.acts[other(session.me)].length
    const turns = session.turnActs.length
    await link.perform(s => s.requestUndo())
    this.log('asked your opponent to take your last move back')
    await this.until(link, () => session.acts[other(session.me)].slice(theirs).some(a => a.kind === 'undo-reply' || a.kind === 'move' || a.kind === 'pass') || session.end != null)
    if (session.turnActs.length < turns) {
      this.told = session.turnActs.length
      this.log('your opponent agreed: your last move is taken back')
      return ''
    }
    throw new Refusal('your opponent declined to take your last move back')
  }

  private timeLeft (args: readonly string[]): string {
    const side = gtpColor(args[0])
    if (side == null || args.length !== 3 || !/^\d+$/.test(args[1]) || !/^\d+$/.test(args[2])) throw new Refusal('time_left takes a colour, seconds and stones, e.g. "time_left black 300 0"')
    if (this.link == null) return ''
    // The network game's clock is the real one: the controller's is only reported back.
    const clock = this.link.session.game.clock
    const at = (this.init.now ?? Date.now)()
    this.log(`${colorName(side)}'s clock in the network game: ${clockText(clock, side === 'B' ? 1 : 2, at)} (the controller says ${args[1]} s, ${args[2]} stones)`)
    return gtpTimeLeft(clock, side === 'B' ? 1 : 2, at)
  }

  /** The game's end, waiting for counting to finish when both players have passed. */
  private async ended (): Promise<GameSession> {
    const link = this.link
    if (link == null) throw new Refusal('no game has been played yet')
    const { session } = link
    if (session.end == null && session.game.phase === 'play') throw new Refusal('the game is not over yet: it is still being played')
    await this.until(link, () => session.end != null)
    return session
  }

  private async finalScore (): Promise<string> {
    const session = await this.ended()
    const result = session.end?.result ?? ''
    if (result === 'Void') throw new Refusal('the game ended without a result (abandoned or repeated position)')
    return result
  }

  private async finalStatus (status: string | undefined): Promise<string> {
    if (status !== 'dead' && status !== 'alive' && status !== 'seki') throw new Refusal('final_status_list takes dead, alive or seki')
    const session = await this.ended()
    // The dead stones both players agreed in counting; p2pgo's counting has no seki marking.
    if (status === 'seki') return ''
    const dead = new Set(session.game.marking.dead.map(v => `${v.x},${v.y}`))
    const rows = session.game.position.board.toRows()
    const out: string[] = []
    rows.forEach((row, y) => {
      [...row].forEach((c, x) => {
        if (c !== '.' && dead.has(`${x},${y}`) === (status === 'dead')) out.push(toGtpVertex({ x, y }, this.terms.size))
      })
    })
    return out.join(' ')
  }

  private showboard (): string {
    const size = this.terms.size
    const rows = this.link?.session.game.position.board.toRows() ?? boardRows(new Uint8Array((size + 2) * (size + 2)), size)
    const letters = 'ABCDEFGHJKLMNOPQRST'.slice(0, size).split('').join(' ')
    const lines = rows.map((row, y) => `${String(size - y).padStart(2)} ${row.split('').join(' ')} ${size - y}`)
    const me = this.link?.session.me
    const who = me == null ? 'no game yet' : `you play ${colorName(me)}`
    return `\n   ${letters}\n${lines.join('\n')}\n   ${letters}\n${who}; ${describeTerms(this.terms)}`
  }

  private resultText (session: GameSession): string {
    const text = session.end?.result ?? ''
    const r = parseResult(text)
    return r == null ? text : `${describeResult(r)} (${text})`
  }

  private log (line: string): void {
    this.init.log?.(line)
  }
}

/** Terms in words: "9x9, komi 7.5, no time limit". */
function describeTerms (t: GameTerms): string {
  return `${t.size}x${t.size}, komi ${t.komi}, ${t.tc.kind === 'none' ? 'no time limit' : formatTimeControl(t.tc)}`
}
