// The adapter into @libp2p/circuit-relay-v2's reservation store (src/net/adapters/circuit-relay-reservations.ts):
// fails, naming the installed version, when an upgrade moves what it wraps.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { circuitRelayTransportOf, countsAgainstRelay, steerReservations, type RelayReservations } from '../../../src/net/adapters/circuit-relay-reservations.js'
import { libp2pDefaults } from '../../../src/net/libp2p-defaults.js'
import { installedVersion } from '../adapters/installed.js'
import { relayNode, type RelayNode } from './relays.js'
import type { Transport } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'

const versions = `@libp2p/circuit-relay-v2 ${installedVersion('@libp2p/circuit-relay-v2')}, libp2p ${installedVersion('libp2p')} (the adapter was written for @libp2p/circuit-relay-v2 4.2.13, libp2p 3.3.11)`

const transportManagerOf = (node: Libp2p): TransportManager => (node as unknown as { components: { transportManager: TransportManager } }).components.transportManager

describe('the circuit relay reservations adapter', () => {
  const started: Libp2p[] = []
  afterEach(async () => { await Promise.all(started.splice(0).map(async n => { await n.stop() })) })

  async function client (): Promise<Libp2p> {
    const node = await createLibp2p(libp2pDefaults({ privateKey: await generateKeyPair('Ed25519'), listen: ['/p2p-circuit', '/p2p-circuit'], privateNetwork: true, connectionMonitor: false }))
    started.push(node)
    return node
  }

  async function relay (max: number): Promise<RelayNode> {
    const node = await relayNode(max)
    started.push(node)
    await node.start()
    return node
  }

  it('finds the transport, its reservation store, and the free slots the listen set asks for', async () => {
    const node = await client()
    const transport = circuitRelayTransportOf(transportManagerOf(node))
    expect(transport, `${versions}: no transport tagged as the circuit relay transport`).toBeDefined()
    const reservations = steerReservations(transport as Transport, { admit: () => true })
    expect(reservations.held()).toEqual([])
    expect(reservations.free(), `${versions}: pendingReservations no longer counts the listen set's /p2p-circuit entries`).toBe(2)
  })

  it('declines a relay not admitted, reserves on one that is, and reports each outcome', async () => {
    const node = await client()
    const good = await relay(10)
    const refusing = await relay(0)
    const reserved: string[] = []
    const failed: string[] = []
    let admitted = new Set<string>()
    const reservations = steerReservations(circuitRelayTransportOf(transportManagerOf(node)) as Transport, {
      admit: peer => admitted.has(peer),
      onReserved: peer => { reserved.push(peer) },
      onFailed: (peer, err) => { failed.push(`${peer} ${err.message}`) }
    })
    await node.dial(good.getMultiaddrs()[0])
    await node.dial(refusing.getMultiaddrs()[0])
    await expect(reservations.reserve(good.peerId)).rejects.toThrow(/was not chosen/)
    admitted = new Set([good.peerId.toString(), refusing.peerId.toString()])
    await reservations.reserve(good.peerId)
    expect(reservations.held(), `${versions}: a reservation taken through addRelay is not in reservations`).toEqual([good.peerId.toString()])
    expect(reserved).toContain(good.peerId.toString())
    await expect(reservations.reserve(refusing.peerId)).rejects.toThrow(/RESERVATION_REFUSED/)
    // libp2p's own discovery may have asked it too, once admitted: every failure is the refusing relay's.
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every(f => f.startsWith(refusing.peerId.toString()))).toBe(true)
    expect(reservations.free()).toBe(1)
  })

  it('puts the store\'s own addRelay back on release', async () => {
    const node = await client()
    const transport = circuitRelayTransportOf(transportManagerOf(node)) as Transport
    const store = (transport as unknown as { reservationStore: { addRelay: unknown } }).reservationStore
    const own = store.addRelay
    const reservations: RelayReservations = steerReservations(transport, { admit: () => false })
    expect(store.addRelay).not.toBe(own)
    reservations.release()
    expect(store.addRelay).toBe(own)
  })

  it('says which library lacks the store', () => {
    expect(() => steerReservations({} as unknown as Transport, { admit: () => true })).toThrow(/@libp2p\/circuit-relay-v2 keeps its reservations elsewhere/)
  })

  it('counts refusals and dial failures against a relay, not a full set of slots or its own decline', () => {
    expect(countsAgainstRelay(Object.assign(new Error('reservation failed with status RESERVATION_REFUSED')))).toBe(true)
    expect(countsAgainstRelay(Object.assign(new Error('x'), { name: 'DialError' }))).toBe(true)
    for (const name of ['HadEnoughRelaysError', 'RelayQueueFullError', 'RelayNotChosenError', 'DoubleRelayError']) {
      expect(countsAgainstRelay(Object.assign(new Error('x'), { name }))).toBe(false)
    }
  })
})
