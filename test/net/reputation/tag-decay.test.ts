// The reputation tag follows trust as it decays, not only when an event or a connection comes:
// the connection trimmer keeps peers by it (protocols/reputation.md, "Keeping connections").
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { REPUTATION_TAG } from '../../../src/net/reputation/constants.js'
import { reputation, type ReputationService } from '../../../src/net/reputation/index.js'
import { ReputationBook } from '../../../src/reputation/reputation-book.js'
import { day } from '../../../src/units.js'
import { common } from '../../helpers/relay-clients.js'
import { until } from '../../helpers/game-nodes.js'

describe('the reputation tag', () => {
  const nodes: Libp2p[] = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop())) })

  it('is refreshed for connected peers as their trust decays', async () => {
    let t = Date.now()
    const hub = await createLibp2p({ ...common, privateKey: await generateKeyPair('Ed25519'), addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, services: { reputation: reputation({ book: new ReputationBook(), now: () => t, tagRefresh: 100 }) } })
    const peer = await createLibp2p({ ...common, privateKey: await generateKeyPair('Ed25519') })
    nodes.push(hub, peer)
    const rep = hub.services.reputation as ReputationService
    await peer.dial(hub.getMultiaddrs()[0])
    const id = peer.peerId.toString()
    rep.record({ kind: 'invalid', peer: id, reason: 'bad-signature', at: t })
    const tag = async (): Promise<number | undefined> => (await hub.peerStore.get(peer.peerId).catch(() => undefined))?.tags.get(REPUTATION_TAG)?.value
    await until(async () => (await tag()) === Math.round(rep.trust(id) * 100), 'the tag after the event')
    const before = await tag()
    // Ninety days on, three penalty half-lives: the penalty counts an eighth, nothing else happened.
    t += 90 * day
    const after = Math.round(rep.trust(id) * 100)
    expect(after).toBeGreaterThan(before as number)
    await until(async () => (await tag()) === after, 'the tag to follow the decayed trust', 10_000)
  })
})
