// A club on a LAN with no internet, run with no flag: every address is private (127.0.0.1 here,
// which kad-dht counts as private as it does 192.168.x), so the WAN DHT drops them all and only
// the LAN DHT (src/net/dht/dual-dht.ts) can hold ratings and seeks. Before it existed, no rating
// record was ever published on such a network. The NAT lab checks the same on a real bridged LAN.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { dualDhtOf } from '../../../src/net/dht/dual-dht.js'
import { until } from '../../helpers/game-nodes.js'
import { playGame, stopAll, type NetNode } from '../rating/harness.js'

/** A node as a LAN player runs it: no `--local` (privateNetwork off), mDNS and UPnP off (tests must not multicast). */
async function lanNode (role: 'player' | 'bootstrap', bootstrap: string[], name: string): Promise<NetNode> {
  const key = await generateKeyPair('Ed25519')
  const config = { ...defaultConfig({ userName: name }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, mdns: false, upnp: false, rendezvous: [], relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role })
  node.decide = async () => ({ accept: true })
  await node.start()
  return { node, key }
}

const sizes = (x: NetNode): { wan: number, lan: number } => dualDhtOf(x.node.libp2p.services as any).sizes()

describe('a LAN with no internet and no --local', () => {
  let club: NetNode[] = []
  beforeAll(async () => {
    const relay = await lanNode('bootstrap', [], 'relay')
    const address = relay.node.libp2p.getMultiaddrs()[0].toString()
    club = [relay, ...await Promise.all(['alice', 'bob', 'carol', 'reader'].map(async name => lanNode('player', [address], name)))]
    await until(() => club.every(x => sizes(x).lan > 0), 'every LAN DHT to know a peer', 60_000)
  }, 90_000)
  afterAll(async () => { await stopAll(club) })

  it('keeps every private address out of the WAN DHT and in the LAN DHT', () => {
    for (const x of club) expect(sizes(x)).toMatchObject({ wan: 0 })
    expect(club.every(x => sizes(x).lan > 0)).toBe(true)
  })

  it('publishes both players’ rating records after a rated game, and a reader finds and verifies them', async () => {
    const [, alice, bob, , reader] = club
    await playGame(alice, bob, 'accepter')
    const published = await alice.node.ratings.publish()
    expect(published.peers).toBeGreaterThan(0)
    await bob.node.ratings.publish()
    for (const player of [alice, bob]) {
      const record = await reader.node.ratings.fetchRecord(player.node.peerId, { signal: AbortSignal.timeout(30_000) })
      expect(record.peer).toEqual(player.node.libp2p.peerId.toMultihash().bytes)
      expect(record.sizes[9]?.games).toBe(1)
    }
  }, 120_000)

  it('finds a seeker through the LAN DHT', async () => {
    const [, , , carol, reader] = club
    await carol.node.matchmaker.seek(9)
    // The lobby is not asked: only the DHT's seek buckets count here.
    await until(async () => {
      const search = await reader.node.matchmaker.find(9, { signal: AbortSignal.timeout(20_000) })
      return search.candidates.some(c => c.peer === carol.node.peerId)
    }, 'the reader to find carol seeking', 60_000)
  }, 90_000)
})
