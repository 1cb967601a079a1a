// What the terminal client knows between draws: the game in progress, its chat and counting,
// the last notice, the status line's facts. The lobby's rows are lobby-entries.ts's and the
// challenges both ways challenge-desk.ts's. It listens to the node's public API and events and
// says `change`; the screens draw from it and never listen to the node themselves.
import { TypedEventEmitter } from 'main-event'
import { ChallengeDesk, type IncomingChallenge } from './challenge-desk.js'
import { lobbyEntries, type LobbyEntry, type LobbySize } from './lobby-entries.js'
import { termsText } from './presets.js'
import { resultText } from './result-text.js'
import type { NodeEvents, P2pgoNode } from '../net/node.js'
import type { LobbyEvents, LobbySeek } from '../net/lobby/index.js'
import type { FriendStatus } from '../net/friends/index.js'
import type { FixedRating } from '../rating/trueskill.js'
import type { GameTerms } from '../wire/game-start.js'
import { addressScope, REACH_SETTLE_MS, type Status } from './status-line.js'
import { isPublicAddress } from '../net/reach.js'
import type { GameSession } from '../session/index.js'
import { isCorrespondence, ongoingGames } from './ongoing-games.js'
import type { Act } from '../wire/game-messages.js'

/** An act the game refused, as a sentence for the player ("Illegal move: that point already has a stone on it"). */
function refusal (err: unknown): string {
  const text = (err as Error).message
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export type { IncomingChallenge, LobbyEntry, LobbySize }

export interface ClientEvents {
  /** Something shown changed: draw again. */
  change: CustomEvent<void>
  /** A game began (or was resumed): the board screen takes over. */
  game: CustomEvent<{ gameId: string }>
  /** The player's rating moved after a co-signed result. */
  rating: CustomEvent<{ gameId: string, before: FixedRating, after: FixedRating }>
  /** The node now holds one more RNA (arrived, or one of its own games published): lists of it are stale. */
  rna: CustomEvent<{ id: string }>
}

/** How long after the opponent changes the marking an accept asks to be pressed again: about a human's look at the board. */
export const MARK_SETTLE_MS = 2000

export class ClientState extends TypedEventEmitter<ClientEvents> {
  readonly node: P2pgoNode
  /** The size the lobby shows players, seeks and ratings of, and offers games of. */
  private shownSize: LobbySize
  /** Challenges both ways: those waiting for the player's answer, and the player's own. */
  private readonly desk: ChallengeDesk
  /** The last thing worth telling the player ("bob declined: busy"). */
  notice = ''
  /** What the player is doing, for the status line. */
  activity = 'in the lobby'
  /** The game on screen, when there is one. */
  gameId: string | undefined
  /** The current game's chat, oldest first. */
  chat: Array<{ readonly from: 'B' | 'W', readonly text: string }> = []
  /** The opponent asked to take back a move: the board asks the player. */
  undoAsked = false
  /** Challenges and messages waiting in the inbox (sent while the player was away). */
  inboxCount = 0
  /** Rating changes of finished games, by game ID. */
  readonly ratingChanges = new Map<string, { readonly before: FixedRating, readonly after: FixedRating }>()
  /** When the opponent last changed the marking of the game on screen. */
  private markedAt: number | undefined
  /** The player pressed accept once right after such a change and was asked to look again. */
  private acceptArmed = false
  private readonly stops: Array<() => void> = []
  /** When start() ran: the status line says how the node stands once REACH_SETTLE_MS have passed. */
  private startedAt = Date.now()

  constructor (node: P2pgoNode, size: LobbySize = 9) {
    super()
    this.node = node
    this.shownSize = size
    this.desk = new ChallengeDesk({ node, say: text => { this.say(text) }, changed: () => { this.changed() }, playing: () => this.playingLive() })
  }

  /** Challenges waiting for an answer, oldest first. */
  get challenges (): readonly IncomingChallenge[] {
    return this.desk.challenges
  }

  /** A proposal or a match search under way. */
  get busy (): boolean {
    return this.desk.busy
  }

  get size (): LobbySize {
    return this.shownSize
  }

  /** Shows another size: the lobby listens to that size's players near this player's rating. */
  set size (size: LobbySize) {
    this.shownSize = size
    this.node.lobby.follow([size])
    this.changed()
  }

  /** The friends followed and what their presence records say (none on a node without the friends service). */
  friends (): FriendStatus[] {
    return this.node.friends?.statuses() ?? []
  }

  /** About how many nodes are online, and on the size shown, from the lobby's census; undefined until one was heard. */
  online (): { readonly total: number, readonly onSize: number } | undefined {
    const counts = this.node.lobby.online()
    if (counts.periods === 0) return undefined
    return { total: Math.round(counts.total), onSize: Math.round(counts.bySize[String(this.size)] ?? 0) }
  }

  /** Starts listening; the node's decide() now asks the player. Returns at once. */
  start (): void {
    const { node } = this
    node.lobby.follow([this.size])
    const changed = (): void => { this.changed() }
    const onNode = <K extends keyof NodeEvents>(type: K, fn: (e: NodeEvents[K]) => void): void => {
      node.addEventListener(type, fn)
      this.stops.push(() => { node.removeEventListener(type, fn) })
    }
    const onLobby = <K extends keyof LobbyEvents>(type: K, fn: (e: LobbyEvents[K]) => void): void => {
      node.lobby.addEventListener(type, fn)
      this.stops.push(() => { node.lobby.removeEventListener(type, fn) })
    }
    for (const type of ['presence', 'presence:removed', 'seek', 'seek:removed', 'reach', 'live', 'live:removed'] as const) onLobby(type, changed)
    const friends = node.friends
    if (friends != null) {
      for (const type of ['friend', 'friend:removed'] as const) {
        friends.addEventListener(type, changed)
        this.stops.push(() => { friends.removeEventListener(type, changed) })
      }
    }
    const post = node.post
    if (post != null) {
      const recount = (): void => { this.recountInbox() }
      for (const type of ['post:item', 'post:game', 'post:declined'] as const) {
        post.addEventListener(type, recount)
        this.stops.push(() => { post.removeEventListener(type, recount) })
      }
      this.recountInbox()
    }
    this.startedAt = Date.now()
    // Nothing else may happen when the wait for a reach is over: draw again then, so the status line settles.
    const settle = setTimeout(changed, REACH_SETTLE_MS)
    settle.unref?.()
    this.stops.push(() => { clearTimeout(settle) })
    for (const type of ['peer:connected', 'peer:disconnected', 'addresses', 'game:path', 'game:move'] as const) onNode(type, changed)
    onNode('game:chat', e => {
      if (e.detail.gameId === this.gameId) this.chat.push({ from: e.detail.from, text: e.detail.text })
      changed()
    })
    onNode('game:proposal', e => {
      if (e.detail.gameId === this.gameId && e.detail.kind === 'undo-request') this.undoAsked = true
      if (e.detail.gameId === this.gameId && e.detail.kind === 'mark') {
        this.markedAt = Date.now()
        this.acceptArmed = false
      }
      changed()
    })
    onNode('game:started', e => {
      // A correspondence game (an offline challenge answered) does not take the board from a live game.
      const started = node.games.games.find(s => s.gameId.toString() === e.detail.gameId.toString())
      if (started != null && isCorrespondence(started) && this.playingLive()) {
        this.say(`a correspondence game against ${started.start.names[started.me === 'B' ? 'W' : 'B']} started: it waits under Your games in the lobby`)
        return
      }
      this.openGame(e.detail.gameId)
    })
    onNode('game:ended', e => {
      if (e.detail.cosigned) this.present()
      if (e.detail.gameId === this.gameId) this.notice = `${resultText(e.detail.result)}${e.detail.cosigned ? ': the game is saved (p2pgo games lists it)' : ''}`
      changed()
    })
    onNode('game:closed', e => {
      if (e.detail.gameId === this.gameId) this.notice = `${resultText(e.detail.result)}: ${e.detail.reason === 'flag' ? 'you won on time' : e.detail.reason === 'abandoned' ? 'you left the game' : 'your opponent never signed the result'}; not rated (Esc: back to the lobby)`
      changed()
    })
    // The opponent has been silent past the limit: the player may leave (the game would hold it for good).
    const onSilent = (e: CustomEvent<{ gameId: { toString: () => string } }>): void => {
      if (e.detail.gameId.toString() === this.gameId) this.say('your opponent has been silent for a long time: L leaves the game (no result), or keep waiting')
    }
    node.games.addEventListener('game:silent', onSilent)
    this.stops.push(() => { node.games.removeEventListener('game:silent', onSilent) })
    onNode('rating', e => {
      this.ratingChanges.set(e.detail.gameId, { before: e.detail.before, after: e.detail.after })
      this.safeDispatch('rating', { gameId: e.detail.gameId, before: e.detail.before, after: e.detail.after })
      this.changed()
      this.present()
    })
    onNode('rna', e => { this.safeDispatch('rna', { id: e.detail.id }) })
    onNode('rna:published', e => { this.safeDispatch('rna', { id: e.detail.id }) })
    node.decide = async (offer, { signal }) => this.desk.ask(offer, signal)
    this.present()
    // A game left unfinished by the last run resumed during start(): a live one is shown; the
    // correspondence games wait in the lobby's "Your games", and the player is told how many want a move.
    const open = node.games.games.find(s => s.end == null && !isCorrespondence(s))
    if (open != null) this.openGame(open.gameId.toString())
    else {
      const mine = ongoingGames(node.games.games, Date.now()).filter(g => g.yourMove).length
      if (mine > 0) this.say(`your move in ${mine} game${mine === 1 ? '' : 's'}: they are at the top of the lobby (Enter opens one)`)
    }
  }

  stop (): void {
    for (const stop of this.stops.splice(0)) stop()
    this.desk.declineAll({ decline: 'busy' })
    this.node.decide = async () => ({ decline: 'busy' })
  }

  /** The status line's facts. */
  status (): Status {
    const self = this.node.self()
    const relay = self.relays[0]
    const unreached = { scope: addressScope(self.addresses, isPublicAddress), relaySlots: this.node.relaySlots(), settled: Date.now() - this.startedAt >= REACH_SETTLE_MS }
    return {
      name: self.name,
      peer: self.peer,
      peers: this.node.peers().length,
      ...(self.reach != null ? { reach: self.reach } : { unreached }),
      ...(relay != null ? { relay } : {}),
      activity: this.activity
    }
  }

  /** The lobby's rows: players (best rated first), then others' open seeks, then live games to watch. */
  entries (): LobbyEntry[] {
    return lobbyEntries(this.node, this.size)
  }

  /** Posts a seek for these terms (one at a time: a new one replaces the last). */
  postSeek (terms: GameTerms): void {
    const { lobby } = this.node
    for (const s of lobby.mySeeks()) lobby.cancelSeek(s.id)
    lobby.postSeek({ terms, color: 'random' })
    this.say(`seeking: ${termsText(terms)} (others see it in their lobby)`)
  }

  /** This player's open seeks. */
  mySeeks (): GameTerms[] {
    return this.node.lobby.mySeeks().map(s => s.terms)
  }

  /** Challenges a player; the game starts on both sides when it accepts. */
  challenge (peer: string, terms: GameTerms, name: string): void {
    this.desk.challenge(peer, terms, name)
  }

  /** Takes another player's open seek with its own terms. */
  takeSeek (seek: LobbySeek, name: string): void {
    this.desk.takeSeek(seek, name)
  }

  /** Quick match: the first fit opponent near the player's rating, challenged at once. */
  quickMatch (): void {
    this.desk.quickMatch(this.size)
  }

  /** Answers the oldest waiting challenge. */
  answer (accept: boolean): void {
    this.desk.answer(accept)
  }

  /** The game on screen. */
  session (): GameSession | undefined {
    return this.gameId == null ? undefined : this.node.games.games.find(s => s.gameId.toString() === this.gameId)
  }

  /**
   * Does something in the current game as this player. A refused act (an illegal move, not the
   * player's turn) changes nothing and comes back as its sentence on the message line.
   */
  act (what: (session: GameSession) => Promise<unknown>, done?: string): void {
    const session = this.session()
    if (session == null) return
    this.node.games.perform(session.gameId, async s => what(s) as Promise<Act>)
      .then(() => { this.notice = done ?? ''; this.changed() }, err => { this.say(refusal(err)) })
  }

  /**
   * Accepts the count as it stands, unless the opponent changed the marking less than
   * MARK_SETTLE_MS ago: the player cannot have looked at it yet, so the first press only says so
   * and a second one accepts (an accept signs whatever marking stands when it arrives).
   */
  acceptCount (): void {
    const session = this.session()
    if (session == null) return
    if (this.markedAt != null && Date.now() - this.markedAt < MARK_SETTLE_MS && !this.acceptArmed) {
      this.acceptArmed = true
      const dead = session.game.marking.dead.length
      // Short enough for an 80-column message line: the key to press must not be cut off.
      this.say(`marking changed just now (${dead} dead stone${dead === 1 ? '' : 's'}): look, then press a again to accept`)
      return
    }
    this.acceptArmed = false
    this.act(async s => s.acceptScore(), 'you accepted the count: waiting for your opponent to accept it too (r resumes play; q leaves, the game stays resumable)')
  }

  /** Shows one of the player's games on the board (from the lobby's "Your games"). */
  showGame (gameId: string): void {
    this.openGame(gameId)
  }

  /** Back to the lobby after a game, or between the moves of a correspondence game. */
  leaveGame (): void {
    this.gameId = undefined
    this.activity = 'in the lobby'
    this.present()
    this.changed()
  }

  /** Tells the player something on the message line. */
  say (text: string): void {
    this.notice = text
    this.changed()
  }

  private openGame (gameId: string): void {
    const session = this.node.games.games.find(s => s.gameId.toString() === gameId)
    if (session == null) return
    if (this.gameId !== gameId) {
      this.chat = []
      this.undoAsked = false
    }
    this.gameId = gameId
    const opponent = session.start.names[session.me === 'B' ? 'W' : 'B']
    this.activity = `playing ${opponent} (${session.start.terms.size}x${session.start.terms.size})`
    // A live game takes the player from the lobby; opening a correspondence game to move does not.
    if (!isCorrespondence(session)) {
      this.desk.declineAll({ decline: 'busy', message: 'a game just started' })
      const { lobby } = this.node
      for (const s of lobby.mySeeks()) lobby.cancelSeek(s.id)
    }
    this.present()
    this.safeDispatch('game', { gameId })
    this.changed()
  }

  /** Reads how many items wait in the inbox, and draws again if that changed. */
  recountInbox (): void {
    this.node.post?.inbox().then(items => {
      if (items.length === this.inboxCount) return
      this.inboxCount = items.length
      this.changed()
    }, () => {})
  }

  /** A live game on screen and not over: a correspondence game does not keep the player from others. */
  private playingLive (): boolean {
    return this.node.games.games.some(s => s.gameId.toString() === this.gameId && s.end == null && !isCorrespondence(s))
  }

  /** The player's lobby presence: name, sizes, ratings, idle or playing. */
  private present (): void {
    const playing = this.playingLive()
    this.node.lobby.setPresence({ name: this.node.name, sizes: [9, 13, 19], ratings: this.node.lobbyRatings(), status: playing ? 'playing' : 'idle' })
  }

  private changed (): void {
    this.safeDispatch('change', undefined)
  }

  private safeDispatch<K extends keyof ClientEvents> (type: K, detail: ClientEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
