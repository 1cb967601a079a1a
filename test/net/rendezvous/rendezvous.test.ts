// Rendezvous through an Amino-protocol DHT, with real nodes on 127.0.0.1: a stand-in for the
// public IPFS DHT (three kad-dht servers speaking /ipfs/kad/1.0.0, started here), p2pgo nodes
// that provide under the network's key, and fresh nodes with no bootstrap list that find them.
import { blackHole, closeBlackHoles, closedPort } from '../../helpers/dead-ports.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig, type P2pgoConfig } from '../../../src/config/config.js'
import { LOOPBACK_ALLOW } from '../../../src/net/constants.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { routingTableSize } from '../../../src/net/peers/empty-routing.js'
import { AMINO_PROTOCOL, rendezvousKey } from '../../../src/net/rendezvous/index.js'
import { until } from '../../helpers/game-nodes.js'

/** Identify's protocol with its default prefix, as every node here runs it. */
const IDENTIFY_PROTOCOL = '/ipfs/id/1.0.0'

const nodes: P2pgoNode[] = []
const plain: Array<Libp2p<any>> = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => n.stop()))
  await Promise.all(plain.splice(0).map(async n => n.stop()))
  await closeBlackHoles()
})

type AminoNode = Libp2p<{ identify: unknown, ping: unknown, dht: KadDHT }>

/** A plain libp2p node with an Amino-protocol kad-dht: a server (the stand-in) or a client that announces `announce`. */
async function aminoNode (options: { server: boolean, announce?: string[] }): Promise<AminoNode> {
  const node = await createLibp2p({
    addresses: { listen: options.server || options.announce == null ? ['/ip4/127.0.0.1/tcp/0'] : [], ...(options.announce != null ? { announce: options.announce } : {}) },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 32 }),
      dht: kadDHT({ protocol: AMINO_PROTOCOL, clientMode: !options.server, peerInfoMapper: passthroughMapper })
    }
  }) as AminoNode
  plain.push(node)
  return node
}

/** The stand-in rendezvous: three Amino-protocol DHT servers on 127.0.0.1 that know each other; their addresses. */
async function standIn (): Promise<string[]> {
  const dhts = await Promise.all([0, 1, 2].map(async () => aminoNode({ server: true })))
  for (const a of dhts) {
    for (const b of dhts) if (a !== b) await a.dial(b.getMultiaddrs()[0])
  }
  await until(() => dhts.every(d => routingTableSize(d.services.dht) === 2), 'the stand-in servers to know each other')
  return dhts.map(d => d.getMultiaddrs()[0].toString())
}

async function p2pgo (role: 'player' | 'bootstrap', config: Partial<P2pgoConfig>): Promise<P2pgoNode> {
  const node = await P2pgoNode.create({
    privateKey: await generateKeyPair('Ed25519'),
    datastore: new MemoryDatastore(),
    config: { ...defaultConfig({ userName: role }), listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: role === 'bootstrap' ? 'on' : 'off', ...config },
    role,
    privateNetwork: true,
    connectionMonitor: false
  })
  nodes.push(node)
  await node.start()
  return node
}

const connected = (a: { libp2p: Libp2p<any> } | Libp2p<any>, b: { peerId: unknown }): boolean =>
  ('libp2p' in a ? a.libp2p : a).getConnections().some(c => c.remotePeer.toString() === String(b.peerId))


describe('rendezvous through an Amino-protocol DHT', () => {
  it('a fresh player with an empty bootstrap list finds a bootstrap relay that provides, connects, and joins the network behind it', async () => {
    const rendezvous = await standIn()
    const relay = await p2pgo('bootstrap', { rendezvous })
    await until(() => relay.rendezvous?.state().providing === true, 'the relay to provide under the rendezvous key', 60_000)
    // A player already in the network through the relay: the newcomer must see it in the lobby.
    const host = await p2pgo('player', { bootstrap: [`${relay.libp2p.getMultiaddrs()[0].toString()}`], rendezvous: [] })
    await until(() => connected(host, relay), 'the host to join the relay')
    host.lobby.setPresence({ name: 'host', sizes: [9], status: 'idle' })

    const newcomer = await p2pgo('player', { bootstrap: [], rendezvous })
    await until(() => connected(newcomer, relay), 'the newcomer to connect to the relay it found', 60_000)
    const state = newcomer.rendezvous?.state()
    expect(state?.ok).toBe(true)
    expect(state?.found).toBeGreaterThanOrEqual(1)
    // Behind the relay: p2pgo's own DHT and the lobby.
    await until(() => routingTableSize(newcomer.libp2p.services.dht) > 0, 'the relay in the newcomer\'s p2pgo DHT')
    // The newcomer looks at the 9x9 lobby (a node listens to the lobby topics of the size it shows).
    newcomer.lobby.follow([9])
    await until(() => newcomer.presenceOf(host.peerId) != null, 'the host\'s presence in the newcomer\'s lobby', 60_000)
  }, 180_000)

  it('a reachable player provides; another with no bootstrap at all finds it', async () => {
    const rendezvous = await standIn()
    const reachable = await p2pgo('player', { rendezvous })
    await until(() => reachable.rendezvous?.state().providing === true, 'the reachable player to provide', 60_000)
    const seeker = await p2pgo('player', { rendezvous })
    await until(() => connected(seeker, reachable), 'the seeker to connect to the player it found', 60_000)
    expect(seeker.rendezvous?.state().found).toBeGreaterThanOrEqual(1)
  }, 120_000)

  it('providers with garbage addresses and providers that are not p2pgo cost nothing: the lookup ends, the good one is joined, the others dropped', async () => {
    const rendezvous = await standIn()
    const key = rendezvousKey()
    // A provider whose record names only a port nobody listens on and one that never answers.
    const garbage = await aminoNode({ server: false, announce: [`/ip4/127.0.0.1/tcp/${await closedPort()}`, `/ip4/127.0.0.1/tcp/${await blackHole()}`] })
    // A provider that answers but is no p2pgo node.
    const stranger = await aminoNode({ server: false })
    for (const n of [garbage, stranger]) {
      for (const address of rendezvous) await n.dial(multiaddr(address))
      await until(() => routingTableSize(n.services.dht) > 0, 'a provider to know the stand-in')
      for await (const _ of n.services.dht.provide(key, { signal: AbortSignal.timeout(30_000) })) { /* drain */ }
    }
    const good = await p2pgo('player', { rendezvous })
    await until(() => good.rendezvous?.state().providing === true, 'the good provider to provide', 60_000)

    const seeker = await p2pgo('player', { rendezvous })
    await until(() => connected(seeker, good), 'the seeker to connect to the good provider', 60_000)
    await until(() => (seeker.rendezvous?.lookups ?? 0) >= 1, 'the seeker\'s lookup to end', 60_000)
    expect(seeker.rendezvous?.state().found).toBeGreaterThanOrEqual(3)
    expect(connected(seeker, stranger)).toBe(false)
    expect(connected(seeker, garbage)).toBe(false)
    expect(connected(seeker, good)).toBe(true)
  }, 180_000)

  it('a p2pgo provider is kept while identify has not answered yet (its peer-store entry then lists only the streams already opened, no /p2pgo/ protocol)', async () => {
    const rendezvous = await standIn()
    const good = await p2pgo('player', { rendezvous })
    await until(() => good.rendezvous?.state().providing === true, 'the good provider to provide', 60_000)
    // The good provider answers identify only after the seeker's lookup ended: until then the seeker
    // knows of it only the identify protocol its own request negotiated.
    const answer = Promise.withResolvers<void>()
    good.libp2p.use(IDENTIFY_PROTOCOL, async (stream, connection, next) => {
      if (stream.direction === 'inbound') await answer.promise
      next(stream, connection)
    })
    const seeker = await p2pgo('player', { rendezvous })
    const dropped: string[] = []
    seeker.libp2p.addEventListener('connection:close', evt => { if (evt.detail.remotePeer.equals(good.libp2p.peerId)) dropped.push(evt.detail.id) })
    try {
      await until(() => connected(seeker, good), 'the seeker to connect to the good provider', 60_000)
      await until(() => (seeker.rendezvous?.lookups ?? 0) >= 1, 'the seeker\'s lookup to end', 60_000)
      expect(seeker.rendezvous?.state().found).toBeGreaterThanOrEqual(1)
      expect(dropped).toEqual([])
      expect(connected(seeker, good)).toBe(true)
    } finally {
      answer.resolve()
    }
  }, 120_000)

  it('an empty rendezvous list (--no-rendezvous) makes no Amino connection; a given one does', async () => {
    const rendezvous = await standIn()
    const off = await p2pgo('player', { rendezvous: [] })
    const on = await p2pgo('player', { rendezvous })
    const aminoPeers = (): Set<string> => new Set(plain.flatMap(p => p.getConnections().map(c => c.remotePeer.toString())))
    await until(() => aminoPeers().has(on.peerId), 'the node with a rendezvous list to reach the stand-in')
    await until(() => (on.rendezvous?.lookups ?? 0) >= 1, 'its lookup to end', 60_000)
    expect(off.rendezvous).toBeUndefined()
    expect(aminoPeers().has(off.peerId)).toBe(false)
  }, 120_000)

  it('a --local node with no rendezvous list given never talks to the public Amino DHT', async () => {
    const config = { ...defaultConfig({ userName: 'n' }) }
    delete (config as Partial<P2pgoConfig>).rendezvous
    const node = await p2pgo('player', config)
    expect(node.rendezvous).toBeUndefined()
  })
})
