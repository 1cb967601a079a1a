// One address dialled by its transport, for the path upgrade (path-upgrade.ts says why not
// through libp2p's dial queue).
import type { Connection } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * Dials one address by its transport, given up when any of `stops` aborts while the dial is
 * under way, and never after: TCP hands the dial's signal to the socket (net.connect's `signal`),
 * which destroys the socket whenever it aborts, so the winning connection would die with the
 * attempt's other dials (`won`) or its time limit. libp2p's dial queue clears its signal the same way.
 */
export async function dialUntil (transports: Pick<TransportManager, 'dial'>, target: Multiaddr, stops: readonly AbortSignal[]): Promise<Connection> {
  const controller = new AbortController()
  const stop = (): void => { controller.abort() }
  for (const s of stops) s.addEventListener('abort', stop)
  try {
    if (stops.some(s => s.aborted)) controller.abort()
    return await transports.dial(target, { signal: controller.signal })
  } finally {
    for (const s of stops) s.removeEventListener('abort', stop)
  }
}
