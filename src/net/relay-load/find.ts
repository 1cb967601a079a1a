// Relays found in p2pgo's DHTs: the providers of relayProviderKey(), from the LAN and the WAN
// DHT together, each once, with a bounded number of addresses, a bounded count, within a signal.
import { relayProviderKey } from './key.js'
import { MAX_RELAY_ADDRESSES, MAX_RELAYS_FOUND } from './constants.js'
import type { DualDht } from '../dht/dual-dht.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A relay as the DHT names it: who, and where the DHT says it listens (possibly nowhere). */
export interface FoundRelay {
  readonly id: PeerId
  readonly multiaddrs: Multiaddr[]
}

export interface FindRelaysOptions {
  readonly signal: AbortSignal
  /** Relays yielded at most; MAX_RELAYS_FOUND when absent. */
  readonly max?: number
  /** This node, when it relays itself: never yielded. */
  readonly self?: PeerId
  /** The network's name in the key; the default network when absent. */
  readonly network?: string
}

/**
 * Relays found in both DHTs (DualDht.findProviders): each provider's peer ID and multiaddrs,
 * each peer once, at most `max`, within the signal. A provider the DHTs name first without an
 * address is held back while another answer may still give it one, and yielded at the end with
 * none (a caller may still find its addresses by peer routing).
 */
export async function * findRelays (dht: DualDht, options: FindRelaysOptions): AsyncGenerator<FoundRelay> {
  const max = options.max ?? MAX_RELAYS_FOUND
  if (max <= 0) return
  const self = options.self?.toString()
  const yielded = new Set<string>()
  const bare = new Map<string, PeerId>()
  try {
    for await (const event of dht.findProviders(relayProviderKey(options.network), { signal: options.signal })) {
      if (event.name !== 'PROVIDER') continue
      for (const provider of event.providers) {
        const key = provider.id.toString()
        if (key === self || yielded.has(key)) continue
        if (provider.multiaddrs.length === 0) {
          bare.set(key, provider.id)
          continue
        }
        bare.delete(key)
        yielded.add(key)
        yield { id: provider.id, multiaddrs: provider.multiaddrs.slice(0, MAX_RELAY_ADDRESSES) }
        if (yielded.size >= max) return
      }
    }
  } catch (err) {
    // The caller's limit ends the search; what was found stands.
    if (!options.signal.aborted) throw err
  }
  for (const id of bare.values()) {
    if (yielded.size >= max) return
    yielded.add(id.toString())
    yield { id, multiaddrs: [] }
  }
}
