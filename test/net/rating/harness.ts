// A network of full p2pgo nodes on 127.0.0.1 for the rating tests and benchmarks: one bootstrap
// node, every other node joins through it only, and games are played for real (challenge,
// signed acts, co-signed result) with one side resigning.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { expect } from 'vitest'
import { DHT_PROTOCOL, LOOPBACK_ALLOW } from '../../../src/net/constants.js'
import { DhtRecords } from '../../../src/net/rating/dht-records.js'
import { RECORD_TTL } from '../../../src/rating/constants.js'
import { encodeRatingRecord, signRatingRecord } from '../../../src/rating/rating-record.js'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import type { ConnectionLimits } from '../../../src/net/connection-trimmer/index.js'
import { until } from '../../helpers/game-nodes.js'
import type { GameTerms } from '../../../src/wire/game-start.js'
import { setMaxListeners, type ConnectionGater, type PeerId, type PrivateKey } from '@libp2p/interface'
import type { GossipsubOpts } from '@libp2p/gossipsub'

export interface NetNode { node: P2pgoNode, key: PrivateKey }

/**
 * Starts a full node that joins through `bootstrap` (none for the first). `monitor: false` turns
 * off libp2p's connection pings, for networks of dozens of nodes on one thread.
 */
export async function startNode (bootstrap: string[] = [], name = 'player', now?: () => number, options: { monitor?: boolean, gater?: ConnectionGater, gossip?: Partial<GossipsubOpts>, connectionLimits?: ConnectionLimits } = {}): Promise<NetNode> {
  const key = await generateKeyPair('Ed25519')
  const config = { ...defaultConfig({ userName: name }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, ...(now != null ? { now } : {}), ...(options.monitor === false ? { connectionMonitor: false } : {}), ...(options.gater != null ? { connectionGater: options.gater } : {}), ...(options.gossip != null ? { gossip: options.gossip } : {}), ...(options.connectionLimits != null ? { connectionLimits: options.connectionLimits } : {}) })
  // Every node here accepts any challenge: the tests drive both sides.
  node.decide = async () => ({ accept: true })
  await node.start()
  return { node, key }
}

/** A bootstrap node and `n - 1` nodes joined through it; resolves once every routing table has peers. */
export async function startNetwork (n: number, now?: () => number): Promise<NetNode[]> {
  const first = await startNode([], 'boot', now)
  const address = first.node.libp2p.getMultiaddrs()[0].toString()
  const rest = await Promise.all(Array.from({ length: n - 1 }, async (_, i) => startNode([address], `p${i + 1}`, now)))
  const all = [first, ...rest]
  // A generous bound: twenty nodes joining at once on a loaded machine took over 20 s.
  await until(() => all.every(x => routingTableSize(x) >= Math.min(3, n - 1)), 'routing tables', 90_000)
  return all
}

/** Peers in a node's DHT routing table (kad-dht keeps it off its published interface). */
export function routingTableSize (x: NetNode): number {
  return (x.node.libp2p.services.dht as unknown as { routingTable: { size: number } }).routingTable.size
}

export async function stopAll (nodes: readonly NetNode[]): Promise<void> {
  await Promise.all(nodes.map(async x => x.node.stop().catch(() => {})))
}

export const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** Plays one game between two nodes, `loser` resigning at once; resolves when both have applied it to their ratings. */
export async function playGame (proposer: NetNode, accepter: NetNode, loser: 'proposer' | 'accepter', gameTerms: GameTerms = terms): Promise<void> {
  const applied = Promise.all([proposer, accepter].map(async x => new Promise<void>(resolve => {
    x.node.ratings.addEventListener('rating', () => { resolve() }, { once: true })
  })))
  const started = await proposer.node.challenge.propose(accepter.node.libp2p.peerId, { terms: gameTerms, color: 'black', name: 'proposer' }, { signal: AbortSignal.timeout(20_000) })
  const gameId = started.gameId
  const who = loser === 'proposer' ? proposer : accepter
  await until(() => who.node.games.session(gameId) != null, 'the game to start on both sides')
  await until(() => (loser === 'proposer' ? accepter : proposer).node.games.session(gameId) != null, 'the game to start on both sides')
  await who.node.games.perform(gameId, s => s.resign())
  await withTimeout(applied, 30_000, 'both ratings to change')
}

export async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`timed out waiting for ${what}`)) }, ms) })])
  } finally {
    clearTimeout(timer)
  }
}

/** Puts a value straight into the DHT from a node (stored there unchecked, as kad-dht does); how many peers took it. */
export async function rawPut (from: NetNode, key: Uint8Array, value: Uint8Array): Promise<number> {
  let stored = 0
  // kad-dht hangs an abort listener per request on the signal: more than Node's warning level of 10.
  const signal = AbortSignal.timeout(20_000)
  setMaxListeners(Infinity, signal)
  try {
    for await (const e of from.node.libp2p.services.dht.put(key, value, { signal })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') stored++
    }
  } catch {}
  return stored
}

/** A rating record of `key`'s peer at `seq`. */
export async function signed (key: PrivateKey, seq: number): Promise<Uint8Array> {
  const peer = peerIdFromPrivateKey(key).toMultihash().bytes
  const now = Date.now()
  return encodeRatingRecord(await signRatingRecord(key, { peer, seq, updated: now, expires: now + RECORD_TTL, sizes: {}, relay: { delivered: 0, failed: 0, served: 0 } }))
}

/** A plain kad-dht client that may dial `only` and nobody else: its PUT reaches that one peer. */
export async function putTo (only: NetNode, key: Uint8Array, value: Uint8Array): Promise<void> {
  const target: PeerId = only.node.libp2p.peerId
  const records = new DhtRecords()
  const client: Libp2p<{ dht: KadDHT }> = await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionGater: { denyDialPeer: async peer => !peer.equals(target) },
    connectionMonitor: { enabled: false },
    services: { identify: identify(), ping: ping({ maxOutboundStreams: 16 }), dht: kadDHT({ protocol: DHT_PROTOCOL, clientMode: true, peerInfoMapper: passthroughMapper, validators: records.validators(), selectors: records.selectors() }) }
  })
  try {
    await client.dial(only.node.libp2p.getMultiaddrs()[0])
    await until(() => (client.services.dht as unknown as { routingTable: { size: number } }).routingTable.size > 0, 'the peer in the client\'s routing table')
    let stored = false
    for await (const e of client.services.dht.put(key, value, { signal: AbortSignal.timeout(20_000) })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE' && e.from.equals(target)) stored = true
    }
    expect(stored).toBe(true)
  } finally {
    await client.stop()
  }
}

export { until }
