import { generateKeyPair } from '@libp2p/crypto/keys'
import { circuitRelayServer, RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { hookRelayServer, limitOnWire, relayHopHandler, reservationLimit } from '../../../src/net/adapters/circuit-relay-hop.js'
import { installedVersion } from './installed.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Registrar } from '@libp2p/interface-internal'

const versions = `@libp2p/circuit-relay-v2 ${installedVersion('@libp2p/circuit-relay-v2')}, libp2p ${installedVersion('libp2p')} (the adapter was written for @libp2p/circuit-relay-v2 4.2.13, libp2p 3.3.11)`

describe('the circuit relay hop adapter (src/net/adapters/circuit-relay-hop.ts)', () => {
  let node: Libp2p<{ relay: CircuitRelayService }> | undefined
  afterEach(async () => { await node?.stop() })

  it('returns the very handler the relay server registers for the hop protocol', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), relay: circuitRelayServer() } })
    const hop = relayHopHandler(node.services.relay)
    expect(typeof hop, `${versions}: the relay server has no onHop`).toBe('function')
    const registrar = (node as unknown as { components: { registrar: Registrar } }).components.registrar
    expect(registrar.getHandler(RELAY_V2_HOP_CODEC).handler, `${versions}: the server no longer registers its own onHop for ${RELAY_V2_HOP_CODEC}, so removing and re-adding it would change what relaying does`).toBe(hop)
  })

  it('says which library lacks the handler', () => {
    expect(() => relayHopHandler({} as unknown as CircuitRelayService)).toThrow(/@libp2p\/circuit-relay-v2 has no hop handler/)
  })
})

describe('the hop hooks (hookRelayServer)', () => {
  let node: Libp2p<{ relay: CircuitRelayService }> | undefined
  afterEach(async () => { await node?.stop() })

  it('wraps the server\'s handleHopProtocol and stopHop, once', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), relay: circuitRelayServer() } })
    const server = node.services.relay as unknown as { handleHopProtocol: unknown, stopHop: unknown }
    const own = [server.handleHopProtocol, server.stopHop]
    expect(own.map(f => typeof f), `${versions}: the relay server has no handleHopProtocol or stopHop`).toEqual(['function', 'function'])
    hookRelayServer(node.services.relay, { onCircuit: () => {} })
    const hooked = [server.handleHopProtocol, server.stopHop]
    expect(hooked[0]).not.toBe(own[0])
    expect(hooked[1]).not.toBe(own[1])
    hookRelayServer(node.services.relay, { onCircuit: () => {} })
    expect([server.handleHopProtocol, server.stopHop]).toEqual(hooked)
  })

  it('says which library lacks them', () => {
    expect(() => { hookRelayServer({} as unknown as CircuitRelayService, { onCircuit: () => {} }) }).toThrow(/no handleHopProtocol or stopHop/)
  })

  it('puts a limit on the wire in whole seconds', () => {
    expect(limitOnWire({ duration: 21_600_000, data: 64n })).toEqual({ duration: 21_600, data: 64n })
    expect(limitOnWire({ duration: 1999 })).toEqual({ duration: 1 })
    expect(limitOnWire({ data: 5n })).toEqual({ data: 5n })
    expect(limitOnWire(undefined)).toBeUndefined()
  })
})

describe('the reservation limit (reservationLimit)', () => {
  let node: Libp2p<{ relay: CircuitRelayService }> | undefined
  afterEach(async () => { await node?.stop() })

  it('is the limit the server enforces, as configured', async () => {
    node = await createLibp2p({ privateKey: await generateKeyPair('Ed25519'), services: { identify: identify(), relay: circuitRelayServer({ reservations: { maxReservations: 7 } }) } })
    expect(reservationLimit(node.services.relay), `${versions}: the relay server keeps its limit elsewhere than reservationStore.maxReservations`).toBe(7)
  })

  it('says which library lacks it', () => {
    expect(() => reservationLimit({} as unknown as CircuitRelayService)).toThrow(/no reservationStore.maxReservations/)
  })
})
