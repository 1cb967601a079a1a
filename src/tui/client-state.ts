// What the terminal client knows between draws: the lobby as rows, incoming challenges waiting
// for the player, the game in progress, the last notice. It listens to the node's public API and
// events and says `change`; the screens draw from it and never listen to the node themselves.
import { TypedEventEmitter } from 'main-event'
import { toFixed } from '../rating/trueskill.js'
import { sortPlayers, type LobbyPlayer } from './lobby-rows.js'
import { termsText } from './presets.js'
import { resultText } from './result-text.js'
import { duration, networkAdvice, waitFailure } from '../queries/query-text.js'
import { lobbyOnlyWithoutDht } from '../queries/rating-queries.js'
import type { NodeEvents, P2pgoNode } from '../net/node.js'
import type { ChallengeOffer, Decision } from '../net/challenge/index.js'
import type { LobbyEvents, LobbySeek } from '../net/lobby/index.js'
import type { FixedRating } from '../rating/trueskill.js'
import type { GameTerms } from '../wire/game-start.js'
import { addressScope, REACH_SETTLE_MS, type Status } from './status-line.js'
import { isPublicAddress } from '../net/reach.js'
import type { GameSession } from '../session/index.js'
import type { Act } from '../wire/game-messages.js'

/** An act the game refused, as a sentence for the player ("Illegal move: that point already has a stone on it"). */
function refusal (err: unknown): string {
  const text = (err as Error).message
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A challenge waiting for the player's answer. */
export interface IncomingChallenge {
  readonly offer: ChallengeOffer
  readonly answer: (decision: Decision) => void
}

/** A row of the lobby list: a player, or an open seek. */
export type LobbyEntry =
  | { readonly kind: 'player', readonly player: LobbyPlayer }
  | { readonly kind: 'seek', readonly seek: LobbySeek, readonly name: string }

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

/** Board sizes the lobby can show ratings for and offer games of. */
export type LobbySize = 9 | 13 | 19

/** How long a challenge may wait for the player; the proposer's offer lapses about then anyway. */
const ANSWER_WAIT_MS = 60_000
/** How long a challenge this player sends waits for the answer: the other side's ANSWER_WAIT_MS and the network. */
const PROPOSE_WAIT_MS = ANSWER_WAIT_MS + 15_000
/** How long quick match looks for candidates (the DHT and the lobby). */
const MATCH_WAIT_MS = 30_000

export class ClientState extends TypedEventEmitter<ClientEvents> {
  readonly node: P2pgoNode
  /** The size the lobby shows players, seeks and ratings of, and offers games of. */
  private shownSize: LobbySize
  /** Challenges waiting for an answer, oldest first. */
  readonly challenges: IncomingChallenge[] = []
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
  /** Rating changes of finished games, by game ID. */
  readonly ratingChanges = new Map<string, { readonly before: FixedRating, readonly after: FixedRating }>()
  /** A proposal or a match search under way. */
  busy = false
  /** When the opponent last changed the marking of the game on screen. */
  private markedAt: number | undefined
  /** The player pressed accept once right after such a change and was asked to look again. */
  private acceptArmed = false
  private readonly stops: Array<() => void> = []
  private proposing = false
  /** When start() ran: the status line says how the node stands once REACH_SETTLE_MS have passed. */
  private startedAt = Date.now()

  constructor (node: P2pgoNode, size: LobbySize = 9) {
    super()
    this.node = node
    this.shownSize = size
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
    for (const type of ['presence', 'presence:removed', 'seek', 'seek:removed', 'reach'] as const) onLobby(type, changed)
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
    onNode('game:started', e => { this.openGame(e.detail.gameId) })
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
    node.decide = async (offer, { signal }) => this.ask(offer, signal)
    this.present()
    // A game left unfinished by the last run resumed during start(): show it.
    const open = node.games.games.find(s => s.end == null)
    if (open != null) this.openGame(open.gameId.toString())
  }

  stop (): void {
    for (const stop of this.stops.splice(0)) stop()
    for (const c of this.challenges.splice(0)) c.answer({ decline: 'busy' })
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

  /** The lobby's rows: players (best rated first), then others' open seeks. */
  entries (): LobbyEntry[] {
    const { node } = this
    const peers = new Map(node.peers().map(p => [p.peer, p]))
    // The lobby shows the size on screen; entries of another size heard before stay in the view until they lapse.
    const players = node.lobby.presences().filter(p => p.sizes.includes(this.size)).map((p): LobbyPlayer => {
      const peer = p.peer.toString()
      const claimed = p.ratings?.[this.size]
      const view = peers.get(peer)
      return {
        peer,
        name: p.name,
        ...(claimed != null ? { rating: toFixed(claimed.mu, claimed.sigma) } : {}),
        trust: node.reputation.trust(peer),
        ...(view != null ? { rung: view.rung } : {}),
        ...(view?.rttMs != null ? { rttMs: view.rttMs } : {})
      }
    })
    const names = new Map(players.map(p => [p.peer, p.name]))
    const seeks = node.lobby.seeks().filter(seek => seek.terms.size === this.size).map((seek): LobbyEntry => ({ kind: 'seek', seek, name: names.get(seek.peer.toString()) ?? seek.peer.toString() }))
    return [...sortPlayers(players).map((player): LobbyEntry => ({ kind: 'player', player })), ...seeks]
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
    this.propose(peer, terms, 'random', name)
  }

  /** Takes another player's open seek with its own terms. */
  takeSeek (seek: LobbySeek, name: string): void {
    const color = seek.color === 'black' ? 'white' : seek.color === 'white' ? 'black' : 'random'
    this.propose(seek.peer.toString(), seek.terms, color, name)
  }

  /** Quick match: the first fit opponent near the player's rating (the lobby's seekers, then the DHT's), challenged at once. */
  quickMatch (): void {
    if (this.busy) return
    this.busy = true
    const size = this.size
    this.say(`looking for an opponent near your ${size}x${size} rating (up to ${duration(MATCH_WAIT_MS)})…`)
    const began = Date.now()
    // The first fit candidate is challenged at once (a seek in the lobby view is one), not the best after a walk over every bucket.
    this.node.matchmaker.first(size, { signal: lobbyOnlyWithoutDht(this.node, AbortSignal.timeout(MATCH_WAIT_MS)) }).then(best => {
      this.busy = false
      if (best == null) {
        const facts = this.node.networkFacts()
        const lacking = facts.connections === 0 || facts.dhtPeers === 0
        this.say(`no ${size}x${size} opponent found near your rating${lacking ? ` (${networkAdvice(facts)})` : ''}; post a seek (s) and wait, or challenge someone`)
        return
      }
      const seek = this.node.lobby.seeks().find(s => s.peer.toString() === best.peer && s.terms.size === size)
      const name = this.node.presenceOf(best.peer)?.name ?? best.peer
      if (seek != null) this.takeSeek(seek, name)
      else this.propose(best.peer, { size, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }, 'random', name)
    }, err => {
      this.busy = false
      this.say(`matchmaking failed: ${waitFailure(err, { what: `${size}x${size} opponents`, ms: Date.now() - began }, this.node.networkFacts())}`)
    })
  }

  /** Answers the oldest waiting challenge. */
  answer (accept: boolean): void {
    const c = this.challenges.shift()
    if (c == null) {
      this.say('no challenge is waiting')
      return
    }
    c.answer(accept ? { accept: true } : { decline: 'declined', message: 'not now, thanks' })
    this.say(accept ? `accepted ${c.offer.name}'s challenge: starting the game` : `declined ${c.offer.name}'s challenge`)
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

  /** Back to the lobby after a game. */
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

  private propose (peer: string, terms: GameTerms, color: 'black' | 'white' | 'random', name: string): void {
    if (this.proposing) {
      this.say('a challenge is already out: wait for its answer')
      return
    }
    this.proposing = true
    this.busy = true
    this.say(`challenging ${name}: ${termsText(terms)}… (waiting up to ${duration(PROPOSE_WAIT_MS)} for an answer)`)
    const began = Date.now()
    this.node.propose(peer, { terms, color, name: this.node.name }, { signal: AbortSignal.timeout(PROPOSE_WAIT_MS) })
      .then(() => { this.say(`${name} accepted`) }, err => {
        const text = waitFailure(err, { what: `${name}'s answer to your challenge`, ms: Date.now() - began, peer: name }, this.node.networkFacts())
        // A decline speaks for itself; a failure of the network was rewritten to name the player already.
        this.say(text === (err as Error).message ? `${name}: ${text}` : text)
      })
      .finally(() => { this.proposing = false; this.busy = false; this.changed() })
  }

  /** An incoming challenge: declined at once while playing, otherwise it waits for the player. */
  private async ask (offer: ChallengeOffer, signal: AbortSignal): Promise<Decision> {
    if (this.gameId != null) return { decline: 'busy', message: 'playing a game now' }
    return new Promise<Decision>(resolve => {
      const entry: IncomingChallenge = {
        offer,
        answer: d => { clearTimeout(timer); resolve(d) }
      }
      const drop = (): void => {
        const i = this.challenges.indexOf(entry)
        if (i >= 0) this.challenges.splice(i, 1)
        this.changed()
      }
      const began = Date.now()
      const lapse = (): void => {
        if (!this.challenges.includes(entry)) return
        drop()
        this.say(`${offer.name}'s challenge is no longer open (unanswered after ${duration(Date.now() - began)})`)
      }
      const timer = setTimeout(() => { lapse(); resolve({ decline: 'timeout' }) }, ANSWER_WAIT_MS)
      signal.addEventListener('abort', () => { clearTimeout(timer); lapse(); resolve({ decline: 'timeout' }) }, { once: true })
      this.challenges.push(entry)
      this.say(`${offer.name} challenges you: ${termsText(offer.terms)}: a to accept, d to decline (declined by itself after ${duration(Math.min(ANSWER_WAIT_MS, Math.max(0, offer.expires - Date.now())))})`)
    })
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
    for (const c of this.challenges.splice(0)) c.answer({ decline: 'busy', message: 'a game just started' })
    const { lobby } = this.node
    for (const s of lobby.mySeeks()) lobby.cancelSeek(s.id)
    this.present()
    this.safeDispatch('game', { gameId })
    this.changed()
  }

  /** The player's lobby presence: name, sizes, ratings, idle or playing. */
  private present (): void {
    const playing = this.gameId != null && this.node.games.games.some(s => s.gameId.toString() === this.gameId && s.end == null)
    this.node.lobby.setPresence({ name: this.node.name, sizes: [9, 13, 19], ratings: this.node.lobbyRatings(), status: playing ? 'playing' : 'idle' })
  }

  private changed (): void {
    this.safeDispatch('change', undefined)
  }

  private safeDispatch<K extends keyof ClientEvents> (type: K, detail: ClientEvents[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }
}
