// Real nodes on 127.0.0.1 for the mailbox tests: holders run as a bootstrap relay does (a circuit
// relay server, `mailbox({ holder: true })`); players listen only on relay slots, so they are
// reachable only through the relays and meet each other nowhere else.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { libp2pDefaults, type P2pgoServices } from '../../../src/net/libp2p-defaults.js'
import { relayOf } from '../../../src/net/address-order.js'
import { mailbox, type MailboxInit, type MailboxService } from '../../../src/net/mailbox/index.js'
import type { PrivateKey } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

export type MailNode = Libp2p<P2pgoServices & { mailbox: MailboxService }>

/** What survives a node's restart: its key, its datastore, and (a holder's) its port. */
export interface Home { key: PrivateKey, datastore: Datastore, port?: number }

export async function home (): Promise<Home> {
  return { key: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore() }
}

/** A holder: a relay server with the mailbox's holder side; started. Restarted on the same port when `h.port` is set. */
export async function holderNode (h: Home, init: MailboxInit = {}): Promise<MailNode> {
  const config = libp2pDefaults({ privateKey: h.key, datastore: h.datastore, listen: [`/ip4/127.0.0.1/tcp/${h.port ?? 0}`], privateNetwork: true, dhtClientMode: false, connectionMonitor: false, relayServer: {} })
  const node = await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), mailbox: mailbox({ holder: true, ...init }) } }) as unknown as MailNode
  await node.start()
  h.port = Number(/\/tcp\/(\d+)/.exec(node.getMultiaddrs()[0].toString())?.[1])
  return node
}

/** A player that listens only on a slot on each of `relays`; started. */
export async function playerNode (h: Home, relays: readonly MailNode[], init: MailboxInit = {}): Promise<MailNode> {
  // One configured relay reserves as the node starts; more than one is a slot each, found among the bootstrap peers.
  const listen = relays.length === 1 ? [`${relays[0].getMultiaddrs()[0].toString()}/p2p-circuit`] : relays.map(() => '/p2p-circuit')
  const bootstrap = relays.map(r => r.getMultiaddrs()[0].toString())
  const config = libp2pDefaults({ privateKey: h.key, datastore: h.datastore, listen, bootstrap, privateNetwork: true, connectionMonitor: false, dhtClientMode: true })
  const node = await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), mailbox: mailbox({ collectDelayMs: 0, ...init }) } }) as unknown as MailNode
  await node.start()
  return node
}

/** The relays whose circuit addresses a node announces (those holding its reservations). */
export function relaysOf (node: Libp2p): string[] {
  return [...new Set(node.getMultiaddrs().map(relayOf).filter(r => r != null))].sort()
}

/** Where a holder keeps an envelope for a recipient in its datastore (protocols/mailbox.md, "What holders see and keep"). */
export function heldKey (recipient: string, id: string): Key {
  return new Key(`/p2pgo/mailbox/held/${recipient}/${id}`)
}

/** Polls until `check` holds (bounded); tests assert outcomes, never timings. */
export async function until (check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** The part of a connection manager the mailbox client uses, from a node's public API. */
export function connectionsOf (node: Libp2p): ConnectionManager {
  return { getConnections: (peer?: any) => node.getConnections(peer), openConnection: async (target: any, options?: any) => await node.dial(target, options) } as unknown as ConnectionManager
}
