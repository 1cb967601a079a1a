// How p2pgo's DHT record store (src/net/rating/record-store.ts) sits under @libp2p/kad-dht
// (16.4.5) through its public components only: kad-dht is given the node's datastore wrapped
// by the store, and a registrar whose handler for kad-dht's protocol runs each inbound stream
// as its sender (peer and address bucket). kad-dht's PUT_VALUE handler stores a record from
// within that stream's handling (rpc/handlers/put-value.js: validate, then datastore.put), so
// the store knows whom a record came from. test/net/adapters/kad-dht-store.test.ts fails,
// naming the version, if an upgrade stores records elsewhere or outside that handling.
import { addressBucket } from '../rating/store-admission.js'
import type { RecordStore } from '../rating/record-store.js'
import type { Connection, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/** The sender of what arrives on a connection: its peer and the bucket of its remote address. */
export function senderOf (connection: Connection): { peer: string, address: string } {
  const peer = connection.remotePeer.toString()
  return { peer, address: addressBucket(connection.remoteAddr.getComponents(), peer) }
}

/** A registrar that is `registrar`, except that every handler it is given runs each stream as that stream's sender. */
function sendingRegistrar (registrar: Registrar, store: RecordStore): Registrar {
  return new Proxy(registrar, {
    get (target, prop) {
      if (prop === 'handle') {
        return async (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void> => {
          const asSender: StreamHandler = async (stream: Stream, connection: Connection) => store.asSender(senderOf(connection), async () => handler(stream, connection))
          await target.handle(protocol, asSender, options)
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/** Wraps a kad-dht service factory so that the records it stores go through `store`. */
export function withRecordStore<T> (factory: (components: any) => T, store: RecordStore): (components: any) => T {
  return components => {
    store.logTo(components.logger.forComponent('p2pgo:dht-store'))
    let datastore: unknown
    let registrar: unknown
    return factory(new Proxy(components, {
      get (target, prop) {
        if (prop === 'datastore') return (datastore ??= store.wrap(Reflect.get(target, prop, target)))
        if (prop === 'registrar') return (registrar ??= sendingRegistrar(Reflect.get(target, prop, target), store))
        return Reflect.get(target, prop, target)
      }
    }))
  }
}
