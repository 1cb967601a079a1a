import { multiaddr } from '@multiformats/multiaddr'
import { relayOf } from '../address-order.js'
import { BOOTSTRAP_REDIAL_INTERVAL } from './constants.js'
import type { BootstrapRedialComponents, BootstrapRedialInit } from './index.js'
import type { Logger, Startable } from '@libp2p/interface'

/** See `bootstrapRedial()` in index.ts. */
export class BootstrapRedial implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:bootstrap-redial'
  private readonly components: BootstrapRedialComponents
  private readonly init: BootstrapRedialInit
  private readonly log: Logger
  private readonly interval: number
  private timer: ReturnType<typeof setInterval> | undefined

  constructor (components: BootstrapRedialComponents, init: BootstrapRedialInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:node')
    this.interval = init.interval ?? BOOTSTRAP_REDIAL_INTERVAL
  }

  async start (): Promise<void> {
    if (this.timer != null || this.init.peers.length === 0) return
    this.timer = setInterval(() => { this.redial() }, this.interval)
    this.timer.unref?.()
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One look: dials the bootstrap peers this node needs and is not connected to. */
  redial (): void {
    const { connectionManager } = this.components
    const connections = connectionManager.getConnections()
    const alone = connections.length === 0
    if (!alone && this.reservationsHeld() >= this.init.reservations) return
    for (const address of this.init.peers) {
      const peer = address.split('/p2p/').pop()
      if (!alone && connections.some(c => c.remotePeer.toString() === peer)) continue
      connectionManager.openConnection(multiaddr(address), { signal: AbortSignal.timeout(this.interval) }).catch(err => {
        this.log('bootstrap peer %s still unreachable - %e', address, err)
      })
    }
  }

  /** How many relays hold a reservation for this node now (its circuit addresses name them). */
  private reservationsHeld (): number {
    return new Set(this.components.addressManager.getAddresses().map(relayOf).filter(r => r != null)).size
  }
}
