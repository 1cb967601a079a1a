import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, TopicValidatorResult } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { gossipControl, isNoPeersError } from '../../../src/net/adapters/gossipsub-internals.js'
import { installedVersion } from './installed.js'
import type { GossipSub } from '@libp2p/gossipsub'

const versions = `@libp2p/gossipsub ${installedVersion('@libp2p/gossipsub')} (the adapter was written for 17.1.1)`

describe('the gossipsub adapter (src/net/adapters/gossipsub-internals.ts)', () => {
  let node: Libp2p<{ pubsub: GossipSub }> | undefined
  afterEach(async () => { await node?.stop() })

  it('finds the calls p2pgo makes beyond the published interface, and they answer as used', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), pubsub: gossipsub({ asyncValidation: true }) } })
    const control = (() => {
      try {
        return gossipControl(node.services.pubsub)
      } catch (err) {
        throw new Error(`${versions}: ${(err as Error).message}`)
      }
    })()
    expect(control.getMeshPeers('/p2pgo/none/1'), `${versions}: getMeshPeers no longer lists a topic's mesh as peer ID strings`).toEqual([])
    expect(control.getScore(node.peerId.toString()), `${versions}: getScore no longer scores a peer ID string`).toBe(0)
    expect(() => { control.reportMessageValidationResult('unknown', node!.peerId.toString(), TopicValidatorResult.Accept) }, `${versions}: reportMessageValidationResult throws on an unknown message`).not.toThrow()
  })

  it('recognises the error of a publish with nobody on the topic', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), pubsub: gossipsub({ allowPublishToZeroTopicPeers: false }) } })
    const err = await node.services.pubsub.publish('/p2pgo/none/1', new Uint8Array([1])).then(() => undefined, (e: unknown) => e)
    expect(err, `${versions}: publishing to an empty topic no longer fails`).toBeInstanceOf(Error)
    expect(isNoPeersError(err), `${versions}: the error no longer says NoPeersSubscribedToTopic: ${String(err)}`).toBe(true)
    expect(isNoPeersError(new Error('something else'))).toBe(false)
  })

  it('says which library lacks a call', () => {
    expect(() => gossipControl({} as unknown as GossipSub)).toThrow(/this gossipsub has no reportMessageValidationResult\(\): p2pgo needs @libp2p\/gossipsub 17/)
  })
})
