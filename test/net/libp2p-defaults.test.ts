import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { libp2pDefaults, type P2pgoServices } from '../../src/net/libp2p-defaults.js'
import { DHT_PROTOCOL } from '../../src/net/constants.js'

/** A p2pgo node on 127.0.0.1 with nothing that reaches off the machine (no mDNS, no UPnP). */
async function node (extra: Partial<Parameters<typeof libp2pDefaults>[0]> = {}): Promise<Libp2p<P2pgoServices>> {
  const privateKey = await generateKeyPair('Ed25519')
  return createLibp2p(libp2pDefaults({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true, ...extra }))
}

/** Resolves when `check` holds, polling on libp2p's own events rather than a fixed sleep. */
async function until (check: () => boolean | Promise<boolean>, signal: AbortSignal): Promise<void> {
  while (!(await check())) {
    if (signal.aborted) throw new Error('gave up waiting')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('libp2pDefaults: real nodes on loopback', () => {
  let relay: Libp2p<P2pgoServices>
  let a: Libp2p<P2pgoServices>
  let b: Libp2p<P2pgoServices>

  beforeAll(async () => {
    relay = await node({ relayServer: {} })
    const bootstrapList = relay.getMultiaddrs().map(ma => ma.toString())
    a = await node({ bootstrap: bootstrapList })
    b = await node({ bootstrap: bootstrapList })
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), relay?.stop()])
  })

  it('speaks p2pgo\'s own DHT protocol, not the IPFS one', () => {
    expect(relay.getProtocols()).toContain(DHT_PROTOCOL)
    expect(relay.getProtocols()).not.toContain('/ipfs/kad/1.0.0')
  })

  it('joins through the bootstrap peer and finds the other peer through the DHT', async () => {
    const signal = AbortSignal.timeout(30_000)
    await until(() => a.getConnections(relay.peerId).length > 0 && b.getConnections(relay.peerId).length > 0, signal)
    const found = await a.peerRouting.findPeer(b.peerId, { signal })
    expect(found.id.equals(b.peerId)).toBe(true)
    expect(found.multiaddrs.length).toBeGreaterThan(0)
  })

  it('carries signed gossip between peers', async () => {
    const topic = '/p2pgo/test/1'
    const signal = AbortSignal.timeout(30_000)
    a.services.pubsub.subscribe(topic)
    b.services.pubsub.subscribe(topic)
    await until(() => b.services.pubsub.getSubscribers(topic).some(p => p.equals(a.peerId)), signal)
    const received = new Promise<{ from: string, data: string, signed: boolean }>(resolve => {
      a.services.pubsub.addEventListener('message', evt => {
        const msg = evt.detail
        if (msg.topic === topic && msg.type === 'signed') resolve({ from: msg.from.toString(), data: new TextDecoder().decode(msg.data), signed: msg.signature.length > 0 })
      })
    })
    // Gossipsub needs a heartbeat to build its mesh: publish until it arrives (each try is harmless).
    let got: { from: string, data: string, signed: boolean } | undefined
    received.then(r => { got = r }, () => {})
    while (got == null) {
      await b.services.pubsub.publish(topic, new TextEncoder().encode('hello'))
      await Promise.race([received, new Promise(resolve => setTimeout(resolve, 300))])
      if (signal.aborted) throw new Error('no gossip arrived')
    }
    expect(got).toEqual({ from: b.peerId.toString(), data: 'hello', signed: true })
  })
})
