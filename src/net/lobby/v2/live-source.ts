// Where the lobby learns which games this node plays, for its live entries: the games service's
// sessions in progress (their start records and turns played) and the watch service's count of
// watchers. The composition (node-services.ts) passes it in; the lobby reads it when it publishes.
import { LOBBY_SIZES } from '../constants.js'
import type { LiveFacts, LiveSource } from './live-publisher.js'
import type { LobbyRating, LobbySize } from '../messages.js'
import type { RatingClaim } from '../../../wire/game-start.js'
import type { GameService } from '../../game/game-service.js'
import type { CID } from 'multiformats/cid'

/** A start record's claim (thousandths) as the lobby writes ratings. */
const rating = (c: RatingClaim): LobbyRating => ({ mu: c.mu / 1000, sigma: c.sigma / 1000 })

/** Game events after which the games in progress may be others. */
const CHANGES = ['game:started', 'game:ended', 'game:closed'] as const

/** The games in progress of `games()` (read when called), with `watchers(gameId)` counted now. */
export function liveSourceOf (games: () => GameService, watchers: (gameId: CID) => number): LiveSource {
  return {
    games: () => {
      const out: LiveFacts[] = []
      for (const s of games().games) {
        const size = s.start.terms.size as LobbySize
        if (s.end != null || !LOBBY_SIZES.includes(size)) continue
        const r = s.start.ratings
        out.push({
          game: s.gameId,
          size,
          black: s.start.black,
          white: s.start.white,
          names: s.start.names,
          ...(r != null ? { ratings: { B: rating(r.B), W: rating(r.W) } } : {}),
          ply: s.turnActs.length,
          watchers: watchers(s.gameId)
        })
      }
      return out
    },
    onChange: listener => {
      const service = games()
      const call = (): void => { listener() }
      for (const type of CHANGES) service.addEventListener(type, call)
      return () => { for (const type of CHANGES) service.removeEventListener(type, call) }
    }
  }
}
