// The external address the home router reports over UPnP IGD, learnt from what @libp2p/upnp-nat
// asks anyway: p2pgo hands upnp-nat (its public `portMappingClient` option) the client of
// @achingbrain/nat-port-mapper, wrapped so that every gateway it finds tells p2pgo what its
// `externalIp()` answered. upnp-nat asks as soon as it finds a gateway, then every 30 s; no
// request of p2pgo's own reaches the router. double-nat.ts judges the answer.
import { upnpNat, type FindGatewaysOptions, type Gateway, type UPnPNAT } from '@achingbrain/nat-port-mapper'
import type { AbortOptions } from '@libp2p/interface'

/** What the NAT type service reads. */
export interface GatewayAddressReader {
  /** The router's external address as it last reported it ('' when it reported none); undefined until a gateway answered. */
  address: () => string | undefined
}

/**
 * A UPnP IGD client for `uPnPNAT({ portMappingClient })` that remembers the gateway's external address.
 *
 * @example
 * const gateway = new GatewayAddressWatch()
 * services: { upnp: uPnPNAT({ portMappingClient: gateway.client }) }
 * gateway.address() // '100.64.3.2' once the router answered
 */
export class GatewayAddressWatch implements GatewayAddressReader {
  readonly client: UPnPNAT
  private latest: string | undefined

  /** `client` defaults to nat-port-mapper's own, mappings described as 'p2pgo' (upnp-nat's other defaults). */
  constructor (client: UPnPNAT = upnpNat({ description: 'p2pgo' })) {
    const watched = (gateway: Gateway): Gateway => this.watched(gateway)
    this.client = {
      async * findGateways (options?: FindGatewaysOptions) {
        for await (const gateway of client.findGateways(options)) yield watched(gateway)
      },
      async getGateway (descriptor: URL, options?: AbortOptions) {
        return watched(await client.getGateway(descriptor, options))
      }
    }
  }

  address (): string | undefined {
    return this.latest
  }

  /** The gateway, its `externalIp()` answer kept (an error keeps the last answer). */
  private watched (gateway: Gateway): Gateway {
    const seen = (address: string): string => {
      this.latest = typeof address === 'string' ? address : ''
      return address
    }
    return {
      id: gateway.id,
      host: gateway.host,
      port: gateway.port,
      family: gateway.family,
      stop: async (options) => { await gateway.stop(options) },
      map: async (internalPort, internalHost, options) => await gateway.map(internalPort, internalHost, options),
      mapAll: (internalPort, options) => gateway.mapAll(internalPort, options),
      unmap: async (internalPort, options) => { await gateway.unmap(internalPort, options) },
      externalIp: async (options) => seen(await gateway.externalIp(options))
    }
  }
}
