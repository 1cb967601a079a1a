import { GtpError } from '../gtp/errors.js'
import { GtpEngine } from '../gtp/gtp-engine.js'
import { fromGtpVertex, toGtpVertex, type Vertex } from '../game/vertex.js'
import type { GameTerms } from '../wire/game-start.js'
import type { Act, Side } from '../wire/game-messages.js'

/** What a GTP engine answers to genmove, in game terms. */
export type EngineMove = { kind: 'move', vertex: Vertex } | { kind: 'pass' } | { kind: 'resign' }

const colorName = (s: Side): string => (s === 'B' ? 'black' : 'white')

/**
 * One GTP engine process playing one game: set up, told the moves, asked for its own. It counts
 * the turns its engine knows, so catching up after a slow start never tells a turn twice.
 */
export class GtpPlayer {
  private readonly engine: GtpEngine
  private readonly size: number
  /** Turns on the engine's board: told, or played by its own genmove. */
  private known = 0

  private readonly handicapStones: readonly Vertex[]
  /** Told when the engine refused a turn and its board is set up again from the record. */
  private readonly onResync: (why: string) => void

  private constructor (engine: GtpEngine, size: number, handicapStones: readonly Vertex[], onResync: (why: string) => void) {
    this.engine = engine
    this.size = size
    this.handicapStones = handicapStones
    this.onResync = onResync
  }

  /** Starts the engine and sets up the board, rules' komi and any handicap stones. */
  static async start (command: string, args: readonly string[], terms: GameTerms, handicapStones: readonly Vertex[], onResync: (why: string) => void = () => {}): Promise<GtpPlayer> {
    const engine = new GtpEngine({ command, args })
    try {
      await engine.send('boardsize', terms.size)
      // GTP komi starts at 0: always say it.
      await engine.send('komi', terms.komi)
      const player = new GtpPlayer(engine, terms.size, handicapStones, onResync)
      await player.clear()
      return player
    } catch (err) {
      await engine.close().catch(() => {})
      throw err
    }
  }

  /**
   * Tells the engine every turn of the game it does not know yet. `turns` is read again after
   * each one: turns that arrive while the engine is being told earlier ones (a resumed game's
   * replay takes a while, and the opponent may move meanwhile) are told too before this returns.
   */
  async catchUp (turns: () => readonly Act[]): Promise<void> {
    try {
      await this.tell(turns)
    } catch (err) {
      if (!(err instanceof GtpError)) throw err
      // The engine's board is not the game's (it refused a turn the game holds): it is set up
      // again from the record, once; a second refusal is the engine's own disagreement.
      this.onResync(err.message)
      await this.clear()
      await this.tell(turns)
    }
  }

  private async tell (turns: () => readonly Act[]): Promise<void> {
    for (let known = turns(); this.known < known.length; known = turns()) {
      const act = known[this.known]
      const where = act.kind === 'pass' ? 'pass' : toGtpVertex({ x: act.x as number, y: act.y as number }, this.size)
      await this.engine.send('play', colorName(act.by), where)
      this.known++
    }
  }

  /** An empty board with the handicap stones: no turn known. */
  private async clear (): Promise<void> {
    await this.engine.send('clear_board')
    for (const v of this.handicapStones) await this.engine.send('play', 'black', toGtpVertex(v, this.size))
    this.known = 0
  }

  /** Asks the engine for its move as `side` (the engine plays it on its own board too). */
  async genmove (side: Side): Promise<EngineMove> {
    const reply = (await this.engine.send('genmove', colorName(side))).trim().toLowerCase()
    if (reply === 'resign') return { kind: 'resign' }
    if (reply === 'pass') {
      this.known++
      return { kind: 'pass' }
    }
    const vertex = fromGtpVertex(reply, this.size)
    if (vertex == null) throw new Error(`the engine answered genmove with "${reply}"`)
    this.known++
    return { kind: 'move', vertex }
  }

  /** Takes the engine's last move back (its genmove was refused, or an undo was agreed). */
  async undo (): Promise<void> {
    await this.engine.send('undo')
    this.known--
  }

  /** The stones the engine thinks are dead, for the scoring phase. */
  async deadStones (): Promise<Vertex[]> {
    const text = (await this.engine.send('final_status_list', 'dead')).trim()
    return text.split(/\s+/).filter(t => t !== '').flatMap(t => {
      const v = fromGtpVertex(t, this.size)
      return v == null ? [] : [v]
    })
  }

  async close (): Promise<void> {
    await this.engine.close()
  }
}
