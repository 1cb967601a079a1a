import { describe, expect, it } from 'vitest'
import { ratingChangeText, resultText } from '../../src/tui/result-text.js'
import { rateGame } from '../../src/rating/trueskill.js'

describe('result text', () => {
  it.each([
    ['B+7.5', 'Black wins by 7.5 points'], ['W+1', 'White wins by 1 point'], ['W+R', 'White wins by resignation'],
    ['B+T', 'Black wins on time'], ['W+F', 'White wins by forfeit'], ['0', 'Draw'], ['Void', 'No result']
  ])('%s reads "%s"', (result, text) => { expect(resultText(result)).toBe(text) })

  it('shows the rating change of a real TrueSkill update', () => {
    const start = { mu: 25000, sigma: 8333 }
    const after = rateGame(start, start, 'win', 7.5)
    expect(ratingChangeText(start, after)).toMatch(/^0\.0 \(30k\) → \d+\.\d \(\d+k, provisional\), \+\d+\.\d$/)
    expect(ratingChangeText({ mu: 30000, sigma: 2000 }, { mu: 29000, sigma: 2000 })).toBe('24.0 (11k) → 23.0 (12k), −1.0')
  })

  it('says why a loss can raise the rating: the estimate fell, its uncertainty fell more', () => {
    const start = { mu: 25000, sigma: 8333 }
    const lost = rateGame(start, { mu: 35000, sigma: 3000 }, 'loss', 7.5)
    expect(lost.mu).toBeLessThan(start.mu)
    expect(ratingChangeText(start, lost)).toMatch(/^0\.0 \(30k\) → \d+\.\d .*, \+\d+\.\d \(your estimated strength fell, but it is surer now\)$/)
  })
})
