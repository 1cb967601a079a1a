import { describe, expect, it } from 'vitest'
import { createRatingParams, defaultRatingParams, InvalidRatingParamsError } from '../../src/rating/params.js'
import { drawProbabilityFor, initialRating, matchQuality, rateGame, toFixed } from '../../src/rating/trueskill.js'
import { conservative, formatRating, rankOf, viewOf } from '../../src/rating/display.js'
import { referenceWin } from './reference.js'

const fixed = (mu: number, sigma: number): { mu: number, sigma: number } => toFixed(mu, sigma)

describe('TrueSkill ratings', () => {
  it('reproduces the published reference from default ratings (draw probability 0.10)', () => {
    // TrueSkill's reference numbers are computed with its default draw probability of 10%.
    const params = createRatingParams({ jigoProbability: 0.1 })
    const a = initialRating(params)
    // A whole-number komi makes a draw possible, so the 10% applies.
    expect(rateGame(a, a, 'win', 7, params)).toEqual(fixed(29.396, 7.171))
    expect(rateGame(a, a, 'loss', 7, params)).toEqual(fixed(20.604, 7.171))
    // The initial sigma is stored as 8.333 (thousandths), not 25/3: the draw lands 0.0003 lower.
    const draw = rateGame(a, a, 'draw', 7, params)
    expect(draw.mu).toBe(25000)
    expect(Math.abs(draw.sigma - 6458)).toBeLessThanOrEqual(1)
  })

  it('with a half-point komi a draw is impossible and p2pgo uses draw probability 0', () => {
    expect(drawProbabilityFor(7.5)).toBe(0)
    expect(drawProbabilityFor(7)).toBe(defaultRatingParams.jigoProbability)
  })

  it.each([
    ['newcomers, half-point komi', [25, 25 / 3], [25, 25 / 3], 6.5],
    ['upset, half-point komi', [18, 3], [32, 2.5], 7.5],
    ['favourite wins, whole komi', [30, 4], [22, 6], 7],
    ['veterans, whole komi', [27.2, 1.5], [26.9, 1.4], 0]
  ] as const)('matches an independent closed-form computation: %s', (_name, w, l, komi) => {
    const p = defaultRatingParams
    const ref = referenceWin([w[0], w[1]], [l[0], l[1]], { beta: p.beta, tau: p.tau, drawProbability: drawProbabilityFor(komi) })
    const winner = rateGame(fixed(w[0], w[1]), fixed(l[0], l[1]), 'win', komi)
    const loser = rateGame(fixed(l[0], l[1]), fixed(w[0], w[1]), 'loss', komi)
    // Inputs are rounded to thousandths first, so compare at that precision.
    expect(Math.abs(winner.mu - ref.winner[0] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(winner.sigma - ref.winner[1] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(loser.mu - ref.loser[0] * 1000)).toBeLessThanOrEqual(2)
    expect(Math.abs(loser.sigma - ref.loser[1] * 1000)).toBeLessThanOrEqual(2)
  })

  it('is deterministic: the same inputs give the same integers', () => {
    const a = fixed(23.456, 5.432)
    const b = fixed(28.1, 3.3)
    expect(rateGame(a, b, 'win', 6.5)).toEqual(rateGame(a, b, 'win', 6.5))
  })

  it('match quality is highest for equal, certain ratings', () => {
    expect(matchQuality(fixed(25, 1), fixed(25, 1))).toBeGreaterThan(matchQuality(fixed(25, 1), fixed(30, 1)))
    expect(matchQuality(fixed(25, 1), fixed(25, 1))).toBeGreaterThan(matchQuality(fixed(25, 8), fixed(25, 8)))
  })

  it('validates its parameters', () => {
    expect(() => createRatingParams({ beta: 0 })).toThrow(InvalidRatingParamsError)
    expect(() => createRatingParams({ jigoProbability: 1 })).toThrow(/jigoProbability/)
    expect(() => createRatingParams({ sigma: Number.NaN })).toThrow(/finite/)
  })
})

describe('what players see', () => {
  it('conservative rating, provisional mark and rank', () => {
    const newcomer = initialRating()
    expect(conservative(newcomer)).toBeCloseTo(0, 2)
    expect(viewOf(newcomer)).toMatchObject({ provisional: true, rank: '30k' })
    expect(viewOf(fixed(30, 2))).toMatchObject({ conservative: 24, provisional: false, rank: '11k' })
    expect(formatRating(fixed(30, 2))).toBe('24.0 ±2.0 (11k)')
  })

  it.each([[-5, '30k'], [0, '30k'], [1.25, '29k'], [36.2, '2k'], [36.25, '1k'], [37.5, '1d'], [42.5, '5d'], [60, '9d']])('rank of %d is %s', (c, rank) => {
    expect(rankOf(c)).toBe(rank)
  })

  it('a player stops being provisional after 4 games against established players, 6 between newcomers', () => {
    let me = initialRating()
    let games = 0
    for (; viewOf(me).provisional; games++) me = rateGame(me, fixed(25, 2), games % 2 === 0 ? 'win' : 'loss', 6.5)
    expect(games).toBe(4)
    let a = initialRating()
    let b = initialRating()
    for (games = 0; viewOf(a).provisional; games++) {
      const aWins = games % 2 === 0
      ;[a, b] = [rateGame(a, b, aWins ? 'win' : 'loss', 6.5), rateGame(b, a, aWins ? 'loss' : 'win', 6.5)]
    }
    expect(games).toBe(6)
  })
})
