import { describe, expect, it } from 'vitest'
import { Rating, TrueSkill, quality_1vs1, rate_1vs1 } from 'ts-trueskill'
import { quality1vs1, rate1vs1 } from '../../src/rating/trueskill-graph.js'
import { defaultRatingParams as p } from '../../src/rating/params.js'
import { mulberry32 } from '../../src/prng.js'

// p2pgo's port of ts-trueskill's 1-vs-1 factor graph must give the very same floats: ratings are
// audited by recomputation, and older nodes computed them with ts-trueskill itself (kept as a
// devDependency only for this check).
describe('TrueSkill port (trueskill-graph.ts)', () => {
  const random = mulberry32(22)
  // Ratings as p2pgo stores them: thousandths, mu 0..50, sigma 0.001..8.333.
  const draw = (): { mu: number, sigma: number } => ({
    mu: Math.round(random() * 50_000) / 1000,
    sigma: Math.max(1, Math.round(random() * 8333)) / 1000
  })

  it.each([0, p.jigoProbability, 0.1])('gives bit-identical ratings to ts-trueskill on 3000 random games (draw probability %s)', drawProbability => {
    const env = new TrueSkill(p.mu, p.sigma, p.beta, p.tau, drawProbability)
    for (let i = 0; i < 3000; i++) {
      const a = draw()
      const b = draw()
      // Draws are rated only when a draw is possible, as p2pgo does.
      const drawn = drawProbability > 0 && i % 3 === 0
      let theirs: Array<{ mu: number, sigma: number }> | Error
      try {
        theirs = rate_1vs1(new Rating(a.mu, a.sigma), new Rating(b.mu, b.sigma), drawn, undefined, env)
      } catch (err) {
        theirs = err as Error
      }
      if (theirs instanceof Error) {
        // A floating-point failure in ts-trueskill (a hopeless upset) must fail the port too.
        expect(() => rate1vs1(a, b, drawn, { beta: p.beta, tau: p.tau, drawProbability })).toThrow()
        continue
      }
      const ours = rate1vs1(a, b, drawn, { beta: p.beta, tau: p.tau, drawProbability })
      expect(ours.map(r => [r.mu, r.sigma])).toEqual(theirs.map(r => [r.mu, r.sigma]))
    }
  })

  it('match quality agrees with ts-trueskill\'s matrix computation', () => {
    const env = new TrueSkill(p.mu, p.sigma, p.beta, p.tau, p.jigoProbability)
    for (let i = 0; i < 500; i++) {
      const a = draw()
      const b = draw()
      const theirs = quality_1vs1(new Rating(a.mu, a.sigma), new Rating(b.mu, b.sigma), env)
      expect(quality1vs1(a, b, p.beta)).toBeCloseTo(theirs, 12)
    }
  })
})
