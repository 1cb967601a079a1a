// How p2pgo's DHT record store (src/net/rating/record-store.ts) sits under @libp2p/kad-dht
// (16.4.5). kad-dht is given the node's datastore wrapped by the store (a public component), and
// its PUT_VALUE handler is replaced by one that does what kad-dht's does (rpc/handlers/put-value.js:
// deserialize, validate with the DHT's validators, stamp the time received, store under
// `/dht/record/<base32 key>`) but tells the store who sent the record. kad-dht's handler gives
// the datastore no sender, and its `RPC.handlers` table is not part of the published `KadDHT`
// interface: test/net/adapters/kad-dht-store.test.ts fails, naming the version, when an upgrade
// drops it. (An AsyncLocalStorage around the inbound stream would avoid the table, but on Node 20
// and 22 it turns on promise hooks for the whole process: promise-heavy code ran 2.5x slower.)
import { InvalidMessageError } from '@libp2p/interface'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { Key } from 'interface-datastore'
import { toString } from 'uint8arrays/to-string'
import { DHT_RECORD_PREFIX } from '../rating/constants.js'
import { namespaceOf } from '../dht/record-kinds.js'
import { addressBucket, type RecordSender } from '../rating/store-admission.js'
import type { RecordStore, StorePutOptions } from '../rating/record-store.js'
import type { PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Datastore } from 'interface-datastore'

/** A DHT message as kad-dht's RPC hands it to a handler (the fields a PUT_VALUE uses). */
interface DhtMessage { readonly key?: Uint8Array, readonly record?: Uint8Array }
interface RpcHandler { handle: (peer: PeerId, msg: DhtMessage) => Promise<DhtMessage | undefined> }

/** The sender of a record: its peer and the bucket of the address it is connected from (the first connection's). */
export function senderOf (peer: PeerId, connectionManager: ConnectionManager): RecordSender {
  const id = peer.toString()
  const connection = connectionManager.getConnections(peer)[0]
  return { peer: id, address: connection != null ? addressBucket(connection.remoteAddr.getComponents(), id) : `peer/${id}` }
}

/** kad-dht's table of inbound RPC handlers, or a clear error when this kad-dht has none. */
function rpcHandlers (dht: unknown): Record<string, RpcHandler> {
  const handlers = (dht as { rpc?: { handlers?: Record<string, RpcHandler> } }).rpc?.handlers
  if (handlers?.PUT_VALUE == null) throw new Error('this kad-dht has no rpc.handlers.PUT_VALUE: p2pgo needs @libp2p/kad-dht 16')
  return handlers
}

/** A PUT_VALUE handler that stores through `datastore` (the store's) with the sender said. */
function putHandler (dht: KadDHT, datastore: Datastore, connectionManager: () => ConnectionManager): RpcHandler {
  return {
    async handle (peer, msg) {
      if (msg.record == null) throw new InvalidMessageError(`Empty record from: ${peer.toString()}`)
      const record = DhtRecord.deserialize(msg.record)
      const namespace = namespaceOf(record.key)
      const validate = namespace != null ? dht.validators[namespace] : undefined
      if (validate == null) throw new InvalidMessageError(`No validator available for key type "${namespace ?? ''}"`)
      await validate(record.key, record.value)
      record.timeReceived = new Date()
      const options: StorePutOptions = { sender: senderOf(peer, connectionManager()) }
      await datastore.put(new Key(`${DHT_RECORD_PREFIX}/${toString(record.key, 'base32')}`, false), record.serialize().subarray(), options)
      return msg
    }
  }
}

/** Wraps a kad-dht service factory so that the records it stores go through `store`. */
export function withRecordStore<T extends KadDHT> (factory: (components: any) => T, store: RecordStore): (components: any) => T {
  return components => {
    store.logTo(components.logger.forComponent('p2pgo:dht-store'))
    const datastore = store.wrap(components.datastore)
    const dht = factory(new Proxy(components, {
      get (target, prop) {
        return prop === 'datastore' ? datastore : Reflect.get(target, prop, target)
      }
    }))
    rpcHandlers(dht).PUT_VALUE = putHandler(dht, datastore, () => components.connectionManager)
    return dht
  }
}
