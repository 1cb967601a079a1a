// The relay side of relay choice (protocols/relay-load.md), with real nodes on 127.0.0.1: a relay
// answers `/p2pgo/relay-load/1.0.0` with what it holds (reservations, open circuits, refusals)
// only while it relays; a flood of questions from one peer is cut off and the relay stays up.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { RELAY_MAX_RESERVATIONS } from '../../../src/net/constants.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { fetchRelayLoad, RELAY_LOAD_PROTOCOL, RELAY_LOAD_RATE_LIMIT, RelayLoadError, type RelayLoad } from '../../../src/net/relay-load/index.js'
import { until } from '../../helpers/game-nodes.js'
import { createClient, echo } from '../../helpers/relay-clients.js'
import type { RelayServerLimits } from '../../../src/net/libp2p-defaults.js'
import type { Connection } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

const nodes: P2pgoNode[] = []
const clients: Libp2p[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map(async c => c.stop().catch(() => {})))
  await Promise.all(nodes.splice(0).map(async n => n.stop().catch(() => {})))
})

async function p2pgo (role: 'player' | 'bootstrap', options: { relayLimits?: RelayServerLimits, relayServer?: 'auto' | 'on' | 'off' } = {}): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: role }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], ...(options.relayServer != null ? { relayServer: options.relayServer } : {}) }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role, privateNetwork: true, ...(options.relayLimits != null ? { relayLimits: options.relayLimits } : {}) })
  nodes.push(node)
  await node.start()
  return node
}

const addressOf = (node: P2pgoNode): string => node.libp2p.getMultiaddrs()[0].toString()

/** A bare libp2p client (no p2pgo service at all) connected to `relay`. */
async function asker (relay: P2pgoNode): Promise<{ client: Libp2p, connection: Connection }> {
  const client = await createClient(clients)
  await client.start()
  return { client, connection: await client.dial(multiaddr(addressOf(relay)), { signal: AbortSignal.timeout(10_000) }) }
}

/** A client holding a reservation on `relay` (or trying to: `false` when refused). */
async function reserving (relay: P2pgoNode): Promise<{ client: Libp2p, reserved: boolean }> {
  const client = await createClient(clients, [`${addressOf(relay)}/p2p-circuit`])
  try {
    await client.start()
  } catch {
    return { client, reserved: false }
  }
  return { client, reserved: client.getMultiaddrs().some(a => a.toString().includes('/p2p-circuit')) }
}

const ask = async (connection: Connection): Promise<RelayLoad> => fetchRelayLoad(connection, { signal: AbortSignal.timeout(10_000) })

async function refusal (p: Promise<unknown>): Promise<RelayLoadError> {
  try {
    await p
  } catch (err) {
    if (err instanceof RelayLoadError) return err
    throw new Error(`expected a RelayLoadError, got ${String(err)}`)
  }
  throw new Error('expected a refusal, but the relay answered')
}

describe('a bootstrap relay reports its load', () => {
  it('counts reservations as clients take them: 0, then 1, then 2', async () => {
    const relay = await p2pgo('bootstrap')
    const { connection } = await asker(relay)
    expect(await ask(connection)).toEqual({ reservations: 0, maxReservations: RELAY_MAX_RESERVATIONS, circuits: 0, refused: 0 })
    expect((await reserving(relay)).reserved).toBe(true)
    expect((await ask(connection)).reservations).toBe(1)
    expect((await reserving(relay)).reserved).toBe(true)
    expect(await ask(connection)).toMatchObject({ reservations: 2, circuits: 0, refused: 0 })
  })

  it('counts a circuit while it is open, and no longer once it is closed', async () => {
    const relay = await p2pgo('bootstrap')
    const { client: listener, reserved } = await reserving(relay)
    expect(reserved).toBe(true)
    const { client: dialer, connection } = await asker(relay)
    const relayed = await dialer.dial(multiaddr(`${addressOf(relay)}/p2p-circuit/p2p/${listener.peerId.toString()}`), { signal: AbortSignal.timeout(10_000) })
    expect(await echo(dialer, relayed)).toBe('hello')
    expect((await ask(connection)).circuits).toBe(1)
    await relayed.close()
    // The relay hears of the end once the circuit's streams have closed (watched on the relay
    // itself: asking over the wire in a loop would meet the rate limit).
    await until(() => relay.libp2p.services.relayLoad?.load()?.circuits === 0, 'the closed circuit to leave the count')
    expect(await ask(connection)).toMatchObject({ reservations: 1, circuits: 0 })
  })

  it('counts the reservations a full relay refuses, and reports its own limit', async () => {
    const relay = await p2pgo('bootstrap', { relayLimits: { maxReservations: 1 } })
    const { connection } = await asker(relay)
    expect((await reserving(relay)).reserved).toBe(true)
    expect((await reserving(relay)).reserved).toBe(false)
    // The refusal is counted as the relay answers it, before the client hears of it.
    expect(await ask(connection)).toEqual({ reservations: 1, maxReservations: 1, circuits: 0, refused: 1 })
  })

  it('cuts off a peer that asks too often, and stays up for the others', async () => {
    const relay = await p2pgo('bootstrap')
    const { connection } = await asker(relay)
    // One after another: the first RELAY_LOAD_RATE_LIMIT are answered, the next is reset.
    for (let i = 0; i < RELAY_LOAD_RATE_LIMIT; i++) expect((await ask(connection)).reservations).toBe(0)
    const cut = await refusal(ask(connection))
    expect(cut.reason).toBe('no-answer')
    expect(cut.message).toMatch(/ask less often/)
    // A flood of questions at once from another peer: libp2p resets streams over the protocol's
    // limit per connection (a burst that arrives together is reset whole), the rate limit the rest.
    const flooder = await asker(relay)
    const results = await Promise.allSettled(Array.from({ length: 5 * RELAY_LOAD_RATE_LIMIT }, async () => ask(flooder.connection)))
    const answered = results.filter(r => r.status === 'fulfilled').length
    expect(answered).toBeLessThanOrEqual(RELAY_LOAD_RATE_LIMIT)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RelayLoadError)
    // The relay is still up, and answers a third peer.
    expect(relay.libp2p.status).toBe('started')
    const other = await asker(relay)
    expect(await ask(other.connection)).toMatchObject({ reservations: 0 })
  })
})

describe('a player reports its load only while it relays', () => {
  it('offers nothing while unreachable, answers once it relays, and stops with it', async () => {
    const player = await p2pgo('player')
    const { connection } = await asker(player)
    expect(player.libp2p.getProtocols()).not.toContain(RELAY_LOAD_PROTOCOL)
    const error = await refusal(ask(connection))
    expect(error.reason).toBe('unsupported')
    expect(error.message).toMatch(/not relaying/)
    await player.relaySwitch?.update('public')
    // The load service follows the switch's `relaying` event.
    await until(() => player.libp2p.getProtocols().includes(RELAY_LOAD_PROTOCOL), 'the load protocol to be offered')
    const fresh = await asker(player)
    expect(await ask(fresh.connection)).toMatchObject({ reservations: 0, circuits: 0, refused: 0 })
    await player.relaySwitch?.update('relayed')
    await until(() => !player.libp2p.getProtocols().includes(RELAY_LOAD_PROTOCOL), 'the load protocol to be withdrawn')
    expect((await refusal(ask((await asker(player)).connection))).reason).toBe('unsupported')
    // Relaying again, then stopped: the node stops cleanly with the service serving.
    await player.relaySwitch?.update('upnp')
    await until(() => player.libp2p.services.relayLoad?.state().serving === true, 'the load report to be served again')
    nodes.splice(nodes.indexOf(player), 1)
    await player.stop()
    expect(player.libp2p.services.relayLoad?.state()).toEqual({ serving: false, advertisedIn: 0 })
  })

  it('a player with the relay off never offers it', async () => {
    const player = await p2pgo('player', { relayServer: 'off' })
    expect(player.libp2p.getProtocols()).not.toContain(RELAY_LOAD_PROTOCOL)
    expect((await refusal(ask((await asker(player)).connection))).reason).toBe('unsupported')
  })
})
