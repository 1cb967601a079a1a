// Fault tests for the community bootstrap relay: real `p2pgo bootstrap` processes are
// SIGKILLed in the middle of relayed games. A game goes on over another relay, or over a direct
// path, or (with no other path) resumes when the relay comes back, with no move lost or repeated.
// A relay restarted from the same home on the same port has the same identity and address, and
// the clients take their reservations on it again, also a client that never lost its other
// connections. Real relay processes and real nodes on 127.0.0.1; outcomes only, and every wait
// is a bounded safety net.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import { terms, until } from '../net/rating/harness.js'
import type { ConnectionGater } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

let dir: string
const procs: P2pgoProcess[] = []
const nodes: P2pgoNode[] = []

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'p2pgo-relay-fault-')) })
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => n.stop().catch(() => {})))
  for (const p of procs.splice(0)) {
    if (p.child.exitCode == null && p.child.signalCode == null) p.child.kill('SIGKILL')
    await p.exited
  }
  rmSync(dir, { recursive: true, force: true })
})

/** A port nothing listens on now, so a relay can be started on it twice (a restart keeps its address). */
async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => { resolve(port) })
    })
  })
}

/** A `p2pgo bootstrap` process; its identity lives in `home`. */
interface Relay {
  readonly proc: P2pgoProcess
  /** Its full TCP multiaddr, ending in /p2p/<peer ID>. */
  readonly address: string
  readonly peerId: string
}

/** Starts the relay daemon as a real process on 127.0.0.1 and waits for its addresses. */
async function relay (home: string, port = 0): Promise<Relay> {
  const proc = startP2pgo(['bootstrap', '--home', home, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--stun-port', '0', '--local'])
  procs.push(proc)
  let gone = false
  void proc.exited.then(() => { gone = true })
  await waitFor(() => gone || proc.lines.some(l => l.includes('/tcp/')), 'the relay to print its addresses', 45_000)
  if (gone) throw new Error(`the relay exited at start: ${proc.stderr()}`)
  const address = proc.lines.find(l => l.includes('/tcp/'))!.trim()
  return { proc, address, peerId: address.split('/p2p/')[1] }
}

/** A crash: SIGKILL, no goodbye to anyone. */
async function crash (r: Relay): Promise<void> {
  r.proc.child.kill('SIGKILL')
  await r.proc.exited
}

async function player (name: string, listen: string[], bootstrap: string[], connectionGater?: ConnectionGater): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: name }), listen, bootstrap, relayServer: 'off' as const }
  const n = await P2pgoNode.create({
    privateKey: await generateKeyPair('Ed25519'),
    datastore: new MemoryDatastore(),
    config,
    role: 'player',
    privateNetwork: true,
    ...(connectionGater != null ? { connectionGater } : {})
  })
  n.decide = async () => ({ accept: true })
  await n.start()
  nodes.push(n)
  return n
}

const circuits = (n: P2pgoNode): string[] => n.libp2p.getMultiaddrs().map(String).filter(a => a.includes('/p2p-circuit'))
/** The peer IDs of the relays a node holds a reservation on (its circuit addresses say which). */
const reservedOn = (n: P2pgoNode): string[] => [...new Set(circuits(n).map(a => a.split('/p2p-circuit')[0].split('/p2p/')[1]))]
/** How `from` reaches `to` now: the remote address of every open connection. */
const paths = (from: P2pgoNode, to: P2pgoNode): string[] => from.libp2p.getConnections(to.libp2p.peerId).filter(c => c.status === 'open').map(c => c.remoteAddr.toString())

/**
 * Points on even coordinates only: no two stones are ever orthogonal neighbours, so every stone
 * keeps four liberties, nothing is captured and every move in the list is legal in order.
 */
const POINTS = [0, 2, 4, 6, 8].flatMap(y => [0, 2, 4, 6, 8].map(x => ({ x, y })))
const expected = (n: number): string => POINTS.slice(0, n).map(p => `${p.x},${p.y}`).join(' ')

/** A game between Ann (black, the proposer) and Bob, and how many plies have been made. */
interface Game { readonly ann: P2pgoNode, readonly bob: P2pgoNode, readonly gameId: CID, ply: number }

async function startGame (ann: P2pgoNode, bob: P2pgoNode): Promise<Game> {
  const { gameId } = await ann.challenge.propose(bob.libp2p.peerId, { terms, color: 'black', name: 'ann' }, { signal: AbortSignal.timeout(20_000) })
  await until(() => bob.games.session(gameId) != null, 'the game at bob')
  return { ann, bob, gameId, ply: 0 }
}

const moves = (n: P2pgoNode, gameId: CID): string => n.games.session(gameId)!.game.moves.map(m => `${m.vertex?.x},${m.vertex?.y}`).join(' ')
const plies = (n: P2pgoNode, gameId: CID): number => n.games.session(gameId)!.game.moves.length

/** The side to move makes the next move in POINTS (stored, then sent and retried until acknowledged). */
async function move (g: Game): Promise<P2pgoNode> {
  const mover = g.ply % 2 === 0 ? g.ann : g.bob
  const point = POINTS[g.ply]
  await mover.games.perform(g.gameId, async s => s.move(point))
  g.ply++
  return mover
}

/** Plays `n` moves, each one arriving on both sides before the next. */
async function play (g: Game, n: number, ms = 30_000): Promise<void> {
  for (let i = 0; i < n; i++) {
    await move(g)
    await until(() => plies(g.ann, g.gameId) === g.ply && plies(g.bob, g.gameId) === g.ply, `move ${g.ply} on both sides`, ms)
  }
}

/** Every move once, in order, on both sides; every turn act once (none replayed or doubled), and acknowledged. */
async function expectIntact (g: Game): Promise<void> {
  expect(moves(g.ann, g.gameId)).toBe(expected(g.ply))
  expect(moves(g.bob, g.gameId)).toBe(expected(g.ply))
  for (const n of [g.ann, g.bob]) {
    expect(n.games.session(g.gameId)!.turnActs.map(t => t.ply)).toEqual(Array.from({ length: g.ply }, (_, i) => i))
  }
  // The last ack may still be on its way back to the mover.
  await until(() => [g.ann, g.bob].every(n => n.games.session(g.gameId)!.unacked.length === 0), 'every act acknowledged')
}

describe('a relay killed during a relayed game', () => {
  it('the game goes on over the player\'s other relay; the relay returns with the same identity and the player, still connected elsewhere, reserves on it again', async () => {
    const port = await freePort()
    const one = await relay(join(dir, 'one'), port)
    const two = await relay(join(dir, 'two'))
    // Bob has no address of his own: two relay slots, and both relays to fill them.
    const bob = await player('bob', ['/p2p-circuit', '/p2p-circuit'], [one.address, two.address])
    await until(() => reservedOn(bob).length === 2, 'reservations on both relays', 30_000)
    // Ann listens nowhere, so there is no direct path: only Bob's two relays.
    const ann = await player('ann', [], [two.address])
    await ann.libp2p.dial(multiaddr(circuits(bob).find(a => a.startsWith(one.address))!), { signal: AbortSignal.timeout(10_000) })
    const g = await startGame(ann, bob)
    await play(g, 2)
    expect(paths(ann, bob).length).toBeGreaterThan(0)
    expect(paths(ann, bob).every(a => a.startsWith(one.address))).toBe(true)

    await crash(one)
    await play(g, 4)
    expect(paths(ann, bob).length).toBeGreaterThan(0)
    expect(paths(ann, bob).every(a => a.startsWith(two.address))).toBe(true)
    await until(() => !reservedOn(bob).includes(one.peerId), 'bob to drop the reservation on the dead relay')
    await expectIntact(g)

    // Relay one comes back from its home on its port: same peer ID, same address. Bob never lost
    // his connections to relay two and Ann, yet he holds one reservation fewer than he listens
    // for, so he dials it again and reserves (BOOTSTRAP_REDIAL_INTERVAL, then identify).
    const back = await relay(join(dir, 'one'), port)
    expect(back.peerId).toBe(one.peerId)
    expect(back.address).toBe(one.address)
    expect(bob.libp2p.getConnections().length).toBeGreaterThan(0)
    await until(() => reservedOn(bob).includes(one.peerId) && reservedOn(bob).length === 2, 'bob to reserve on the returned relay', 45_000)
    expect(circuits(bob).some(a => a.startsWith(one.address))).toBe(true)
    // The game was never interrupted by any of this.
    await play(g, 2)
    await expectIntact(g)
  }, 120_000)

  it('the game goes on over a direct connection, the relayed player dialling the reachable one', async () => {
    const only = await relay(join(dir, 'relay'))
    // Ann is reachable on 127.0.0.1; Bob only through the relay.
    const ann = await player('ann', ['/ip4/127.0.0.1/tcp/0'], [only.address])
    // Until the relay dies, Bob may not dial Ann: otherwise the game's first upgrade attempt (at
    // once, on arrival on the relay) would take it off the relay before the fault. Afterwards the
    // direct path is there, as it is between a player behind NAT and a reachable one.
    let directOpen = false
    const bob = await player('bob', ['/p2p-circuit'], [only.address], {
      denyDialPeer: peer => !directOpen && peer.equals(ann.libp2p.peerId)
    })
    await until(() => reservedOn(bob).includes(only.peerId), 'bob\'s reservation', 30_000)
    await ann.libp2p.dial(multiaddr(circuits(bob)[0]), { signal: AbortSignal.timeout(10_000) })
    const g = await startGame(ann, bob)
    await play(g, 2)
    expect(paths(ann, bob).length).toBeGreaterThan(0)
    expect(paths(ann, bob).every(a => a.includes('/p2p-circuit'))).toBe(true)

    await crash(only)
    directOpen = true
    // The first move after the crash waits (stored, retried) until the game has its new path.
    await play(g, 4)
    const direct = bob.libp2p.getConnections(ann.libp2p.peerId).filter(c => c.status === 'open' && c.limits == null && !c.remoteAddr.toString().includes('/p2p-circuit'))
    expect(direct.length).toBeGreaterThan(0)
    expect(direct.some(c => c.direction === 'outbound')).toBe(true)
    expect(paths(ann, bob).every(a => !a.includes('/p2p-circuit'))).toBe(true)
    await expectIntact(g)
  }, 90_000)

  it('with no other path, a move made during the outage is kept and delivered once when the relay returns; both players reserve on it again', async () => {
    const port = await freePort()
    const first = await relay(join(dir, 'relay'), port)
    // Neither player can be reached except through this one relay.
    const ann = await player('ann', ['/p2p-circuit'], [first.address])
    const bob = await player('bob', ['/p2p-circuit'], [first.address])
    await until(() => reservedOn(ann).includes(first.peerId) && reservedOn(bob).includes(first.peerId), 'both reservations', 30_000)
    await ann.libp2p.dial(multiaddr(circuits(bob)[0]), { signal: AbortSignal.timeout(10_000) })
    const g = await startGame(ann, bob)
    await play(g, 2)

    await crash(first)
    await until(() => paths(ann, bob).length === 0 && paths(bob, ann).length === 0, 'both players to notice the relay is gone')
    await until(() => reservedOn(ann).length === 0 && reservedOn(bob).length === 0, 'both reservations to go with the relay')
    // Ann moves while there is no path at all: the move is hers at once and waits for delivery.
    const mover = await move(g)
    expect(mover).toBe(ann)
    expect(plies(ann, g.gameId)).toBe(3)
    expect(ann.games.session(g.gameId)!.unacked).toHaveLength(1)
    expect(plies(bob, g.gameId)).toBe(2)

    const back = await relay(join(dir, 'relay'), port)
    expect(back.peerId).toBe(first.peerId)
    expect(back.address).toBe(first.address)
    await until(() => reservedOn(ann).includes(back.peerId) && reservedOn(bob).includes(back.peerId), 'both players to reserve on the returned relay', 45_000)
    // The queued move arrives (the game's reconnect backs off up to MAX_RETRY_MS between tries).
    await until(() => plies(bob, g.gameId) === 3 && ann.games.session(g.gameId)!.unacked.length === 0, 'the queued move at bob', 60_000)
    await play(g, 3)
    await expectIntact(g)
  }, 150_000)
})
