// Where a node finds what it can serve about a game to a watcher (protocols/watch.md, the stream):
// a game it plays (its session), a game it played (its store), a game it watches. Each gives the
// signed start record, the acts after a point in the order they were applied, and new acts as
// they come.
import { encodeGameMessage, type Act, type Side } from '../../wire/game-messages.js'
import { encodeStart } from '../../wire/game-start.js'
import { causalOrder } from '../../session/causal-order.js'
import { isRedacted } from '../../session/transcript.js'
import type { GameSession } from '../../session/index.js'
import type { WatchedGame } from '../../session/watched-game.js'
import type { StoredGame } from '../game/game-store.js'

/** What a node can tell a watcher about one game. */
export interface GameSource {
  /** The signed start record as the players signed it. */
  readonly start: Uint8Array
  /** Who serves it: a player has two seed slots, a watcher one. */
  readonly role: 'player' | 'watcher'
  /** The acts after `have`, in the order they were applied, as act messages. */
  actsAfter: (have: Readonly<Record<Side, number>>) => Uint8Array[]
  /** Both players signed the result: nothing more will come. */
  finished: () => boolean
  /** Calls `listener` with each act applied from now on; returns the function that stops it (absent: the game is over). */
  follow?: (listener: (act: Uint8Array) => void) => () => void
}

/** A game this node plays, as its session holds it. */
export function sessionSource (session: GameSession): GameSource {
  const ended = (): boolean => session.results.B != null && session.results.W != null
  return {
    start: encodeStart(session.start),
    role: 'player',
    actsAfter: have => inOrder(session.acts, have),
    finished: ended,
    follow: listener => {
      const onAct = (e: CustomEvent<{ act: Act }>): void => { listener(encodeAct(e.detail.act)) }
      session.addEventListener('act', onAct)
      return () => { session.removeEventListener('act', onAct) }
    }
  }
}

/** A game this node played and keeps in its store (finished, or closed without its opponent). */
export function storedSource (stored: StoredGame): GameSource {
  const done = stored.meta.finishedAt != null
  return {
    start: encodeStart(stored.start),
    role: 'player',
    actsAfter: have => inOrder(stored.acts, have),
    finished: () => done
  }
}

/** A game this node watches. */
export function watchedSource (game: WatchedGame): GameSource {
  return {
    start: encodeStart(game.start),
    role: 'watcher',
    actsAfter: have => game.actsAfter(have).map(a => a.encoded),
    finished: () => game.finished,
    follow: listener => {
      const onAct = (e: CustomEvent<{ act: Act }>): void => { listener(game.encodedOf(e.detail.act)) }
      game.addEventListener('act', onAct)
      return () => { game.removeEventListener('act', onAct) }
    }
  }
}

/** Both chains' acts after `have`, in an order in which they apply (each only after the acts its author had seen). */
function inOrder (chains: Readonly<Record<Side, readonly Act[]>>, have: Readonly<Record<Side, number>>): Uint8Array[] {
  const { order } = causalOrder(chains, { B: 0, W: 0 })
  const out: Uint8Array[] = []
  for (const { entry } of order) {
    if (isRedacted(entry) || entry.n <= have[entry.by]) continue
    out.push(encodeAct(entry))
  }
  return out
}

function encodeAct (act: Act): Uint8Array {
  return encodeGameMessage({ t: 'act', ...act })
}
