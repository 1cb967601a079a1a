// Full p2pgo nodes on 127.0.0.1 for the games-through-the-mailbox tests: bootstrap relays that
// hold (the `bootstrap` role), and players that listen only on relay slots, restarted from the
// same home (key and datastore) so their games persist. Every connection a player opens or
// accepts is recorded, to show whom it met.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import type { NodeEvents } from '../../../src/net/node.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore, Key } from 'interface-datastore'

export interface Home { readonly key: PrivateKey, readonly datastore: Datastore, readonly name: string }

export async function home (name: string): Promise<Home> {
  return { key: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), name }
}

/** Everything one run of a player's node saw: the peers it connected to, and its events. */
export interface Run {
  readonly node: P2pgoNode
  readonly met: Set<string>
  readonly events: Array<{ type: keyof NodeEvents, detail: any }>
}

const WATCHED: Array<keyof NodeEvents> = ['game:move', 'game:ended', 'game:closed', 'game:mail', 'rejected', 'game:started']

/** A bootstrap relay that holds for the players reserving on it; started. */
export async function relayNode (running: P2pgoNode[], now?: () => number): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], rendezvous: [] }
  const relay = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true, connectionMonitor: false, ...(now != null ? { now } : {}) })
  running.push(relay)
  await relay.start()
  return relay
}

/** A player listening only on a slot of a bootstrap relay; started, its connections and events recorded from the first. `now`: its clock (fake time). */
export async function playerRun (h: Home, relays: readonly P2pgoNode[], running: P2pgoNode[], now?: () => number): Promise<Run> {
  const bootstrap = relays.map(r => r.libp2p.getMultiaddrs()[0].toString())
  const config = { ...defaultConfig({ userName: h.name }), listen: relays.map(() => '/p2p-circuit'), bootstrap, rendezvous: [] }
  const node = await P2pgoNode.create({ privateKey: h.key, datastore: h.datastore, config, role: 'player', privateNetwork: true, connectionMonitor: false, ...(now != null ? { now } : {}) })
  running.push(node)
  const run: Run = { node, met: new Set(), events: [] }
  node.libp2p.addEventListener('connection:open', e => { run.met.add(e.detail.remotePeer.toString()) })
  for (const type of WATCHED) node.addEventListener(type, (e: any) => { run.events.push({ type, detail: e.detail }) })
  await node.start()
  return run
}

/** Stops a run's node and takes it off the running list. */
export async function stopRun (run: Run, running: P2pgoNode[]): Promise<void> {
  await run.node.stop()
  const i = running.indexOf(run.node)
  if (i >= 0) running.splice(i, 1)
}

/** Polls until `check` holds (bounded); tests assert outcomes, never timings. */
export async function until (check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

/** The act numbers a run left with holders so far (deposits that worked). */
export function mailed (run: Run, gameId: string): number[] {
  return run.events.filter(e => e.type === 'game:mail' && e.detail.gameId === gameId && e.detail.ok === true).flatMap(e => e.detail.acts as number[])
}

/** Whether a run left an ack counting `n` of the opponent's acts. */
export function ackedByMail (run: Run, gameId: string, n: number): boolean {
  return run.events.some(e => e.type === 'game:mail' && e.detail.gameId === gameId && e.detail.ok === true && e.detail.ack >= n)
}

/** The keys of what a relay holds for `recipient` (protocols/mailbox.md, "What holders see and keep"). */
export async function heldFor (relay: P2pgoNode, recipient: string): Promise<Key[]> {
  const out: Key[] = []
  for await (const key of relay.datastore.queryKeys({ prefix: `/p2pgo/mailbox/held/${recipient}/` })) out.push(key)
  return out
}

/** Connects `from` to `to` through the relays (a try may meet a reservation not yet in place); then a challenge can go. */
export async function meet (from: Run, to: Run): Promise<void> {
  await from.node.libp2p.peerStore.merge(to.node.libp2p.peerId, { multiaddrs: to.node.libp2p.getMultiaddrs() })
  const errors = new Map<string, number>()
  await until(async () => {
    try {
      await from.node.libp2p.dial(to.node.libp2p.peerId, { signal: AbortSignal.timeout(5_000) })
      return true
    } catch (err) {
      const message = (err as Error).message
      errors.set(message, (errors.get(message) ?? 0) + 1)
      // A second between tries: a reservation may take that long to be in place.
      await new Promise(resolve => setTimeout(resolve, 1000))
      return false
    }
  }, `${from.node.name} to reach ${to.node.name} through the relay`, 60_000).catch(err => {
    // What each side held when the tries ran out: the next failure says more than the last error.
    const connections = (run: Run): string => run.node.libp2p.getConnections().map(c => `${c.remoteAddr.toString()} ${c.direction} ${c.status}${c.limits != null ? ' limited' : ''}`).join(', ')
    throw new Error(`${(err as Error).message} (errors: ${[...errors].map(([m, n]) => `${n}x ${m}`).join('; ')}; ${to.node.name}'s addresses: ${to.node.libp2p.getMultiaddrs().join(' ')}; ${from.node.name}'s connections: ${connections(from)}; ${to.node.name}'s connections: ${connections(to)})`)
  })
}
