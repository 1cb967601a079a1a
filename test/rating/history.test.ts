import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { busiestSize, historyJson, ratingHistory, type FinishedResult } from '../../src/rating/history.js'
import { initialRating, rateGame } from '../../src/rating/trueskill.js'
import { viewOf } from '../../src/rating/display.js'
import { playGame, type PlayedGame } from './played-games.js'

const me = await generateKeyPair('Ed25519')
const mine = peerIdFromPrivateKey(me).toMultihash().bytes
const fresh = initialRating()
const day = 86_400_000
const t0 = 1_750_000_000_000

const finished = (g: PlayedGame): FinishedResult => ({ result: g.result, at: g.stored.meta.finishedAt as number, game: g.stored.id.toString() })

// Three rated 9x9 games (a win, a loss, a counted win) chained from a newcomer's rating, one
// 13x13 win, an unrated game, and one that started from a rating that was not current (a game
// agreed while another ran): those two leave no point.
const after1 = rateGame(fresh, fresh, 'win', 7.5)
const after2 = rateGame(after1, fresh, 'loss', 7.5)
const after3 = rateGame(after2, fresh, 'win', 7.5)
const games = [
  await playGame({ me, end: 'opponent', ratings: { me: fresh, opponent: fresh }, finishedAt: t0 }),
  await playGame({ me, end: 'me', meBlack: false, ratings: { me: after1, opponent: fresh }, finishedAt: t0 + day }),
  await playGame({ me, end: 'opponent', ratings: { me: fresh, opponent: fresh }, terms: { size: 13 }, finishedAt: t0 + 2 * day }),
  await playGame({ me, end: 'count', ratings: { me: after2, opponent: fresh }, finishedAt: t0 + 3 * day }),
  await playGame({ me, end: 'opponent', finishedAt: t0 + 4 * day }),
  await playGame({ me, end: 'opponent', ratings: { me: after1, opponent: fresh }, finishedAt: t0 + 5 * day })
]

describe('ratingHistory', () => {
  it('gives the rating after each rated game, per size, in the order the games finished', () => {
    // Handed over in another order: the history sorts by finishing time.
    const history = ratingHistory([...games].reverse().map(finished), mine)
    expect(history[9]?.map(p => p.rating)).toEqual([after1, after2, after3])
    expect(history[9]?.map(p => p.game)).toEqual([games[0], games[1], games[3]].map(g => g.stored.id.toString()))
    expect(history[9]?.map(p => p.at)).toEqual([t0, t0 + day, t0 + 3 * day])
    expect(history[13]?.map(p => p.rating)).toEqual([rateGame(fresh, fresh, 'win', 7.5)])
    expect(history[19]).toBeUndefined()
    expect(busiestSize(history)).toBe(9)
  })

  it('has no points for a player who played none of the games', async () => {
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    const history = ratingHistory(games.map(finished), stranger)
    expect(history).toEqual({})
    expect(busiestSize(history)).toBe(9)
  })

  it('picks the size with most rated games, the smallest of a tie', () => {
    const point = { at: 0, rating: fresh, game: 'g' }
    expect(busiestSize({ 13: [point, point], 19: [point] })).toBe(13)
    expect(busiestSize({ 19: [point], 13: [point] })).toBe(13)
  })
})

describe('historyJson', () => {
  it('prints each point as the contract names it', () => {
    const json = historyJson(ratingHistory(games.map(finished), mine), 9)
    expect(json.size).toBe(9)
    expect(json.points).toHaveLength(3)
    const v = viewOf(after2)
    expect(json.points[1]).toEqual({ at: new Date(t0 + day).toISOString(), mu: v.mu, sigma: v.sigma, conservative: v.conservative, game: games[1].stored.id.toString() })
    expect(Object.keys(json.points[0]).sort()).toEqual(['at', 'conservative', 'game', 'mu', 'sigma'])
  })

  it('is empty for a size with no rated game', () => {
    expect(historyJson(ratingHistory(games.map(finished), mine), 19)).toEqual({ size: 19, points: [] })
  })
})
