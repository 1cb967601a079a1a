// The lobby v2 fuzz targets start their mutations from messages of the right shape: if the
// arbitrary drifted from the CDDL, the fuzz would only ever reach the first checks.
import fc from 'fast-check'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, it } from 'vitest'
import { decodeLobbyV2 } from '../../../../src/net/lobby/v2/messages.js'
import { encodeCanonical } from '../../../../src/wire/cbor.js'
import { lobbyV2MessageArb } from '../../../fuzz/targets-lobby-v2.js'

describe('the lobby v2 fuzz arbitrary', () => {
  it('makes messages the decoder accepts (steps 1–6; their signatures are random)', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    fc.assert(fc.property(lobbyV2MessageArb(peer, 1_767_225_600_000, other), value => { decodeLobbyV2(encodeCanonical(value)) }), { seed: 17, numRuns: 300 })
  })
})
