// One watcher process of the watch benchmark: runs its share of full p2pgo nodes (the real
// protocol stack on 127.0.0.1, privateNetwork) that follow a live game as `p2pgo watch` does,
// and notes when each `watch:move` event came. Watchers join a few at a time, as people do.
import '../../src/polyfill.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { CID } from 'multiformats/cid'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import type { Holder, Reply, Request } from './messages.js'

/** Nodes started (and watchers joining) at once: dozens of handshakes together on two cores run past dial timeouts. */
const BATCH = 5

interface Watcher { readonly node: P2pgoNode, readonly at: Array<number | null>, followed: boolean }

const watchers: Watcher[] = []

function send (reply: Reply): void { process.send?.(reply) }

async function startWatcher (index: number, bootstrap: string[]): Promise<Watcher> {
  const config = { ...defaultConfig({ userName: `w${index}` }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  // No connection pings, as for the test's thirty watchers: dozens of nodes share one thread.
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, connectionMonitor: false })
  await node.start()
  return { node, at: [], followed: false }
}

async function follow (w: Watcher, game: CID, holders: Holder[]): Promise<void> {
  // The players' addresses, as their live entries in the lobby carry them.
  for (const h of holders) await w.node.libp2p.peerStore.merge(peerIdFromString(h.peer), { multiaddrs: h.addrs.map(a => multiaddr(a)) })
  const watching = await w.node.watch.watch(game, { holders: holders.map(h => peerIdFromString(h.peer)), signal: AbortSignal.timeout(60_000) })
  watching.addEventListener('watch:move', e => { w.at[e.detail.ply] ??= Date.now() })
  w.followed = true
}

async function handle (m: Request): Promise<void> {
  switch (m.t) {
    case 'start':
      for (let i = 0; i < m.count; i += BATCH) {
        watchers.push(...await Promise.all(Array.from({ length: Math.min(BATCH, m.count - i) }, async (_, j) => startWatcher(m.first + i + j, m.bootstrap))))
      }
      send({ t: 'started', id: m.id, addrs: watchers.map(w => w.node.libp2p.getMultiaddrs()[0].toString()), peers: watchers.map(w => w.node.peerId) })
      return
    case 'mesh':
      // Watchers know a few other watchers, as nodes that met on the network would (the test does the same).
      await Promise.all(watchers.map(async (w, i) => {
        for (const k of [1, 3, 7]) {
          const other = m.addrs[(m.first + i + k) % m.addrs.length]
          if (m.addrs.length > 1) await w.node.libp2p.dial(multiaddr(other)).catch(() => {})
        }
      }))
      send({ t: 'meshed', id: m.id })
      return
    case 'follow': {
      const game = CID.parse(m.game)
      const failed: string[] = []
      for (let i = 0; i < watchers.length; i += BATCH) {
        await Promise.all(watchers.slice(i, i + BATCH).map(async w => follow(w, game, m.holders).catch(err => { failed.push((err as Error).message) })))
      }
      send({ t: 'following', id: m.id, ok: watchers.length - failed.length, failed })
      return
    }
    case 'seen':
      send({ t: 'seen', id: m.id, at: watchers.map(w => Array.from(w.at, x => x ?? null)), followed: watchers.map(w => w.followed) })
      return
    case 'stop':
      await Promise.all(watchers.map(async w => w.node.stop().catch(() => {})))
      send({ t: 'stopped', id: m.id })
      setTimeout(() => process.exit(0), 100).unref()
  }
}

process.on('message', (m: Request) => {
  handle(m).catch(err => { send({ t: 'error', id: m.id, message: (err as Error).stack ?? String(err) }) })
})
// The coordinator gone (killed, crashed): leave no process behind.
process.on('disconnect', () => { process.exit(0) })
