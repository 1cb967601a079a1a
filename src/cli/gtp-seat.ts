// Where `p2pgo gtp` finds its network opponent: a seek, a challenge to one peer, matchmaking, or
// another player's seek. Uses the node's public API only (like the bot); hands the network
// engine (src/gtp/network-engine.ts) a GameLink.
import { peerIdFromString } from '@libp2p/peer-id'
import type { GameLink } from '../gtp/network-engine.js'
import type { P2pgoNode } from '../net/node.js'
import type { GameSession } from '../session/index.js'
import type { GameTerms } from '../wire/game-start.js'
import type { Side } from '../wire/game-messages.js'
import type { LobbySeek } from '../net/lobby/index.js'

/** How an opponent is found. */
export type SeatMode =
  | { readonly kind: 'seek' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'match' }
  | { readonly kind: 'challenge', readonly peer: string }

/** How often the accepting and matching modes look again, in ms. */
const LOOK_MS = 1000
/** A seek or candidate already tried is left alone this long, in ms (it may be busy with someone else). */
const RETRY_MS = 15_000
/** How often a challenge to a peer this node cannot reach yet is tried, and how long apart, in ms. */
const CHALLENGE_TRIES = 10
const CHALLENGE_RETRY_MS = 3000
/** How long one proposal waits for an answer, in ms. */
const PROPOSAL_MS = 60_000

const colorName = (s: Side): 'black' | 'white' => (s === 'B' ? 'black' : 'white')
const sameTerms = (a: GameTerms, b: GameTerms): boolean => a.size === b.size && a.komi === b.komi && a.rules === b.rules && a.handicap === b.handicap && JSON.stringify(a.tc) === JSON.stringify(b.tc)
const sleep = async (ms: number, signal: AbortSignal): Promise<void> => new Promise(resolve => {
  const t = setTimeout(resolve, ms)
  signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, { once: true })
})

/**
 * This player in the lobby: its presence carries the signed peer record others dial it by (a
 * seek alone does not), its board size and ratings, and whether it is in a game.
 */
export function present (node: P2pgoNode, size: number, status: 'idle' | 'playing'): void {
  node.lobby.setPresence({ name: node.name, sizes: [size as 9 | 13 | 19], ratings: node.lobbyRatings(), status })
}

/** The game as the network engine plays it: acts go through the game service; `closed` when the service closes it. */
export function gameLink (node: P2pgoNode, session: GameSession): GameLink {
  const closed = new AbortController()
  const id = session.gameId.toString()
  const onClosed = (e: CustomEvent<{ gameId: { toString: () => string }, result: string, reason: string }>): void => {
    if (e.detail.gameId.toString() !== id) return
    const why = e.detail.reason === 'flag' ? 'a player ran out of time' : e.detail.reason === 'abandoned' ? 'it was left as abandoned' : 'the result was never signed by both players'
    closed.abort(`${why} (${e.detail.result})`)
    node.games.removeEventListener('game:closed', onClosed)
  }
  node.games.addEventListener('game:closed', onClosed)
  return { session, perform: async action => node.games.perform(session.gameId, action), closed: closed.signal }
}

/**
 * Opens games for the network engine in `mode`: resolves once a game on `terms` with the local
 * player as `me` is agreed (an unfinished game in the home is played on first). Refuses offers
 * that do not fit; says every step with `log`.
 */
export function networkSeat (node: P2pgoNode, mode: SeatMode, log: (line: string) => void): (terms: GameTerms, me: Side, signal: AbortSignal) => Promise<GameLink> {
  return async (terms, me, signal) => {
    const running = node.games.games.find(s => !node.games.over(s.gameId))
    if (running != null) {
      present(node, running.start.terms.size, 'playing')
      log(`playing on the unfinished game ${running.gameId.toString()} from the home (you play ${colorName(running.me)})`)
      return gameLink(node, running)
    }
    const color = colorName(me)
    present(node, terms.size, 'idle')
    const stop = new AbortController()
    const any = AbortSignal.any([signal, stop.signal])
    // Whichever way the game is agreed, it shows up as game:started.
    const started = new Promise<GameSession>((resolve, reject) => {
      const onStarted = (e: CustomEvent<{ gameId: { toString: () => string } }>): void => {
        const session = node.games.games.find(s => s.gameId.toString() === e.detail.gameId.toString())
        if (session == null) return
        node.games.removeEventListener('game:started', onStarted)
        resolve(session)
      }
      node.games.addEventListener('game:started', onStarted)
      any.addEventListener('abort', () => { node.games.removeEventListener('game:started', onStarted); reject(new Error('no game was agreed: p2pgo gtp is stopping')) }, { once: true })
    })
    let busy = false
    node.decide = async offer => {
      if (mode.kind !== 'seek' || busy) return { decline: 'busy' }
      if (!sameTerms(offer.terms, terms)) return { decline: 'invalid-terms', message: 'this player plays its seek\'s terms only' }
      if (offer.color !== (me === 'B' ? 'white' : 'black')) return { decline: 'unsupported', message: `this player plays ${color} only` }
      busy = true
      return { accept: true, name: node.name }
    }
    const propose = async (peer: string, offered: GameTerms): Promise<void> => {
      busy = true
      try {
        await node.challenge.propose(peerIdFromString(peer), { terms: offered, color, name: node.name }, { signal: AbortSignal.any([AbortSignal.timeout(PROPOSAL_MS), any]) })
      } finally {
        busy = false
      }
    }
    const tried = new Map<string, number>()
    const fresh = (key: string): boolean => (tried.get(key) ?? 0) < Date.now() - RETRY_MS
    const fits = (s: LobbySeek): boolean => sameTerms(s.terms, terms) && (s.color === 'random' || s.color !== color)
    let seekId: Uint8Array | undefined
    const looking = (async () => {
      switch (mode.kind) {
        case 'seek':
          seekId = node.lobby.postSeek({ terms, color })
          log(`seeking a game as ${color} (lobby and DHT)`)
          await node.matchmaker.seek(terms.size as 9 | 13 | 19).catch(err => { log(`could not announce the seek in the DHT: ${(err as Error).message}`) })
          return
        case 'challenge':
          // A node just started may not know the peer's addresses yet (they come with its lobby
          // presence or from the DHT): a dial that finds none is tried again for a while.
          for (let tries = 1; ; tries++) {
            log(`challenging ${mode.peer}`)
            try {
              await propose(mode.peer, terms)
              return
            } catch (err) {
              if (tries >= CHALLENGE_TRIES || any.aborted || !/no valid addresses|dial/i.test((err as Error).message)) throw err
              log(`could not reach it yet (${(err as Error).message}); trying again`)
              await sleep(CHALLENGE_RETRY_MS, any)
            }
          }
        case 'accept':
          log(`looking for a seek that fits (${color})`)
          while (!any.aborted) {
            const seek = node.lobby.seeks().find(s => fits(s) && fresh(s.peer.toString()))
            if (seek != null) {
              tried.set(seek.peer.toString(), Date.now())
              log(`answering ${seek.peer.toString()}'s seek`)
              try {
                await propose(seek.peer.toString(), seek.terms)
                return
              } catch (err) { log(`it did not answer yes: ${(err as Error).message}`) }
            }
            await sleep(LOOK_MS, any)
          }
          return
        case 'match':
          log('matchmaking: looking for an opponent near your rating')
          while (!any.aborted) {
            for await (const c of node.matchmaker.candidates(terms.size as 9 | 13 | 19, { signal: AbortSignal.any([AbortSignal.timeout(30_000), any]), verify: false })) {
              if (c.score <= 0 || !fresh(c.peer)) continue
              tried.set(c.peer, Date.now())
              log(`matched ${c.peer} (${c.why}); challenging`)
              try {
                await propose(c.peer, terms)
                return
              } catch (err) { log(`it did not answer yes: ${(err as Error).message}`) }
            }
            await sleep(LOOK_MS, any)
          }
      }
    })()
    // A refused challenge is the end of the search; the other ways keep looking until a game starts.
    const failed = looking.then(() => new Promise<never>(() => {}), err => { throw new Error(`${mode.kind === 'challenge' ? `${mode.peer} did not accept` : 'looking for a game failed'}: ${(err as Error).message}`) })
    try {
      const session = await Promise.race([started, failed])
      present(node, terms.size, 'playing')
      return gameLink(node, session)
    } finally {
      stop.abort()
      started.catch(() => {})
      failed.catch(() => {})
      if (seekId != null) node.lobby.cancelSeek(seekId)
      await node.matchmaker.stopSeeking().catch(() => {})
      node.decide = async () => ({ decline: 'busy', message: 'this player is in a game' })
    }
  }
}
