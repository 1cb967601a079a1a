import { describe, expect, it } from 'vitest'
import { parseTypedMove } from '../../src/tui/typed-move.js'

describe('parseTypedMove', () => {
  it('reads points in either case, and pass and resign', () => {
    expect(parseTypedMove('D4', 19)).toEqual({ kind: 'play', vertex: { x: 3, y: 15 } })
    expect(parseTypedMove(' j9 ', 9)).toEqual({ kind: 'play', vertex: { x: 8, y: 0 } })
    expect(parseTypedMove('T19', 19)).toEqual({ kind: 'play', vertex: { x: 18, y: 0 } })
    expect(parseTypedMove('PASS', 9)).toEqual({ kind: 'pass' })
    expect(parseTypedMove('p', 9)).toEqual({ kind: 'pass' })
    expect(parseTypedMove('resign', 9)).toEqual({ kind: 'resign' })
  })

  it('says in words what is wrong', () => {
    expect(parseTypedMove('I5', 19)).toEqual({ kind: 'invalid', message: 'Go boards have no column I: the letters run A to H, then J' })
    expect(parseTypedMove('K5', 9)).toEqual({ kind: 'invalid', message: '"K5" is not a point on this 9x9 board: columns A to J (no I), rows 1 to 9' })
    expect(parseTypedMove('D20', 19)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('columns A to T (no I), rows 1 to 19') })
    expect(parseTypedMove('  ', 9)).toEqual({ kind: 'invalid', message: 'type a point such as D4, or pass' })
    expect(parseTypedMove('D4 E5', 19).kind).toBe('invalid')
  })
})
