import { describe, expect, it } from 'vitest'
import { sparkline, SPARK_ASCII } from '../../src/tui/sparkline.js'

describe('sparkline', () => {
  it('draws the lowest value as the shortest bar and the highest as the tallest', () => {
    expect(sparkline([0, 7, 1, 2, 3, 4, 5, 6], 20)).toBe('▁█▂▃▄▅▆▇')
    expect(sparkline([10.5, 12.25, 14], 20)).toBe('▁▅█')
  })

  it('keeps the latest values when there are more than the width', () => {
    expect(sparkline([100, 0, 1, 2], 3)).toBe('▁▅█')
  })

  it('draws a flat series in the middle and nothing for no values', () => {
    expect(sparkline([3, 3, 3], 10)).toBe('▄▄▄')
    expect(sparkline([3], 10)).toBe('▄')
    expect(sparkline([], 10)).toBe('')
    expect(sparkline([1, 2], 0)).toBe('')
  })

  it('has an ASCII style', () => {
    expect(sparkline([0, 7], 10, SPARK_ASCII)).toBe('_#')
  })
})
