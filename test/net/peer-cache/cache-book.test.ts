import { describe, expect, it } from 'vitest'
import { CacheBook, chooseSample, compareEntries, prune, type CacheEntry } from '../../../src/net/peer-cache/cache-book.js'
import { MAX_AGE, MAX_ENTRIES, MAX_FAILURES } from '../../../src/net/peer-cache/constants.js'
import { day, minute } from '../../../src/units.js'

const now = 1_800_000_000_000
const record = new Uint8Array([1, 2, 3])
const entry = (peer: string, fields: Partial<CacheEntry> = {}): CacheEntry => ({ peer, record, lastWorked: now, failures: 0, p2pgo: true, ...fields })
const peers = (list: CacheEntry[]): string[] => list.map(e => e.peer)

describe('peer cache: order', () => {
  it.each([
    ['a p2pgo peer before one that is not', entry('b', { p2pgo: true, lastWorked: now - day }), entry('a', { p2pgo: false })],
    ['fewer failures first', entry('b', { failures: 0, lastWorked: now - day }), entry('a', { failures: 1 })],
    ['the most recently working first', entry('b', { lastWorked: now - minute }), entry('a', { lastWorked: now - day })],
    ['the peer ID when all else is equal', entry('a'), entry('b')]
  ])('%s', (_what, better, worse) => {
    expect(compareEntries(better, worse)).toBeLessThan(0)
    expect(compareEntries(worse, better)).toBeGreaterThan(0)
  })
})

describe('peer cache: ageing and bounds', () => {
  it('drops peers that have not worked for longer than the maximum age, keeps those just inside it', () => {
    const kept = prune([entry('old', { lastWorked: now - MAX_AGE - 1 }), entry('edge', { lastWorked: now - MAX_AGE }), entry('new')], now)
    expect(peers(kept)).toEqual(['new', 'edge'])
  })

  it('drops times from the future (a damaged file or a clock far off)', () => {
    expect(peers(prune([entry('future', { lastWorked: now + 2 * day }), entry('skewed', { lastWorked: now + minute })], now))).toEqual(['skewed'])
  })

  it('drops peers whose dials failed too many times in a row', () => {
    expect(peers(prune([entry('bad', { failures: MAX_FAILURES }), entry('shaky', { failures: MAX_FAILURES - 1 })], now))).toEqual(['shaky'])
  })

  it('keeps one entry per peer, the most recently working', () => {
    const kept = prune([entry('a', { lastWorked: now - day }), entry('a', { lastWorked: now - minute, p2pgo: false })], now)
    expect(kept).toEqual([entry('a', { lastWorked: now - minute, p2pgo: false })])
  })

  it('keeps at most the bound, the best ones', () => {
    const many = Array.from({ length: MAX_ENTRIES + 50 }, (_, i) => entry(`p${String(i).padStart(4, '0')}`, { lastWorked: now - i * minute }))
    const kept = prune(many, now)
    expect(kept).toHaveLength(MAX_ENTRIES)
    expect(kept[0].peer).toBe('p0000')
    expect(kept.at(-1)?.peer).toBe(`p${String(MAX_ENTRIES - 1).padStart(4, '0')}`)
  })
})

describe('peer cache: the sample dialled at start', () => {
  it('is the best few, p2pgo peers that worked most recently first, failing ones last', () => {
    const all = [
      entry('stale', { lastWorked: now - MAX_AGE - day }),
      entry('other', { p2pgo: false }),
      entry('failing', { failures: 2 }),
      entry('yesterday', { lastWorked: now - day }),
      entry('recent', { lastWorked: now - minute })
    ]
    expect(peers(chooseSample(all, now, 3))).toEqual(['recent', 'yesterday', 'failing'])
    expect(peers(chooseSample(all, now, 10))).toEqual(['recent', 'yesterday', 'failing', 'other'])
  })
})

describe('peer cache: the book', () => {
  it('a peer that worked is cached with no failures; a failure moves it down; repeated failures remove it', () => {
    const book = new CacheBook()
    book.worked('a', record, true, now)
    book.worked('b', record, true, now - minute)
    expect(peers(book.sample(now, 2))).toEqual(['a', 'b'])
    book.failed('a')
    expect(peers(book.sample(now, 2))).toEqual(['b', 'a'])
    for (let i = 1; i < MAX_FAILURES; i++) book.failed('a')
    expect(book.has('a')).toBe(false)
    expect(book.size).toBe(1)
  })

  it('a peer that works again forgets its failures', () => {
    const book = new CacheBook()
    book.worked('a', record, true, now - day)
    book.failed('a')
    book.worked('a', record, true, now)
    expect(book.entries(now)).toEqual([entry('a')])
  })

  it('never holds more than its bound, however many peers work', () => {
    const book = new CacheBook({ maxEntries: 5 })
    for (let i = 0; i < 20; i++) book.worked(`p${String(i).padStart(2, '0')}`, record, true, now - (20 - i) * minute)
    expect(book.size).toBe(5)
    expect(peers(book.entries(now))).toEqual(['p19', 'p18', 'p17', 'p16', 'p15'])
  })

  it('loading ages out stale entries and keeps the bound', () => {
    const book = new CacheBook({ maxEntries: 2 })
    expect(book.load([entry('a'), entry('b', { lastWorked: now - minute }), entry('c', { lastWorked: now - 2 * minute }), entry('old', { lastWorked: now - MAX_AGE - 1 })], now)).toBe(2)
    expect(peers(book.entries(now))).toEqual(['a', 'b'])
  })

  it('ages entries out as time passes', () => {
    const book = new CacheBook()
    book.worked('a', record, true, now)
    expect(book.entries(now + MAX_AGE + 1)).toEqual([])
    expect(book.size).toBe(0)
  })
})
