import { describe, expect, it } from 'vitest'
import { exportRecordOf } from '../../src/wire/export-record.js'
import { rankText } from '../../src/rating/display.js'
import { cidOf } from '../../src/wire/cid.js'
import type { StartRecord } from '../../src/wire/game-start.js'

const start = (created: number): StartRecord => ({
  terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } },
  black: new Uint8Array([0, 2, 1, 1]),
  white: new Uint8Array([0, 2, 2, 2]),
  nonce: new Uint8Array(16),
  created,
  names: { B: 'Black', W: 'White' }
})
const played = { gameId: cidOf({ game: 1 }), handicapStones: [], turns: [] }

describe('exportRecordOf', () => {
  it('dates the record by the day the game was agreed', () => {
    expect(exportRecordOf(start(1_700_000_000_000), played).date).toBe('2023-11-14')
  })

  // Found by the fuzzer (test/fuzz): a start record may carry any safe integer as `created` (the
  // peer that accepted chose it); past 8.64e15 ms a JS Date cannot hold it and the export threw
  // RangeError ("Invalid time value"), so the game could not be exported at all.
  it.each([Number.MAX_SAFE_INTEGER, 8.64e15 + 1])('a game agreed at %d ms exports without a date', created => {
    const record = exportRecordOf(start(created), played)
    expect(record.date).toBeUndefined()
    expect(record.players.black.name).toBe('Black')
  })
})

describe('exportRecordOf metadata', () => {
  it('names the game by its ID (GN), the place p2pgo (PC), and no ranks in an unrated game', () => {
    const record = exportRecordOf(start(1_700_000_000_000), played)
    expect(record.name).toBe(played.gameId.toString())
    expect(record.place).toBe('p2pgo')
    expect(record.players).toEqual({ black: { name: 'Black' }, white: { name: 'White' } })
  })

  it('gives each player of a rated game the p2pgo rank of the rating the start record states ("?" while provisional)', () => {
    // 40/1: conservative 37 → 1k; 25/8.333: a newcomer, provisional, conservative 0 → 30k.
    const rated: StartRecord = { ...start(1_700_000_000_000), ratings: { B: { mu: 40_000, sigma: 1000 }, W: { mu: 25_000, sigma: 8333 } } }
    const record = exportRecordOf(rated, played, rankText)
    expect(record.players).toEqual({ black: { name: 'Black', rank: '1k' }, white: { name: 'White', rank: '30k?' } })
    // Without the rating layer's rank text, no ranks: the wire layer knows none.
    expect(exportRecordOf(rated, played).players).toEqual({ black: { name: 'Black' }, white: { name: 'White' } })
  })
})
