import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { authorSide, startRecordOf } from '../../../src/net/challenge/start-record.js'
import { terms9 } from './nodes.js'

const author = Uint8Array.of(0x00, 0x24, 1, 2, 3)
const accepter = Uint8Array.of(0x00, 0x24, 4, 5, 6)
const nonces = Array.from({ length: 64 }, (_, i) => new Uint8Array(16).fill(i))

describe('colour resolution and the start record', () => {
  it('black and white are as asked, whatever the nonce', () => {
    for (const nonce of nonces) {
      expect(authorSide('black', nonce, author, accepter)).toBe('B')
      expect(authorSide('white', nonce, author, accepter)).toBe('W')
    }
  })

  it('random is the low bit of sha-256(nonce ‖ author ‖ accepter), and both colours occur', () => {
    const sides = nonces.map(nonce => {
      const digest = createHash('sha256').update(nonce).update(author).update(accepter).digest()
      const side = authorSide('random', nonce, author, accepter)
      expect(side).toBe((digest[31] & 1) === 1 ? 'B' : 'W')
      return side
    })
    expect(new Set(sides)).toEqual(new Set(['B', 'W']))
  })

  it('random depends on who is the author: the roles are not interchangeable', () => {
    const differs = nonces.some(n => authorSide('random', n, author, accepter) !== authorSide('random', n, accepter, author))
    expect(differs).toBe(true)
  })

  it('the record puts each peer and name on the side the colour gives them', () => {
    const proposal = { id: nonces[1], terms: terms9, color: 'white' as const, name: 'Ann', expires: 2 }
    const { record, authorSide: side } = startRecordOf(proposal, { author, accepter, accepterName: 'Bob', created: 1 })
    expect(side).toBe('W')
    expect(record).toEqual({ terms: terms9, black: accepter, white: author, nonce: nonces[1], created: 1, names: { B: 'Bob', W: 'Ann' } })
  })

  it('ratings: each claim on its player\'s side, and only when both players made one', () => {
    const ann = { mu: 29_396, sigma: 7171 }
    const bob = { mu: 25_000, sigma: 8333 }
    const white = { id: nonces[1], terms: terms9, color: 'white' as const, name: 'Ann', expires: 2, rating: ann }
    const parties = { author, accepter, accepterName: 'Bob', created: 1 }
    expect(startRecordOf(white, { ...parties, accepterRating: bob }).record.ratings).toEqual({ B: bob, W: ann })
    expect(startRecordOf({ ...white, color: 'black' }, { ...parties, accepterRating: bob }).record.ratings).toEqual({ B: ann, W: bob })
    const { rating: _r, ...unrated } = white
    expect(Object.hasOwn(startRecordOf(white, parties).record, 'ratings')).toBe(false)
    expect(Object.hasOwn(startRecordOf(unrated, { ...parties, accepterRating: bob }).record, 'ratings')).toBe(false)
  })
})
