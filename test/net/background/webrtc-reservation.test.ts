// Issue 17, finding 1: a node that takes a circuit relay reservation over a WebRTC connection.
// R, a public host that relays, dials C (behind NAT, no socket of its own) over WebRTC, signalled
// through the bootstrap relay B; C cannot dial R's TCP address (its gater stands for the NAT), so
// the WebRTC connection is C's only unlimited connection to R. C sees that R relays and its
// circuit relay transport reserves a slot on R over that connection, whose remote address on C's
// side is `/webrtc/p2p/<R>` (no IP). With libp2p 3.3.11 and @libp2p/circuit-relay-v2 4.2.13 the
// transport handed libp2p's address manager `/webrtc/p2p/<R>/p2p-circuit`, which threw from an
// event listener (InvalidParametersError from getNetConfig): uncaught, the process exited.
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { isNetworkAddress } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { libp2pDefaults, type NodeInit, type P2pgoServices } from '../../../src/net/libp2p-defaults.js'
import { until } from '../../helpers/game-nodes.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection } from '@libp2p/interface'

type Node = Libp2p<P2pgoServices>

const nodes: Node[] = []
const uncaught: unknown[] = []
const onUncaught = (err: unknown): void => { uncaught.push(err) }

afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => n.stop()))
  process.off('uncaughtException', onUncaught)
})

async function node (init: Partial<NodeInit>): Promise<Node> {
  const privateKey = await generateKeyPair('Ed25519')
  const n = await createLibp2p(libp2pDefaults({ privateKey, listen: [], privateNetwork: true, connectionMonitor: false, ...init })) as Node
  nodes.push(n)
  return n
}

const webrtcAddressOf = (n: Node): Multiaddr | undefined => n.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit/webrtc/'))

/**
 * A WebRTC dial, tried up to three times: on this shared machine an ICE attempt now and then
 * outlasts libp2p's per-address dial limit (6 s), and p2pgo itself just tries again later.
 */
async function dialWebrtc (from: Node, to: Multiaddr): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await from.dial(to, { signal: AbortSignal.timeout(20_000) })
    } catch (err) {
      if (attempt === 3) throw err
    }
  }
}

describe('a circuit relay reservation over a WebRTC connection', () => {
  it('is taken without an uncaught error, and the node advertises only addresses others can dial', async () => {
    process.on('uncaughtException', onUncaught)
    const b = await node({ listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: {} })
    const bAddr = b.getMultiaddrs()[0]
    const r = await node({ listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit', '/webrtc'], relayServer: {}, bootstrap: [bAddr.toString()] })
    const rTcp = r.getMultiaddrs().find(ma => ma.toString().startsWith('/ip4/') && !ma.toString().includes('/p2p-circuit'))!.toString().replace(/\/p2p\/.*$/, '')
    // C, behind NAT: wants two reservations like a p2pgo player (config.listen has '/p2p-circuit' twice).
    const c = await node({
      listen: ['/p2p-circuit', '/p2p-circuit', '/webrtc'],
      bootstrap: [bAddr.toString()],
      connectionGater: { denyDialMultiaddr: ma => ma.toString().startsWith(rTcp) }
    })
    await r.dial(bAddr)
    await c.dial(bAddr)
    await until(() => webrtcAddressOf(c) != null, 'C to listen for WebRTC through B')
    const conn = await dialWebrtc(r, webrtcAddressOf(c)!)
    expect(conn.multiplexer).toBe('/webrtc')
    // C sees that R relays and reserves a slot on it over the WebRTC connection.
    const relay = r.services.relay as CircuitRelayService
    const throughR = `${rTcp}/p2p/${r.peerId.toString()}/p2p-circuit/p2p/${c.peerId.toString()}`
    await until(() => uncaught.length > 0 || (relay.reservations.has(c.peerId) && c.getMultiaddrs().some(ma => ma.toString() === throughR)),
      'C to reserve a slot on R and advertise its address through R', 30_000)
    expect(c.getConnections(r.peerId).filter(x => x.limits == null).map(x => x.remoteAddr.toString())).toEqual([`/webrtc/p2p/${r.peerId.toString()}`])
    expect(uncaught.map(e => String(e))).toEqual([])
    // C advertises R's real address as a relay address of its own, and nothing that names no host.
    expect(c.getMultiaddrs().map(String).filter(ma => !isNetworkAddress(multiaddr(ma)))).toEqual([])
    // The WebRTC connection closes: C withdraws the reservation's addresses, again without an uncaught error.
    await conn.close()
    await until(() => !c.getMultiaddrs().some(ma => ma.toString().includes(`/p2p/${r.peerId.toString()}/p2p-circuit`)), 'C to withdraw its addresses through R')
    expect(uncaught.map(e => String(e))).toEqual([])
  })
})
