// p2pgo's two Kademlia DHTs, as kubo runs them (go-libp2p-kad-dht's `dual` package): the WAN DHT
// (/p2pgo/kad/1.0.0) holds peers by their public addresses, the LAN DHT (/p2pgo/lan/kad/1.0.0)
// by their private ones. A club on a LAN with no internet has only the LAN one; a node on the
// internet has mostly the WAN one; every rating record, co-signed result and seek goes to both
// and is looked up in both. A DHT that knows nobody is left out of an operation (an empty
// kad-dht would hold the query until a peer joins); while neither knows anyone, the operation
// waits until one does, as kad-dht waits, within the caller's signal.
import merge from 'it-merge'
import { optional } from '../components.js'
import { routingTableSize } from '../peers/empty-routing.js'
import { setMaxListeners, type AbortOptions } from '@libp2p/interface'
import type { KadDHT, QueryEvent } from '@libp2p/kad-dht'
import type { CID } from 'multiformats/cid'

/** How often an operation looks again for a DHT that knows someone, while none does. */
const WAIT_POLL_MS = 250

/** Peers in each DHT's routing table. */
export interface DhtSizes {
  readonly wan: number
  readonly lan: number
}

/** The DHTs a node runs: always the WAN one, the LAN one unless the node is on a private network only (`--local`). */
export class DualDht {
  readonly wan: KadDHT
  readonly lan: KadDHT | undefined

  constructor (wan: KadDHT, lan?: KadDHT) {
    this.wan = wan
    this.lan = lan
  }

  /** Both DHTs' routing table sizes. */
  sizes (): DhtSizes {
    return { wan: routingTableSize(this.wan), lan: this.lan != null ? routingTableSize(this.lan) : 0 }
  }

  /**
   * The DHTs to use now: those that know someone; while none does, waits until one does (or
   * `signal` aborts). With one DHT only, that one, at once (kad-dht does its own waiting).
   */
  async active (options: AbortOptions = {}): Promise<KadDHT[]> {
    if (this.lan == null) return [this.wan]
    for (;;) {
      const known = this.knowing()
      if (known.length > 0) return known
      options.signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(done, WAIT_POLL_MS)
        function done (): void {
          options.signal?.removeEventListener('abort', stop)
          resolve()
        }
        function stop (): void {
          clearTimeout(timer)
          reject(options.signal?.reason)
        }
        options.signal?.addEventListener('abort', stop, { once: true })
      })
    }
  }

  /** Puts a value in every DHT that knows someone; their events, merged. */
  async * put (key: Uint8Array, value: Uint8Array, options: AbortOptions = {}): AsyncGenerator<QueryEvent> {
    manyListeners(options)
    yield * merge(...(await this.active(options)).map(d => d.put(key, value, options)))
  }

  /** Gets a value from every DHT that knows someone; their events, merged (each gives its own best VALUE). */
  async * get (key: Uint8Array, options: AbortOptions = {}): AsyncGenerator<QueryEvent> {
    manyListeners(options)
    yield * merge(...(await this.active(options)).map(d => d.get(key, options)))
  }

  /** Announces this node as a provider of `key` in every DHT that knows someone. */
  async * provide (key: CID, options: AbortOptions = {}): AsyncGenerator<QueryEvent> {
    manyListeners(options)
    yield * merge(...(await this.active(options)).map(d => d.provide(key, options)))
  }

  /** Providers of `key` from every DHT that knows someone (a provider may come from both). */
  async * findProviders (key: CID, options: AbortOptions = {}): AsyncGenerator<QueryEvent> {
    manyListeners(options)
    yield * merge(...(await this.active(options)).map(d => d.findProviders(key, options)))
  }

  /** Stops re-announcing `key` in both DHTs. */
  async cancelReprovide (key: CID): Promise<void> {
    await Promise.all(this.all().map(async d => { await d.cancelReprovide(key) }))
  }

  /** Both DHTs (the LAN one where it runs). */
  all (): KadDHT[] {
    return this.lan != null ? [this.wan, this.lan] : [this.wan]
  }

  private knowing (): KadDHT[] {
    return this.all().filter(d => routingTableSize(d) > 0)
  }
}

/**
 * A query asks up to 20 peers, three at a time, and kad-dht hangs an abort listener per request
 * on the caller's signal: past Node's default of 10 that warns of a leak that is not one.
 */
function manyListeners (options: AbortOptions): void {
  if (options.signal != null) setMaxListeners(Infinity, options.signal)
}

/** The node's DHTs from libp2p's components: the services `dht` and, where it runs, `lanDht`. */
export function dualDhtOf (components: { dht: KadDHT, lanDht?: KadDHT }): DualDht {
  return new DualDht(components.dht, optional(() => components.lanDht))
}
