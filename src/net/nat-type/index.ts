// The NAT type service: probes the node's STUN servers at start and every NAT_REPROBE_MS, and
// holds the latest classification for the path upgrader (no hole punch behind a symmetric NAT)
// and for `p2pgo doctor`.
import { NAT_REPROBE_MS } from './constants.js'
import { classifyDoubleNat, type DoubleNatVerdict } from './double-nat.js'
import { probeNatType } from './stun-probe.js'
import type { NatClassification } from './classify.js'
import type { GatewayAddressReader } from './gateway-address.js'
import type { ComponentLogger, Logger, Startable } from '@libp2p/interface'

export { canHolePunch, classifyNat, natTypeText, type NatClassification, type NatType, type StunAnswer } from './classify.js'
export { probeNatType, stunServerOf } from './stun-probe.js'
export { classifyDoubleNat, isPrivateOrShared, type DoubleNatVerdict } from './double-nat.js'
export { GatewayAddressWatch, type GatewayAddressReader } from './gateway-address.js'

export interface NatTypeInit {
  /** STUN servers as `stun:host:port` URLs (the node's `stun` list: its config, else its bootstrap relays' hosts). */
  readonly servers: readonly string[]
  /** How often to probe again (default NAT_REPROBE_MS). */
  readonly reprobeMs?: number
  /** The UPnP gateway's external address (gateway-address.ts); absent when UPnP is off. */
  readonly gateway?: GatewayAddressReader
}

export interface NatTypeComponents {
  logger: ComponentLogger
}

/** What other services read: the latest classification, undefined until the first probe is done. */
export interface NatTypeReader {
  classification: () => NatClassification | undefined
}

/**
 * Knows what kind of NAT this node sits behind, from STUN.
 *
 * @example
 * services: { natType: natType({ servers: ['stun:relay1.example.org:3478', 'stun:relay2.example.org:3478'] }) }
 * node.services.natType.classification()?.type // 'endpoint-independent'
 */
export class NatTypeService implements Startable, NatTypeReader {
  private readonly init: NatTypeInit
  private readonly log: Logger
  private latest: NatClassification | undefined
  private running: Promise<NatClassification> | undefined
  private controller: AbortController | undefined
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (components: NatTypeComponents, init: NatTypeInit) {
    this.init = init
    this.log = components.logger.forComponent('p2pgo:nat-type')
  }

  readonly [Symbol.toStringTag] = 'p2pgo/nat-type'

  start (): void {
    if (this.controller != null) return
    this.controller = new AbortController()
    this.probe().catch(err => { this.log.error('NAT type probe failed - %e', err) })
    this.timer = setInterval(() => { this.probe().catch(err => { this.log.error('NAT type probe failed - %e', err) }) }, this.init.reprobeMs ?? NAT_REPROBE_MS)
    this.timer.unref?.()
  }

  stop (): void {
    this.controller?.abort()
    this.controller = undefined
    clearInterval(this.timer)
  }

  classification (): NatClassification | undefined {
    return this.latest
  }

  /**
   * Whether a second NAT stands beyond the router (double-nat.ts): the router's external address
   * over UPnP against what STUN saw; undefined until the first probe is done.
   */
  doubleNat (): DoubleNatVerdict | undefined {
    if (this.latest == null) return undefined
    if (this.init.gateway == null) return { double: null, gatewayAddress: null, reason: 'UPnP is off: a double NAT cannot be told' }
    return classifyDoubleNat(this.init.gateway.address(), this.latest.publicAddresses)
  }

  /** The classification, waiting for a probe under way (bounded by the probe's own timeout). */
  async known (): Promise<NatClassification | undefined> {
    return this.latest ?? await this.running?.catch(() => undefined)
  }

  /** Probes now (one probe at a time). */
  async probe (): Promise<NatClassification> {
    if (this.running != null) return this.running
    const signal = this.controller?.signal
    this.running = probeNatType(this.init.servers, signal != null ? { signal } : {}).then(result => {
      const found: NatClassification = { type: result.type, publicAddresses: result.publicAddresses, reason: result.reason }
      // A probe cut short by stop() is no answer about the NAT.
      if (signal?.aborted !== true) {
        if (this.latest?.type !== found.type) this.log('NAT type: %s (%s)', found.type, found.reason)
        this.latest = found
      }
      return found
    }).finally(() => { this.running = undefined })
    return this.running
  }
}

/** The NAT type service factory, in libp2p's shape. */
export function natType (init: NatTypeInit): (components: NatTypeComponents) => NatTypeService {
  return (components) => new NatTypeService(components, init)
}
