// Real finished games for the review and rating-history tests: two keys agree a start record
// (rated when ratings are given), play through two GameSessions (signed acts, a capture, then a
// resignation or a count), and end with both players' result acts. They can be written into a
// p2pgo home as the game service stores them, so the real binary reads them back.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { GameSession } from '../../src/session/index.js'
import { GameStore, type StoredGame } from '../../src/net/game/game-store.js'
import { cosignedResultOf } from '../../src/net/rating/stored-result.js'
import { gameIdOf, startToSign, type GameTerms, type SignedStart } from '../../src/wire/game-start.js'
import { sign } from '../../src/wire/signing.js'
import { START_DOMAIN } from '../../src/wire/game-messages.js'
import { settle } from '../helpers/sessions.js'
import type { CosignedResult } from '../../src/rating/cosigned-result.js'
import type { FixedRating } from '../../src/rating/trueskill.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

export interface PlayedGame {
  /** The game as `me` stores it. */
  readonly stored: StoredGame
  readonly result: CosignedResult
}

export interface PlayOptions {
  /** The home's player; its opponent is a fresh key unless given. */
  readonly me: PrivateKey
  readonly opponent?: PrivateKey
  readonly meBlack?: boolean
  /** Who gives up: 'me' resigns, 'opponent' resigns, 'count' plays on to a count (Black wins it). */
  readonly end: 'me' | 'opponent' | 'count'
  /** Both ratings as the start record states them; an unrated game without. */
  readonly ratings?: { readonly me: FixedRating, readonly opponent: FixedRating }
  readonly terms?: Partial<GameTerms>
  /** When the game was agreed, and when both signatures were in (ms since the epoch). */
  readonly created?: number
  readonly finishedAt?: number
}

/**
 * Plays one game: B B9, W A9, B A8 takes A9 (Black has one capture from move 3),
 * W E5, and then the chosen end. Moves: 4, then 2 passes when counted (W's E5 agreed dead).
 */
export async function playGame (o: PlayOptions): Promise<PlayedGame> {
  const opponent = o.opponent ?? await generateKeyPair('Ed25519')
  const meBlack = o.meBlack ?? true
  const keys = { B: meBlack ? o.me : opponent, W: meBlack ? opponent : o.me }
  const created = o.created ?? 1_700_000_000_000
  const record = {
    terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' }, ...o.terms } as GameTerms,
    black: peerIdFromPrivateKey(keys.B).toMultihash().bytes,
    white: peerIdFromPrivateKey(keys.W).toMultihash().bytes,
    nonce: crypto.getRandomValues(new Uint8Array(16)),
    created,
    names: { B: meBlack ? 'me' : 'rival', W: meBlack ? 'rival' : 'me' },
    ...(o.ratings != null ? { ratings: { B: meBlack ? o.ratings.me : o.ratings.opponent, W: meBlack ? o.ratings.opponent : o.ratings.me } } : {})
  }
  const body = startToSign(record)
  const start: SignedStart = { ...record, sigs: { B: (await sign(keys.B, START_DOMAIN, body)).sig, W: (await sign(keys.W, START_DOMAIN, body)).sig } }
  const gameId = gameIdOf(record)
  const publicKeys = { B: keys.B.publicKey, W: keys.W.publicKey }
  const now = (): number => created
  const black = new GameSession({ start, gameId, me: 'B', key: keys.B, keys: publicKeys, now })
  const white = new GameSession({ start, gameId, me: 'W', key: keys.W, keys: publicKeys, now })
  await black.move({ x: 1, y: 0 }); await settle(black, white)
  await white.move({ x: 0, y: 0 }); await settle(black, white)
  await black.move({ x: 0, y: 1 }); await settle(black, white)
  await white.move({ x: 4, y: 4 }); await settle(black, white)
  const mine = meBlack ? black : white
  const theirs = meBlack ? white : black
  if (o.end === 'count') {
    await black.pass(); await settle(black, white)
    await white.pass(); await settle(black, white)
    await black.mark([{ x: 4, y: 4 }]); await settle(black, white)
    await white.acceptScore(); await black.acceptScore()
  } else {
    await (o.end === 'me' ? mine : theirs).resign()
  }
  await settle(black, white)
  if (mine.end == null || mine.results.B == null || mine.results.W == null) throw new Error('the game did not end co-signed')
  const stored: StoredGame = {
    id: gameId,
    start,
    meta: { me: meBlack ? 'B' : 'W', opponent: peerIdFromPrivateKey(opponent).toString(), acked: mine.acts[meBlack ? 'B' : 'W'].length, result: mine.end.result, finishedAt: o.finishedAt ?? created + 60_000 },
    acts: { B: [...mine.acts.B], W: [...mine.acts.W] }
  }
  const result = cosignedResultOf(stored)
  if (result == null) throw new Error('no co-signed result')
  return { stored, result }
}

/** Writes games into a datastore as the game service keeps them. */
export async function storeGames (datastore: Datastore, games: readonly PlayedGame[]): Promise<void> {
  const store = new GameStore(datastore)
  for (const { stored } of games) {
    await store.create(stored.id, stored.start, stored.meta)
    for (const act of [...stored.acts.B, ...stored.acts.W]) await store.putAct(stored.id, act)
    await store.saveMeta(stored.id, stored.meta)
  }
}

/**
 * Fills a p2pgo home (created if need be) with finished games of its own player: the three
 * rated 9x9 games (a win, a loss, a counted win, each starting from the rating the last one
 * left), one rated 13x13 win and one unrated 9x9 game. Returns the games in that order.
 */
export async function homeWithGames (dir: string, t0 = 1_750_000_000_000): Promise<PlayedGame[]> {
  const { openOfflineHome } = await import('../../src/home/offline-home.js')
  const { initialRating, rateGame } = await import('../../src/rating/trueskill.js')
  const offline = await openOfflineHome(dir)
  try {
    const me = offline.key
    const fresh = initialRating()
    const after1 = rateGame(fresh, fresh, 'win', 7.5)
    const after2 = rateGame(after1, fresh, 'loss', 7.5)
    const hour = 3_600_000
    const games = [
      await playGame({ me, end: 'opponent', ratings: { me: fresh, opponent: fresh }, created: t0, finishedAt: t0 + hour }),
      await playGame({ me, end: 'me', meBlack: false, ratings: { me: after1, opponent: fresh }, created: t0 + 2 * hour, finishedAt: t0 + 3 * hour }),
      await playGame({ me, end: 'count', ratings: { me: after2, opponent: fresh }, created: t0 + 4 * hour, finishedAt: t0 + 5 * hour }),
      await playGame({ me, end: 'opponent', ratings: { me: fresh, opponent: fresh }, terms: { size: 13 }, created: t0 + 6 * hour, finishedAt: t0 + 7 * hour }),
      await playGame({ me, end: 'opponent', created: t0 + 8 * hour, finishedAt: t0 + 9 * hour })
    ]
    await storeGames(offline.datastore, games)
    return games
  } finally {
    await offline.close()
  }
}
