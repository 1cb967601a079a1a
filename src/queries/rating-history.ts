// `p2pgo rating --history` and the rating screen's sparkline: this node's rating history, rebuilt
// from the finished games it holds (each one's co-signed result, signatures checked) by
// src/rating/history.ts. Reads the game store only: the same answer from a running node (over
// its control socket) and from a home opened offline.
import { cosignedResultOf } from '../net/rating/stored-result.js'
import { verifyCosignedResult } from '../rating/cosigned-result.js'
import { busiestSize, historyJson, ratingHistory, type FinishedResult, type HistoryJson, type RatingHistory } from '../rating/history.js'
import { isRatedSize } from '../rating/rating-book.js'
import type { GameStore } from '../net/game/game-store.js'
import type { P2pgoNode } from '../net/node.js'

/** Which size's history to give; the one with most rated games when absent. */
export interface RatingHistoryQuery {
  readonly size?: number
}

/** The co-signed results of every finished game in the store whose signatures hold. */
export async function finishedResults (store: GameStore): Promise<FinishedResult[]> {
  const out: FinishedResult[] = []
  for (const id of await store.ids()) {
    const stored = await store.get(id).catch(() => undefined)
    if (stored?.meta.finishedAt == null) continue
    const result = cosignedResultOf(stored)
    if (result == null) continue
    // A result whose signatures do not hold never changed the rating: it is not part of the history.
    if (!(await verifyCosignedResult(result).then(() => true, () => false))) continue
    out.push({ result, at: stored.meta.finishedAt, game: id.toString() })
  }
  return out
}

/** The player's (`me`, peer ID multihash bytes) history on every rated size. */
export async function ratingHistoryOf (store: GameStore, me: Uint8Array): Promise<RatingHistory> {
  return ratingHistory(await finishedResults(store), me)
}

/** A running node's own rating history (the screen asks this, so it need not know peer IDs' bytes). */
export async function ownRatingHistory (node: P2pgoNode): Promise<RatingHistory> {
  return ratingHistoryOf(node.games.storage, node.libp2p.peerId.toMultihash().bytes)
}

/** One size's history as `p2pgo rating --history --json` prints it. */
export async function ratingHistoryAnswer (store: GameStore, me: Uint8Array, q: RatingHistoryQuery = {}): Promise<HistoryJson> {
  const history = await ratingHistoryOf(store, me)
  const size = q.size != null && isRatedSize(q.size) ? q.size : busiestSize(history)
  return historyJson(history, size)
}
