// `p2pgo doctor`'s relays, from a real player node on 127.0.0.1 with two bootstrap relays, one of
// them full (its maxReservations is 0, so it refuses every reservation).
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { adviceOf } from '../../src/queries/doctor-advice.js'
import { doctorFacts } from '../../src/queries/doctor.js'
import { until } from '../helpers/game-nodes.js'
import { addressOf, relayNode } from '../net/relay-choice/relays.js'
import type { Libp2p } from 'libp2p'

describe('p2pgo doctor: relays as the relay choice sees them', () => {
  const started: Array<{ stop: () => Promise<void> }> = []
  afterEach(async () => { await Promise.all(started.splice(0).map(async n => { await n.stop() })) })

  async function relay (max: number): Promise<Libp2p> {
    const node = await relayNode(max)
    started.push(node)
    await node.start()
    return node
  }

  async function player (bootstrap: string[]): Promise<P2pgoNode> {
    const config = { ...defaultConfig({ userName: 'doctor' }), listen: ['/ip4/127.0.0.1/tcp/0', '/p2p-circuit', '/p2p-circuit'], bootstrap, rendezvous: [] }
    const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, connectionMonitor: false })
    started.push(node)
    await node.start()
    return node
  }

  it('lists a full relay with the refusal it gave, not chosen, and the one holding the slot as chosen', async () => {
    const full = await relay(0)
    const good = await relay(10)
    const node = await player([full, good].map(addressOf))
    await until(() => node.self().relays.includes(good.peerId.toString()), 'a reservation on the relay with room')
    await until(async () => (await doctorFacts(node, { ping: false })).relays.some(r => r.peer === full.peerId.toString() && (r.refusals ?? 0) > 0), 'the full relay\'s refusal')
    const facts = await doctorFacts(node, { ping: true })
    expect(facts.relays.find(r => r.peer === full.peerId.toString())).toMatchObject({ chosen: false, reservations: null, circuits: null })
    expect(facts.relays.find(r => r.peer === good.peerId.toString())).toMatchObject({ chosen: true })
  })

  it('advises another relay when every relay asked refused a slot', () => {
    const facts = { scope: 'public' as const, relaySlots: 2, nat: null, stunServers: 2, upnp: { enabled: false, mapped: null }, ipv4: { listening: true }, ipv6: { globalAddress: false, listening: false }, dht: { lan: 0, wan: 3 }, rendezvous: null, peerCache: null, peers: 2, bootstrap: 2, mdns: false }
    const relays = [{ peer: 'a', rttMs: 5, reservations: null, circuits: null, chosen: false, refusals: 1 }, { peer: 'b', rttMs: 7, reservations: null, circuits: null, chosen: false, refusals: 2 }]
    expect(adviceOf({ ...facts, relays }).join(' ')).toMatch(/refused it a slot/)
    expect(adviceOf({ ...facts, relays: relays.map(r => ({ ...r, refusals: 0 })) }).join(' ')).toMatch(/No relay has given this node a reservation yet/)
  })
})
