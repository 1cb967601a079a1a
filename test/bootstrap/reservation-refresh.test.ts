// A player's relay reservations are refreshed before they expire: the circuit relay transport
// renews at the latest 5 minutes before expiry, at the earliest 30 s after reserving. A relay granting 45 s reservations shows it within a minute.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { until } from '../net/rating/harness.js'

const nodes: P2pgoNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop().catch(() => {}))) })

async function node (role: 'player' | 'bootstrap', listen: string[], bootstrap: string[], reservationTtlMs?: number): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: role }), listen, bootstrap, relayServer: 'off' as const }
  const n = await P2pgoNode.create({
    privateKey: await generateKeyPair('Ed25519'),
    datastore: new MemoryDatastore(),
    config,
    role,
    privateNetwork: true,
    ...(reservationTtlMs != null ? { relayLimits: { reservationTtlMs } } : {})
  })
  await n.start()
  nodes.push(n)
  return n
}

describe('relay reservations', () => {
  it('are renewed before they expire: the slot and the circuit address outlive the first term', async () => {
    const relay = await node('bootstrap', ['/ip4/127.0.0.1/tcp/0'], [], 45_000)
    const player = await node('player', ['/p2p-circuit'], [relay.libp2p.getMultiaddrs()[0].toString()])
    const held = (): Date | undefined => relay.libp2p.services.relay?.reservations.get(player.libp2p.peerId)?.expiry
    await until(() => held() != null && player.libp2p.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')), 'the first reservation')
    const first = held()!.getTime()
    // Unrenewed, the relay drops the reservation when its term ends (its signal aborts). Renewed,
    // the relay re-times that signal; the entry's own `expiry` keeps the first date (a quirk of
    // circuit-relay-v2 4.2: the answer to the client carries the new one).
    await until(() => Date.now() > first + 3000, 'the first term to end', 60_000)
    expect(relay.libp2p.services.relay?.reservations.has(player.libp2p.peerId)).toBe(true)
    expect(player.libp2p.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit'))).toBe(true)
  }, 120_000)
})
