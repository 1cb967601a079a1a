// libp2p's random walk (relay discovery, AutoNAT) asks peer routing for the closest peers to a
// random key in a loop with no pause: on a network too small to hold what it looks for (fewer
// relays than a node has /p2p-circuit slots, or its only relay gone) each round ends at once and
// the next begins, about a hundred lookups a second, burning a core on the node and much of one
// on the relay answering (measured: 54 % and 40 %). Pacing the lookups that come through the
// DHT's peer routing bounds the walk to one round per interval; p2pgo's own DHT lookups use the
// DHT directly and are not paced.
import { peerRoutingSymbol } from '@libp2p/interface'
import type { AbortOptions, PeerId, PeerInfo, PeerRouting } from '@libp2p/interface'

/** The shortest time between two closest-peer lookups through libp2p's peer routing. */
export const CLOSEST_PEERS_INTERVAL_MS = 1000

/** Waits `ms`, or less when `signal` aborts (then throws its reason). */
async function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return
  signal?.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason) }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface PacingClock {
  readonly now: () => number
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
}

/**
 * Peer routing whose `getClosestPeers` starts at most once per `intervalMs` (callers queue for
 * their turn); `findPeer` passes straight through.
 */
export function pacedPeerRouting (routing: PeerRouting, intervalMs = CLOSEST_PEERS_INTERVAL_MS, clock: PacingClock = { now: Date.now, sleep }): PeerRouting {
  let next = 0
  return {
    findPeer: async (peer: PeerId, options?: AbortOptions): Promise<PeerInfo> => routing.findPeer(peer, options),
    async * getClosestPeers (key: Uint8Array, options?: AbortOptions): AsyncGenerator<PeerInfo> {
      const at = Math.max(clock.now(), next)
      next = at + intervalMs
      await clock.sleep(at - clock.now(), options?.signal)
      yield * routing.getClosestPeers(key, options)
    }
  }
}

/** Wraps a DHT service factory so that the peer routing it gives libp2p is paced. */
export function withPacedPeerRouting<T extends object> (factory: (components: any) => T, intervalMs = CLOSEST_PEERS_INTERVAL_MS): (components: any) => T {
  return components => {
    const service = factory(components)
    const routing = (service as { [peerRoutingSymbol]?: PeerRouting })[peerRoutingSymbol]
    if (routing == null) return service
    const paced = pacedPeerRouting(routing, intervalMs)
    Object.defineProperty(service, peerRoutingSymbol, { get: () => paced, configurable: true })
    return service
  }
}
