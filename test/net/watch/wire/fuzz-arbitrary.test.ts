// The watch fuzz targets start their mutations from messages of the right shape: if the
// arbitraries drifted from the CDDL, the fuzz would only ever reach the first checks.
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { encodeCanonical } from '../../../../src/wire/cbor.js'
import { decodeStart, gameIdOf } from '../../../../src/wire/game-start.js'
import { decodeTopicMessage, decodeWatchAnswer, decodeWatchRequest } from '../../../../src/net/watch/wire/index.js'
import { corpus } from '../../../fuzz/corpus.js'
import { watchAnswerArb, watchRequestArb, watchTopicArb } from '../../../fuzz/targets-watch.js'

const c = await corpus()
const game = gameIdOf(decodeStart(c.start))

describe('the watch fuzz arbitraries', () => {
  it('make requests the decoder accepts', () => {
    fc.assert(fc.property(watchRequestArb(game), value => { decodeWatchRequest(encodeCanonical(value)) }), { seed: 17, numRuns: 200 })
  })

  it('make answer frames the decoder accepts, acts and start record included (the target also breaks them inside)', () => {
    fc.assert(fc.property(watchAnswerArb(c, false), value => { decodeWatchAnswer(encodeCanonical(value), { game }) }), { seed: 17, numRuns: 200 })
  })

  it('make topic messages the decoder accepts up to their signatures', () => {
    fc.assert(fc.property(watchTopicArb(c, game, c.peers.B), value => { decodeTopicMessage(encodeCanonical(value), game) }), { seed: 17, numRuns: 200 })
  })
})
