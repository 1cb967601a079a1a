// The terminal client's challenges, both ways: the ones other players send, waiting for the
// player's answer (declined by themselves after a while, or at once during a game), and the ones
// the player sends (a challenge, a taken seek, quick match), one at a time. It talks to the
// player through `say` and asks for a draw through `changed`; the screens read `challenges`.
import { termsText } from './presets.js'
import { duration, networkAdvice, waitFailure } from '../queries/query-text.js'
import { lobbyOnlyWithoutDht } from '../queries/rating-queries.js'
import type { P2pgoNode } from '../net/node.js'
import type { ChallengeOffer, Decision } from '../net/challenge/index.js'
import type { LobbySeek } from '../net/lobby/index.js'
import type { GameTerms } from '../wire/game-start.js'
import type { LobbySize } from './lobby-entries.js'

/** A challenge waiting for the player's answer. */
export interface IncomingChallenge {
  readonly offer: ChallengeOffer
  readonly answer: (decision: Decision) => void
}

/** How long a challenge may wait for the player; the proposer's offer lapses about then anyway. */
const ANSWER_WAIT_MS = 60_000
/** How long a challenge this player sends waits for the answer: the other side's ANSWER_WAIT_MS and the network. */
const PROPOSE_WAIT_MS = ANSWER_WAIT_MS + 15_000
/** How long quick match looks for candidates (the DHT and the lobby). */
const MATCH_WAIT_MS = 30_000

/** What the desk needs of the client around it. */
export interface DeskHost {
  readonly node: P2pgoNode
  /** Tells the player something on the message line (and draws). */
  say: (text: string) => void
  /** Something shown changed: draw again. */
  changed: () => void
  /** Whether a game is on screen (a challenge is then declined at once). */
  playing: () => boolean
}

export class ChallengeDesk {
  /** Challenges waiting for an answer, oldest first. */
  readonly challenges: IncomingChallenge[] = []
  /** A proposal or a match search under way. */
  busy = false
  private proposing = false
  private readonly host: DeskHost

  constructor (host: DeskHost) {
    this.host = host
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
  quickMatch (size: LobbySize): void {
    if (this.busy) return
    const { node, say } = this.host
    this.busy = true
    say(`looking for an opponent near your ${size}x${size} rating (up to ${duration(MATCH_WAIT_MS)})…`)
    const began = Date.now()
    // The first fit candidate is challenged at once (a seek in the lobby view is one), not the best after a walk over every bucket.
    node.matchmaker.first(size, { signal: lobbyOnlyWithoutDht(node, AbortSignal.timeout(MATCH_WAIT_MS)) }).then(best => {
      this.busy = false
      if (best == null) {
        const facts = node.networkFacts()
        const lacking = facts.connections === 0 || facts.dhtPeers === 0
        say(`no ${size}x${size} opponent found near your rating${lacking ? ` (${networkAdvice(facts)})` : ''}; post a seek (s) and wait, or challenge someone`)
        return
      }
      const seek = node.lobby.seeks().find(s => s.peer.toString() === best.peer && s.terms.size === size)
      const name = node.presenceOf(best.peer)?.name ?? best.peer
      if (seek != null) this.takeSeek(seek, name)
      else this.propose(best.peer, { size, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }, 'random', name)
    }, err => {
      this.busy = false
      say(`matchmaking failed: ${waitFailure(err, { what: `${size}x${size} opponents`, ms: Date.now() - began }, node.networkFacts())}`)
    })
  }

  /** Answers the oldest waiting challenge. */
  answer (accept: boolean): void {
    const c = this.challenges.shift()
    if (c == null) {
      this.host.say('no challenge is waiting')
      return
    }
    c.answer(accept ? { accept: true } : { decline: 'declined', message: 'not now, thanks' })
    this.host.say(accept ? `accepted ${c.offer.name}'s challenge: starting the game` : `declined ${c.offer.name}'s challenge`)
  }

  /** Declines every waiting challenge (a game started, or the client stops). */
  declineAll (decision: Decision): void {
    for (const c of this.challenges.splice(0)) c.answer(decision)
  }

  /** An incoming challenge: declined at once while playing, otherwise it waits for the player. */
  async ask (offer: ChallengeOffer, signal: AbortSignal): Promise<Decision> {
    if (this.host.playing()) return { decline: 'busy', message: 'playing a game now' }
    const { say, changed } = this.host
    return new Promise<Decision>(resolve => {
      const entry: IncomingChallenge = {
        offer,
        answer: d => { clearTimeout(timer); resolve(d) }
      }
      const drop = (): void => {
        const i = this.challenges.indexOf(entry)
        if (i >= 0) this.challenges.splice(i, 1)
        changed()
      }
      const began = Date.now()
      const lapse = (): void => {
        if (!this.challenges.includes(entry)) return
        drop()
        say(`${offer.name}'s challenge is no longer open (unanswered after ${duration(Date.now() - began)})`)
      }
      const timer = setTimeout(() => { lapse(); resolve({ decline: 'timeout' }) }, ANSWER_WAIT_MS)
      signal.addEventListener('abort', () => { clearTimeout(timer); lapse(); resolve({ decline: 'timeout' }) }, { once: true })
      this.challenges.push(entry)
      say(`${offer.name} challenges you: ${termsText(offer.terms)}: a to accept, d to decline (declined by itself after ${duration(Math.min(ANSWER_WAIT_MS, Math.max(0, offer.expires - Date.now())))})`)
    })
  }

  private propose (peer: string, terms: GameTerms, color: 'black' | 'white' | 'random', name: string): void {
    const { node, say, changed } = this.host
    if (this.proposing) {
      say('a challenge is already out: wait for its answer')
      return
    }
    this.proposing = true
    this.busy = true
    say(`challenging ${name}: ${termsText(terms)}… (waiting up to ${duration(PROPOSE_WAIT_MS)} for an answer)`)
    const began = Date.now()
    node.propose(peer, { terms, color, name: node.name }, { signal: AbortSignal.timeout(PROPOSE_WAIT_MS) })
      .then(() => { say(`${name} accepted`) }, err => {
        const text = waitFailure(err, { what: `${name}'s answer to your challenge`, ms: Date.now() - began, peer: name }, node.networkFacts())
        // A decline speaks for itself; a failure of the network was rewritten to name the player already.
        say(text === (err as Error).message ? `${name}: ${text}` : text)
      })
      .finally(() => { this.proposing = false; this.busy = false; changed() })
  }
}
