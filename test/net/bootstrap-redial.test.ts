import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { BOOTSTRAP_REDIAL_INTERVAL } from '../../src/net/bootstrap-redial/constants.js'
import { P2pgoNode } from '../../src/net/node.js'
import { until } from './rating/harness.js'
import type { PrivateKey } from '@libp2p/interface'

const nodes: P2pgoNode[] = []
// Only intervals are fake: the node's bootstrap redial runs on one, and the tests move it on by
// hand instead of waiting 10 s for it. Sockets, dials and libp2p's timeouts keep real time.
beforeEach(() => { vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }) })
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => n.stop()))
  vi.useRealTimers()
})

async function start (key: PrivateKey, listen: string | string[], bootstrap: string[] = [], role: 'player' | 'bootstrap' = 'player'): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'n' }), listen: typeof listen === 'string' ? [listen] : listen, bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role, privateNetwork: true })
  await node.start()
  nodes.push(node)
  return node
}

/** Stops a node started here (and forgets it). */
async function stop (node: P2pgoNode): Promise<void> {
  nodes.splice(nodes.indexOf(node), 1)
  await node.stop()
}

const portOf = (address: string): string => /\/tcp\/(\d+)/.exec(address)?.[1] as string
/** The peer IDs of the relays a node holds a reservation on. */
const reservedOn = (n: P2pgoNode): string[] => [...new Set(n.libp2p.getMultiaddrs().map(String).filter(a => a.includes('/p2p-circuit')).map(a => a.split('/p2p-circuit')[0].split('/p2p/')[1]))]

describe('bootstrap peers', () => {
  it('a node whose bootstrap peer was down at start joins once the peer is back', async () => {
    const bootKey = await generateKeyPair('Ed25519')
    const first = await start(bootKey, '/ip4/127.0.0.1/tcp/0')
    const address = first.libp2p.getMultiaddrs()[0].toString()
    await stop(first)
    const player = await start(await generateKeyPair('Ed25519'), '/ip4/127.0.0.1/tcp/0', [address])
    // @libp2p/bootstrap's one dial fails now; the node keeps trying while it has no connection.
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(player.libp2p.getConnections()).toHaveLength(0)
    const again = await start(bootKey, `/ip4/127.0.0.1/tcp/${portOf(address)}`)
    await vi.advanceTimersByTimeAsync(BOOTSTRAP_REDIAL_INTERVAL)
    await until(() => player.libp2p.getConnections(again.libp2p.peerId).length > 0, 'the player to reach the restarted bootstrap peer', 5_000)
  }, 60_000)

  it('a node short of relay reservations dials a bootstrap relay that is back, though it has other connections', async () => {
    // Relay one is down when the player starts, so the player never identified it: libp2p's relay
    // discovery (peer store, DHT walk) cannot know it serves relays, and the player is not alone.
    const oneKey = await generateKeyPair('Ed25519')
    const one = await start(oneKey, '/ip4/127.0.0.1/tcp/0', [], 'bootstrap')
    const oneAddress = one.libp2p.getMultiaddrs()[0].toString()
    await stop(one)
    const two = await start(await generateKeyPair('Ed25519'), '/ip4/127.0.0.1/tcp/0', [], 'bootstrap')
    const player = await start(await generateKeyPair('Ed25519'), ['/p2p-circuit', '/p2p-circuit'], [oneAddress, two.libp2p.getMultiaddrs()[0].toString()])
    await until(() => reservedOn(player).includes(two.peerId), 'a reservation on relay two')
    expect(reservedOn(player)).toEqual([two.peerId])
    const back = await start(oneKey, `/ip4/127.0.0.1/tcp/${portOf(oneAddress)}`, [], 'bootstrap')
    expect(player.libp2p.getConnections().length).toBeGreaterThan(0)
    await vi.advanceTimersByTimeAsync(BOOTSTRAP_REDIAL_INTERVAL)
    await until(() => reservedOn(player).includes(back.peerId), 'a reservation on the relay that came back', 5_000)
    expect(reservedOn(player).sort()).toEqual([back.peerId, two.peerId].sort())
  }, 60_000)
})
