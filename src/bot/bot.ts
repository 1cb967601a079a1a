import { peerIdFromString } from '@libp2p/peer-id'
import { ActRejectedError } from '../session/index.js'
import { GtpPlayer } from './gtp-player.js'
import { identifyEngine } from './engine-identity.js'
import { engineLabel } from '../wire/game-start.js'
import type { P2pgoNode } from '../net/node.js'
import type { GameSession } from '../session/index.js'
import type { GameTerms } from '../wire/game-start.js'
import { otherSide, type Act, type Side } from '../wire/game-messages.js'
import type { LobbySeek } from '../net/lobby/index.js'
import type { RankedCandidate } from '../rating/ranking.js'
import type { Vertex } from '../game/vertex.js'

/** How often an accepting bot looks through the lobby for seeks it could answer. */
const SCAN_MS = 1000
/** A seek a bot already tried is left alone this long (the seeker may be busy with someone else). */
const RETRY_SEEK_MS = 15_000

const sleep = async (ms: number): Promise<void> => { if (ms > 0) await new Promise(resolve => setTimeout(resolve, ms)) }

export interface BotInit {
  readonly node: P2pgoNode
  readonly engine: { readonly command: string, readonly args: readonly string[] }
  readonly size: number
  /**
   * seek: post a seek (in the lobby and in the DHT's rating buckets) and play whoever accepts;
   * accept: answer others' seeks in the lobby that fit; match: find the best-ranked seeker near
   * the bot's rating (matchmaking over the DHT and the lobby) and propose to it.
   */
  readonly mode: 'seek' | 'accept' | 'match'
  /** Games to finish (with both result signatures) before `run` resolves. */
  readonly games: number
  readonly name: string
  readonly terms?: Partial<GameTerms>
  /** Where the bot says what it is doing (stderr in the CLI). */
  readonly log?: (line: string) => void
  /** Least time a move takes, in ms: an engine that answers at once still plays at a human pace. */
  readonly moveDelayMs?: number
}

/** One game the bot is playing: the session and the engine that plays it. */
interface Driver {
  readonly session: GameSession
  readonly side: Side
  player?: GtpPlayer
  /** Engine work happens one step at a time, in order. */
  queue: Promise<void>
  /** Turns count at which this bot last marked dead stones (once per counting phase). */
  markedAt: number
  /** The count this bot last accepted (turns and dead stones), so it accepts each one once. */
  accepted: string | undefined
  closed: boolean
}

/**
 * A headless player: finds or accepts games through the lobby and the challenge protocol, and
 * plays them with any GTP engine. Uses only the node's public API, like the terminal UI.
 */
export class Bot {
  private readonly init: BotInit
  private readonly drivers = new Map<string, Driver>()
  private readonly tried = new Map<string, number>()
  private finished = 0
  private seekId: Uint8Array | undefined
  private proposing = false
  /** Aborted when run() ends: challenges in flight are called off. */
  private readonly stopped = new AbortController()
  private done: (() => void) | undefined
  private fail: ((err: Error) => void) | undefined

  constructor (init: BotInit) {
    this.init = init
  }

  private get terms (): GameTerms {
    return { size: this.init.size, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' }, ...this.init.terms }
  }

  private get busy (): boolean {
    return this.proposing || [...this.drivers.values()].some(d => !d.closed)
  }

  /**
   * Plays until `games` games are finished; resolves with the number finished. Rejects at once
   * when the engine cannot start: it is asked what it is before any challenge is made or answered.
   */
  async run (signal?: AbortSignal): Promise<number> {
    const { node, engine } = this.init
    // Every start record this bot signs names its engine on its own side (protocols/challenge.md).
    node.engine = await identifyEngine(engine.command, engine.args, signal != null ? { signal } : {})
    this.say(`engine: ${engineLabel(node.engine)}`)
    node.games.addEventListener('game:started', e => { this.onGame(e.detail.gameId.toString()) })
    node.games.addEventListener('game:move', e => {
      const d = this.drivers.get(e.detail.gameId.toString())
      if (d != null) this.enqueue(d, async () => { await this.step(d) })
    })
    node.games.addEventListener('game:proposal', e => {
      const d = this.drivers.get(e.detail.gameId.toString())
      // A bot keeps its moves: it declines undo. (Markings are answered in agree().)
      if (d != null && e.detail.kind === 'undo-request') this.enqueue(d, async () => { await this.perform(d, s => s.replyUndo(false)) })
    })
    const release = (gameId: string, result: string, how: string): void => {
      const d = this.drivers.get(gameId)
      if (d == null || d.closed) return
      d.closed = true
      this.finished++
      this.say(`game ${gameId} ended ${result}${how} (${this.finished}/${this.init.games})`)
      this.present('idle')
      d.player?.close().catch(() => {})
      if (this.finished >= this.init.games) this.done?.()
      else this.lookForGame()
    }
    node.games.addEventListener('game:ended', e => { if (e.detail.cosigned) release(e.detail.gameId.toString(), e.detail.result, '') })
    // A vanished opponent holds the bot no longer: a flag it claimed, a game it left, an end never co-signed.
    node.games.addEventListener('game:closed', e => { release(e.detail.gameId.toString(), e.detail.result, ` without the opponent's signature (${e.detail.reason})`) })
    node.games.addEventListener('game:silent', e => {
      const d = this.drivers.get(e.detail.gameId.toString())
      if (d == null || d.closed) return
      this.say(`game ${e.detail.gameId.toString()}: the opponent has been silent since ${new Date(e.detail.since).toISOString()}; leaving it as abandoned`)
      this.enqueue(d, async () => { if (d.session.mayLeave()) await this.perform(d, s => s.abandon()) })
    })
    // The lobby shows the bot's ratings as they move after each rated game.
    node.ratings.addEventListener('rating', () => { this.present(this.busy ? 'playing' : 'idle') })
    node.decide = async (offer) => {
      const size = this.init.size
      // A challenge for another board is refused as such: 'busy' would send the player back to wait.
      if (offer.terms.size !== size) return { decline: 'unsupported', message: `this bot plays ${size}x${size} only` }
      const fits = this.seekId != null && !this.busy && this.finished < this.init.games
      return fits ? { accept: true, name: this.init.name } : { decline: 'busy' }
    }
    const finished = new Promise<void>((resolve, reject) => {
      this.done = resolve
      this.fail = reject
    })
    signal?.addEventListener('abort', () => { this.fail?.(new Error('stopped')) }, { once: true })
    // Games resumed from the home at start are already in `drivers` (game:started fired during start()).
    for (const session of node.games.games) this.onGame(session.gameId.toString())
    this.present(this.busy ? 'playing' : 'idle')
    const scan = setInterval(() => { this.lookForGame() }, SCAN_MS)
    this.lookForGame()
    try {
      if (this.init.games > 0) await finished
    } finally {
      // Stopping: no new game is agreed from here on, neither answered nor proposed.
      this.stopped.abort()
      node.decide = async () => ({ decline: 'busy', message: 'this bot is stopping' })
      clearInterval(scan)
      if (this.seekId != null) node.lobby.cancelSeek(this.seekId)
      this.seekId = undefined
      await node.matchmaker.stopSeeking()
      for (const d of this.drivers.values()) await d.player?.close().catch(() => {})
    }
    return this.finished
  }

  /** Seeks or answers a seek when idle. */
  private lookForGame (): void {
    if (this.busy || this.finished >= this.init.games || this.stopped.signal.aborted) return
    const { node } = this.init
    if (this.init.mode === 'seek') {
      if (this.seekId == null) {
        this.seekId = node.lobby.postSeek({ terms: this.terms, color: 'random' })
        this.say(`seeking a ${this.init.size}x${this.init.size} game`)
        node.matchmaker.seek(this.init.size as 9 | 13 | 19).catch(err => { this.say(`could not announce the seek in the DHT: ${(err as Error).message}`) })
      }
      return
    }
    if (this.init.mode === 'match') {
      this.match()
      return
    }
    const now = Date.now()
    const seek = node.lobby.seeks().find(s => s.terms.size === this.init.size && (this.tried.get(seekKey(s)) ?? 0) < now - RETRY_SEEK_MS)
    if (seek == null) return
    this.tried.set(seekKey(seek), now)
    this.proposing = true
    const color = seek.color === 'black' ? 'white' : seek.color === 'white' ? 'black' : 'random'
    this.say(`challenging ${seek.peer.toString()}`)
    node.challenge.propose(seek.peer, { terms: seek.terms, color, name: this.init.name }, { signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopped.signal]) })
      .then(() => {}, err => { this.say(`challenge declined or failed: ${(err as Error).message}`) })
      .finally(() => { this.proposing = false })
  }

  /** Proposes to the best-ranked candidate matchmaking finds, skipping those tried lately. */
  private match (): void {
    const { node } = this.init
    this.proposing = true
    const size = this.init.size as 9 | 13 | 19
    const untried = async (): Promise<RankedCandidate | undefined> => {
      // The first fit opponent not tried lately, as the search finds it (not after the whole walk).
      for await (const c of node.matchmaker.candidates(size, { signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopped.signal]), verify: false })) {
        if (c.score > 0 && (this.tried.get(c.peer) ?? 0) < Date.now() - RETRY_SEEK_MS) return c
      }
      return undefined
    }
    untried().then(async best => {
      if (best == null) return
      this.tried.set(best.peer, Date.now())
      this.say(`matched ${best.peer} (score ${best.score.toFixed(3)}: ${best.why}); challenging`)
      const seek = node.lobby.seeks().find(s => s.peer.toString() === best.peer && s.terms.size === size)
      const color = seek?.color === 'black' ? 'white' : seek?.color === 'white' ? 'black' : 'random'
      await node.challenge.propose(peerIdFromString(best.peer), { terms: seek?.terms ?? this.terms, color, name: this.init.name }, { signal: AbortSignal.any([AbortSignal.timeout(30_000), this.stopped.signal]) })
    }).catch(err => { this.say(`matchmaking: ${(err as Error).message}`) })
      .finally(() => { this.proposing = false })
  }

  /** The bot's lobby presence, with its ratings. */
  private present (status: 'idle' | 'playing'): void {
    this.init.node.lobby.setPresence({ name: this.init.name, sizes: [this.init.size as 9 | 13 | 19], ratings: this.init.node.lobbyRatings(), status })
  }

  private onGame (gameId: string): void {
    if (this.drivers.has(gameId)) return
    const session = this.init.node.games.games.find(s => s.gameId.toString() === gameId)
    if (session == null) return
    if (this.seekId != null) {
      this.init.node.lobby.cancelSeek(this.seekId)
      this.seekId = undefined
      this.init.node.matchmaker.stopSeeking().catch(() => {})
    }
    this.present('playing')
    const d: Driver = { session, side: session.me, queue: Promise.resolve(), markedAt: -1, accepted: undefined, closed: this.init.node.games.over(session.gameId) }
    this.drivers.set(gameId, d)
    if (d.closed) return
    this.say(`playing ${session.me === 'B' ? 'black' : 'white'} in game ${gameId}`)
    // The opponent's marking, or its acceptance of a count as it stands: the bot agrees.
    session.addEventListener('act', e => {
      const { act, mine } = e.detail
      if (!mine && (act.kind === 'mark' || act.kind === 'accept')) this.enqueue(d, async () => { await this.agree(d, act) })
    })
    this.enqueue(d, async () => {
      const { engine } = this.init
      d.player = await GtpPlayer.start(engine.command, engine.args, session.start.terms, session.game.handicapStones, why => {
        this.say(`game ${gameId}: the engine's board differed from the game's (${why}); set up again from the game record`)
      })
      await this.step(d)
      // A game resumed in counting: the opponent's marking or acceptance may be waiting for an answer.
      const waiting = session.acts[otherSide(session.me)].filter(a => a.kind !== 'chat').at(-1)
      if (waiting != null) await this.agree(d, waiting)
    })
  }

  /**
   * Accepts the count the opponent proposed (a marking) or accepted (possibly the count as it
   * stands, with no marking at all): a bot keeps its moves but never argues about the count.
   */
  private async agree (d: Driver, act: Act): Promise<void> {
    const { session } = d
    if (d.closed || session.end != null || session.game.phase !== 'scoring') return
    if (act.kind === 'accept' && act.ply !== session.turnActs.length) return
    const dead = act.kind === 'accept' ? (act.dead ?? []).map(([x, y]) => ({ x, y })) : session.game.marking.dead
    if (deadKey(session.game.marking.dead) !== deadKey(dead)) await this.perform(d, s => s.mark(dead))
    const accepting = `${session.turnActs.length}:${deadKey(dead)}`
    if (d.accepted === accepting || session.end != null) return
    d.accepted = accepting
    await this.perform(d, s => s.acceptScore())
  }

  /** Plays if it is the bot's turn; marks and accepts when counting begins. */
  private async step (d: Driver): Promise<void> {
    const { session, player } = d
    if (player == null || d.closed || session.end != null) return
    // Every turn the engine has not seen yet (the opponent's, a resumed game's), each exactly once,
    // up to the game as it stands now: whose turn it is is decided on the same record.
    await player.catchUp(() => session.turnActs)
    const game = session.game
    const color = d.side === 'B' ? 1 : 2
    if (game.phase === 'play' && game.toMove === color) {
      const thinking = sleep(this.init.moveDelayMs ?? 0)
      const move = await player.genmove(d.side)
      await thinking
      if (d.closed || session.end != null) return
      if (move.kind === 'resign') await this.perform(d, s => s.resign())
      else if (move.kind === 'pass') await this.perform(d, s => s.pass())
      else {
        try {
          await this.perform(d, s => s.move(move.vertex))
        } catch (err) {
          if (!(err instanceof ActRejectedError)) throw err
          // The engine's rules differ (e.g. superko): take its move back and pass instead.
          this.say(`engine move refused (${err.message}); passing`)
          await player.undo()
          await this.perform(d, s => s.pass())
        }
      }
    } else if (game.phase === 'scoring' && d.side === 'B' && d.markedAt !== session.turnActs.length) {
      d.markedAt = session.turnActs.length
      const dead = await player.deadStones()
      if (session.game.phase !== 'scoring') return
      await this.perform(d, s => s.mark(dead))
      d.accepted = `${session.turnActs.length}:${deadKey(dead)}`
      await this.perform(d, s => s.acceptScore())
    }
  }

  private async perform (d: Driver, action: (s: GameSession) => Promise<Act>): Promise<void> {
    await this.init.node.games.perform(d.session.gameId, action)
  }

  private enqueue (d: Driver, work: () => Promise<void>): void {
    d.queue = d.queue.then(work).catch(err => {
      this.say(`game ${d.session.gameId.toString()}: ${(err as Error).message}`)
    })
  }

  private say (line: string): void {
    this.init.log?.(line)
  }
}

/** A marking as one comparable string (the order of the stones does not matter). */
function deadKey (dead: readonly Vertex[]): string {
  return dead.map(v => `${v.x},${v.y}`).sort().join(';')
}

function seekKey (s: LobbySeek): string {
  return `${s.peer.toString()}/${Buffer.from(s.id).toString('hex')}`
}
