// The fuzz targets of `npm run fuzz` (test/fuzz/decoders.fuzz.ts) with a small fixed budget: the
// same inputs every run (a fixed seed), a few seconds in all. A crash fails the test; hangs and
// large allocations are printed, not asserted (timing on a shared machine is no verdict).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeChallengeMessage } from '../../src/net/challenge/messages.js'
import { decodeLobbyMessage } from '../../src/net/lobby/messages.js'
import { decodePathMessage } from '../../src/net/rna/path-messages.js'
import { decodeGameMessage } from '../../src/wire/game-messages.js'
import { decodeStart } from '../../src/wire/game-start.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { decodeRatingRecord } from '../../src/rating/rating-record.js'
import { challengeMessageArb, gameMessageArb, lobbyMessageArb, pathMessageArb, ratingRecordArb, startArb } from './arbitraries.js'
import { corpus } from './corpus.js'
import { formatReport, fuzzTarget } from './harness.js'
import { allTargets } from './targets.js'

const SEED = 17
const RUNS = 60

describe('decoders under fuzz (short, seeded run)', async () => {
  const targets = allTargets(await corpus())
  it.each(targets.map(t => [t.name, t] as const))('%s', async (_name, target) => {
    const report = await fuzzTarget(target, { numRuns: RUNS, seed: SEED, inputMs: 2000, allocBytes: 64 * 2 ** 20 })
    if (report.hangs.length > 0 || report.allocations.length > 0) console.log(formatReport(report))
    expect(report.crash, formatReport(report)).toBeUndefined()
    expect(report.runs).toBe(RUNS)
  })
})

// The mutations start from valid messages: if the arbitraries drifted from the CDDL, the fuzz
// would only ever exercise the first check. Each decoder accepts what its arbitrary makes.
describe('the fuzz arbitraries make messages the decoders accept', () => {
  it.each([
    ['challenge', challengeMessageArb, decodeChallengeMessage],
    ['game', gameMessageArb, decodeGameMessage],
    ['start', startArb, decodeStart],
    ['lobby', lobbyMessageArb, decodeLobbyMessage],
    ['rna-path', pathMessageArb, decodePathMessage],
    ['rating record', ratingRecordArb, decodeRatingRecord]
  ] as const)('%s', (_name, arb, decode) => {
    fc.assert(fc.property(arb as fc.Arbitrary<unknown>, value => { (decode as (b: Uint8Array) => unknown)(encodeCanonical(value)) }), { seed: SEED, numRuns: 200 })
  })
})
