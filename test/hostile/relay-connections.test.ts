// A hostile peer opening connection after connection to the bootstrap relay from one address
// (fresh identities each time): past `maxConnectionsPerIp` the relay refuses them before any
// handshake, while another address still gets in, and a slot freed is a slot again. Real nodes on
// loopback: the clients dial from 127.0.0.1 and 127.0.0.2 (Linux routes all of 127/8 to lo). The
// relay allow-lists loopback in libp2p's connection manager, as every test here does, so that
// libp2p's own per-host rate limit (5 a second) is not what refuses them.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { createRelayLimits } from '../../bootstrap/relay-limits.js'
import { ipGroup, RelayQuota } from '../../bootstrap/relay-quota.js'
import { LOOPBACK_ALLOW } from '../../src/net/constants.js'
import { until } from '../helpers/game-nodes.js'
import { failure } from '../helpers/relay-clients.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'

const nodes: Libp2p[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) })) })

async function client (from: string): Promise<Libp2p> {
  const node = await createLibp2p({
    transports: [tcp({ dialOpts: { localAddress: from } })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionMonitor: { enabled: false },
    services: { identify: identify() }
  })
  nodes.push(node)
  return node
}

describe('connections per address to the relay', () => {
  it('refuses a 4th connection from one address with maxConnectionsPerIp 3, lets another address in, and frees the slot on a disconnect', async () => {
    let relay: Libp2p<{ relay: CircuitRelayService }> | undefined
    const gate = new RelayQuota({
      reservations: () => relay?.services.relay.reservations ?? [],
      getConnections: peer => relay?.getConnections(peer) ?? []
    }, { limits: createRelayLimits({ maxConnectionsPerIp: 3 }) })
    relay = await createLibp2p({
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionManager: { allow: [...LOOPBACK_ALLOW] },
      connectionMonitor: { enabled: false },
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      connectionGater: gate.connectionGater(),
      services: { identify: identify(), relay: circuitRelayServer() }
    })
    nodes.push(relay)
    const address = multiaddr(relay.getMultiaddrs()[0].toString())
    const from = (ip: string): number => relay!.getConnections().filter(c => ipGroup(c.remoteAddr) === ip).length

    const first: Libp2p[] = []
    for (let i = 0; i < 3; i++) {
      const c = await client('127.0.0.1')
      await c.dial(address, { signal: AbortSignal.timeout(10_000) })
      first.push(c)
    }
    await until(() => from('127.0.0.1') === 3, 'three connections from 127.0.0.1')

    const fourth = await client('127.0.0.1')
    await failure(fourth.dial(address, { signal: AbortSignal.timeout(10_000) }))
    expect(from('127.0.0.1')).toBe(3)
    expect(gate.refusals.get('ip-connections')).toBe(1)

    const elsewhere = await client('127.0.0.2')
    await elsewhere.dial(address, { signal: AbortSignal.timeout(10_000) })
    await until(() => from('127.0.0.2') === 1, 'the connection from 127.0.0.2')

    await first[0].hangUp(relay.peerId)
    await until(() => from('127.0.0.1') === 2, 'the relay to see one of them leave')
    await fourth.dial(address, { signal: AbortSignal.timeout(10_000) })
    await until(() => from('127.0.0.1') === 3, 'the fourth to take the freed slot')
    expect(gate.refusals.get('ip-connections')).toBe(1)
  })
})
