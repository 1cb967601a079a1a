// `relayServer: "auto"`: a player's node relays for others only while it can be reached from the
// internet (a confirmed public address, or a UPnP mapping). The circuit relay server runs from the
// start; this gate adds and removes its hop protocol as the node's reach changes, so a node behind
// NAT never advertises a relay nobody could use, and identify tells peers when that changes.
import { RELAY_V2_HOP_CODEC } from '@libp2p/circuit-relay-v2'
import type { Reach } from './rung.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'

/** Whether a node with this reach should relay. */
export function shouldRelay (reach: Reach | undefined): boolean {
  return reach === 'public' || reach === 'upnp'
}

/** The circuit relay server's own hop handler (public on the class, not in its interface). */
type HopHandler = (stream: Stream, connection: Connection) => Promise<void>

export class RelayGate {
  private readonly libp2p: Libp2p
  private readonly onHop: HopHandler
  private queue: Promise<void> = Promise.resolve()

  constructor (libp2p: Libp2p, relay: CircuitRelayService) {
    this.libp2p = libp2p
    const onHop = (relay as unknown as { onHop?: HopHandler }).onHop
    if (typeof onHop !== 'function') throw new Error('this @libp2p/circuit-relay-v2 has no hop handler to gate')
    this.onHop = onHop
  }

  /** Whether the node relays now. */
  get relaying (): boolean {
    return this.libp2p.getProtocols().includes(RELAY_V2_HOP_CODEC)
  }

  /** Adds or removes the hop protocol for `reach`; calls are applied in order. */
  async update (reach: Reach | undefined): Promise<void> {
    this.queue = this.queue.then(async () => {
      const want = shouldRelay(reach)
      if (want === this.relaying) return
      if (want) {
        await this.libp2p.handle(RELAY_V2_HOP_CODEC, async (stream, connection) => { await this.onHop(stream, connection) }, { runOnLimitedConnection: true })
      } else {
        await this.libp2p.unhandle(RELAY_V2_HOP_CODEC)
      }
    })
    await this.queue
  }
}
