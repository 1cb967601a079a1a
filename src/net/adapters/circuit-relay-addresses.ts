// The circuit relay transport (@libp2p/circuit-relay-v2 4.2.13), kept to addresses that name a
// host. When it takes a reservation, its reservation store adds the connection's remote address
// to the relay's addresses (transport/reservation-store.js, #createReservation), and its listener
// confirms each with `/p2p-circuit` appended to libp2p's address manager (transport/listener.js,
// addedRelay) and withdraws them when the relay goes (_onRemoveRelayPeer). Over a WebRTC
// connection this node did not dial, that remote address is `/webrtc/p2p/<relay>`: no IP, no DNS
// name. libp2p 3.3.11's address manager then throws (getNetConfig, from DNSMappings.has) inside
// an event listener, uncaught, and the process exits; and the listener would advertise
// `/webrtc/p2p/<relay>/p2p-circuit`, which nobody can dial. The relay's own addresses, from its
// reservation reply, are real: they are kept. Only public interfaces are wrapped (the transport's
// components, Transport.createListener, Listener.getAddrs). test/net/background/webrtc-reservation.test.ts.
import { circuitRelayTransport, type CircuitRelayTransportComponents, type CircuitRelayTransportInit } from '@libp2p/circuit-relay-v2'
import { isNetworkAddress } from '@libp2p/utils'
import type { Logger, Transport } from '@libp2p/interface'
import type { AddressManager, ConfirmAddressOptions } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** An address manager that ignores confirming or withdrawing an address with no IP or DNS host (and logs it). */
export function hostAddressesOnly (addressManager: AddressManager, log: Logger): AddressManager {
  const skip = (what: string, ma: Multiaddr): boolean => {
    if (isNetworkAddress(ma)) return false
    log('not %s %a: it names no IP or DNS host (a relay reached over WebRTC), so nobody could dial it', what, ma)
    return true
  }
  return new Proxy(addressManager, {
    get (target, property, receiver) {
      if (property === 'confirmObservedAddr') {
        return (ma: Multiaddr, options?: ConfirmAddressOptions) => { if (!skip('confirming', ma)) target.confirmObservedAddr(ma, options) }
      }
      if (property === 'removeObservedAddr') {
        return (ma: Multiaddr) => { if (!skip('withdrawing', ma)) target.removeObservedAddr(ma) }
      }
      const value = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/** `circuitRelayTransport(init)` whose listeners confirm and advertise only addresses with an IP or DNS host. */
export function circuitRelayTransportOnHostAddresses (init: CircuitRelayTransportInit = {}): (components: CircuitRelayTransportComponents) => Transport {
  return (components) => {
    const log = components.logger.forComponent('p2pgo:circuit-relay:addresses')
    const addressManager = hostAddressesOnly(components.addressManager, log)
    const transport = circuitRelayTransport(init)(new Proxy(components, {
      get: (target, property, receiver) => property === 'addressManager' ? addressManager : Reflect.get(target, property, receiver)
    }))
    const createListener = transport.createListener.bind(transport)
    transport.createListener = (options) => {
      const listener = createListener(options)
      const getAddrs = listener.getAddrs.bind(listener)
      listener.getAddrs = () => getAddrs().filter(ma => isNetworkAddress(ma))
      return listener
    }
    return transport
  }
}
