// One run of the watch benchmark: two full p2pgo nodes (players, in this process, each with its
// own byte meter) play a game on 127.0.0.1 while N watcher nodes (in watcher processes) follow
// it. Measured: every byte the two players send while the game is played, per move and per
// protocol, and when each watcher's `watch:move` came after the mover's act.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { defaultConfig } from '../../src/config/config.js'
import { P2pgoNode } from '../../src/net/node.js'
import { ByteMeter, type ByteCount } from '../scale/byte-meter.js'
import { WatcherProcess } from './fleet.js'
import { PeerBytes } from './peer-bytes.js'
import { GossipTap } from './gossip-tap.js'
import type { CID } from 'multiformats/cid'
import type { GameTerms } from '../../src/wire/game-start.js'

export const TERMS: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }
/** Watchers per watcher process: two processes for 50, on a 2-core machine. */
const PER_PROCESS = 25

export interface RunOptions { readonly watchers: number, readonly moves: number, readonly pauseMs: number, readonly say: (line: string) => void }

export interface RunResult {
  readonly watchers: number
  /** Bytes out of both players while the game was played, all protocols. */
  readonly uploadBytes: number
  /** The control: bytes out of both players for a game of as many moves in the same network (the watcher nodes up) with nobody watching, the mean of one before and one after the watched game; null with no watchers. */
  readonly unwatchedUploadBytes: number | null
  /** The same by protocol ("/meshsub/1.1.0", "/p2pgo/watch/1.0.0", ...; "other" for unlabelled). */
  readonly uploadByProtocol: Record<string, number>
  /** The same by whom they went to: the other player, the bootstrap node, watchers, anyone else (a connection closed before the end). */
  readonly uploadByPeer: { opponent: number, bootstrap: number, watchers: number, other: number }
  /** What the players' gossipsub sent, by kind and topic ("IHAVE /p2pgo/lobby/...", "message ..."). */
  readonly uploadGossip: Record<string, number>
  /** Streams the players opened or accepted while the game was played, by "<protocol> <direction>". */
  readonly streams: Record<string, number>
  /** Per watcher, whether it followed the game (its `watch()` resolved). */
  readonly followed: boolean[]
  /** Watchers either player sent anything to while the game was played. */
  readonly watchersSentTo: number
  /** Bytes out of both players while the watchers joined (catch-up answers), before move 1. */
  readonly joinUploadBytes: number
  /** When each move was made (the mover's call), ms since the epoch. */
  readonly actAt: number[]
  /** Per watcher, per ply: when its `watch:move` came, or null. */
  readonly seenAt: Array<Array<number | null>>
  readonly seconds: number
}

interface Player { readonly node: P2pgoNode, readonly meter: ByteMeter, readonly peers: PeerBytes, readonly gossip: GossipTap }

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function until (ok: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!await ok()) {
    if (Date.now() > end) throw new Error(`gave up after ${ms / 1000} s waiting for ${what}`)
    await sleep(20)
  }
}

async function startPlayer (name: string, bootstrap: string[]): Promise<Player> {
  const meter = new ByteMeter()
  const peers = new PeerBytes()
  const config = { ...defaultConfig({ userName: name }), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, relayServer: 'off' as const }
  const node = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'player', privateNetwork: true, metrics: peers.wrap(meter.metrics) })
  node.decide = async () => ({ accept: true })
  const gossip = new GossipTap(node.libp2p.services.pubsub)
  await node.start()
  return { node, meter, peers, gossip }
}

/** Black fills rows 0 and 2, White rows 4 and 6 (then 1/3, 5/7): legal, nothing is ever captured, up to 70 moves. */
export function point (ply: number): { x: number, y: number } {
  const k = Math.floor(ply / 2)
  const black = ply % 2 === 0
  const row = [0, 2, 1, 3][Math.floor(k / 9) % 4]
  return { x: k % 9, y: (black ? 0 : 4) + row }
}

async function uploaded (players: Player[]): Promise<{ total: number, protocols: Record<string, number> }> {
  const protocols: Record<string, number> = {}
  let total = 0
  for (const p of players) {
    const read = await p.meter.read()
    total += read.total.out
    for (const [name, c] of Object.entries(read.protocols) as Array<[string, ByteCount]>) protocols[name === '' ? 'other' : name] = (protocols[name === '' ? 'other' : name] ?? 0) + c.out
  }
  return { total, protocols }
}

/** What grew between two snapshots of each player's counters, summed over the players. */
function grown (after: Array<Map<string, number>>, before: Array<Map<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  after.forEach((m, i) => {
    for (const [k, v] of m) {
      const d = v - (before[i].get(k) ?? 0)
      if (d > 0) out[k] = (out[k] ?? 0) + d
    }
  })
  return out
}

/** Splits what the players sent between two snapshots by the peer each connection went to. */
function byPeer (players: Player[], before: Array<Map<string, number>>, after: Array<Map<string, number>>, who: { boot: string, watchers: Set<string> }): Pick<RunResult, 'uploadByPeer' | 'watchersSentTo'> {
  const out = { opponent: 0, bootstrap: 0, watchers: 0, other: 0 }
  const reached = new Set<string>()
  players.forEach((p, i) => {
    const bare = (a: string): string => a.split('/p2p/')[0]
    const peerOf = new Map(p.node.libp2p.getConnections().map(c => [bare(c.remoteAddr.toString()), c.remotePeer.toString()]))
    const opponent = players[1 - i].node.peerId
    for (const [addr, bytes] of after[i]) {
      const d = bytes - (before[i].get(addr) ?? 0)
      if (d <= 0) continue
      const peer = peerOf.get(bare(addr))
      if (peer == null) out.other += d
      else if (peer === opponent) out.opponent += d
      else if (peer === who.boot) out.bootstrap += d
      else if (who.watchers.has(peer)) { out.watchers += d; reached.add(peer) } else out.other += d
    }
  })
  return { uploadByPeer: out, watchersSentTo: reached.size }
}

/** Black challenges White to a game on TERMS; resolves once both hold it. */
async function startGame (black: Player, white: Player): Promise<CID> {
  const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms: TERMS, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(30_000) })
  const gameId: CID = started.gameId
  await until(() => black.node.games.session(gameId) != null && white.node.games.session(gameId) != null, 'the game to start on both sides')
  return gameId
}

/** Plays `moves` moves (point), each once the opponent applied the last, `pauseMs` apart; when each was made. */
async function play (black: Player, white: Player, gameId: CID, moves: number, pauseMs: number): Promise<number[]> {
  const actAt: number[] = []
  for (let ply = 0; ply < moves; ply++) {
    const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
    actAt.push(Date.now())
    await mover.node.games.perform(gameId, async s => s.move(point(ply)))
    await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
    if (pauseMs > 0) await sleep(pauseMs)
  }
  return actAt
}

export async function runOnce (o: RunOptions): Promise<RunResult> {
  const boot = await startPlayer('boot', [])
  const bootstrap = [boot.node.libp2p.getMultiaddrs()[0].toString()]
  const [black, white] = await Promise.all([startPlayer('black', bootstrap), startPlayer('white', bootstrap)])
  const processes = Array.from({ length: Math.ceil(o.watchers / PER_PROCESS) }, (_, i) => new WatcherProcess(i))
  const onSignal = (): void => { for (const p of processes) p.child.kill('SIGKILL'); process.exit(130) }
  process.once('SIGINT', onSignal)
  try {
    const began = Date.now()
    const shares = processes.map((_, i) => Math.floor(o.watchers * (i + 1) / processes.length) - Math.floor(o.watchers * i / processes.length))
    const firsts = shares.map((_, i) => Math.floor(o.watchers * i / processes.length))
    const startedWatchers = await Promise.all(processes.map(async (p, i) => p.ask({ t: 'start', count: shares[i], first: firsts[i], bootstrap }, 'started')))
    const addrs = startedWatchers.flatMap(r => r.addrs)
    const watcherPeers = new Set(startedWatchers.flatMap(r => r.peers))
    await Promise.all(processes.map(async (p, i) => p.ask({ t: 'mesh', addrs, first: firsts[i] }, 'meshed')))
    o.say(`  ${o.watchers} watcher nodes in ${processes.length} processes started in ${((Date.now() - began) / 1000).toFixed(0)} s`)

    // Black knows White's addresses, as a seek in the lobby carries them.
    await black.node.libp2p.peerStore.merge(white.node.libp2p.peerId, { multiaddrs: white.node.libp2p.getMultiaddrs() })
    // The control: with watcher nodes in the network but none watching, a game's upload, before
    // and after the watched game (what the network itself sends, its census most, changes as
    // the fresh watcher nodes settle: the mean of the two brackets the watched game).
    const control = async (when: string): Promise<number> => {
      const game = await startGame(black, white)
      const start = await uploaded([black, white])
      await play(black, white, game, o.moves, o.pauseMs)
      await sleep(1000)
      const bytes = (await uploaded([black, white])).total - start.total
      o.say(`  the same network, nobody watching, ${when}: ${Math.round(bytes / o.moves)} B per move`)
      return bytes
    }
    const unwatchedBefore = o.watchers > 0 ? await control('before') : null
    const gameId = await startGame(black, white)
    const beforeJoin = await uploaded([black, white])
    const holders = [black, white].map(p => ({ peer: p.node.peerId, addrs: p.node.libp2p.getMultiaddrs().map(a => a.toString()) }))
    const follows = await Promise.all(processes.map(async p => p.ask({ t: 'follow', game: gameId.toString(), holders }, 'following')))
    const failed = follows.flatMap(f => f.failed)
    if (failed.length > 0) o.say(`  ${failed.length} watchers could not follow: ${[...new Set(failed)].join('; ')}`)
    // The joins' catch-up answers and subscriptions settle before the game's bytes are counted.
    await sleep(2000)
    const before = await uploaded([black, white])
    const peersBefore = [black.peers.snapshot(), white.peers.snapshot()]
    const gossipBefore = [black.gossip.snapshot(), white.gossip.snapshot()]
    const streamsBefore = [black.peers.streamsSnapshot(), white.peers.streamsSnapshot()]

    const t0 = Date.now()
    const actAt = await play(black, white, gameId, o.moves, o.pauseMs)
    // The last act's feed and gossip go out within a second on 127.0.0.1.
    await sleep(1000)
    const after = await uploaded([black, white])
    const peersAfter = [black.peers.snapshot(), white.peers.snapshot()]
    const uploadGossip = grown([black.gossip.snapshot(), white.gossip.snapshot()], gossipBefore)
    const streams = grown([black.peers.streamsSnapshot(), white.peers.streamsSnapshot()], streamsBefore)
    const { uploadByPeer, watchersSentTo } = byPeer([black, white], peersBefore, peersAfter, { boot: boot.node.peerId, watchers: watcherPeers })
    const seconds = (Date.now() - t0) / 1000
    const unwatchedAfter = o.watchers > 0 ? await control('after') : null
    const unwatchedUploadBytes = unwatchedBefore == null || unwatchedAfter == null ? null : (unwatchedBefore + unwatchedAfter) / 2

    let followed: boolean[] = []
    const seenAll = async (): Promise<Array<Array<number | null>>> => {
      const replies = await Promise.all(processes.map(async p => p.ask({ t: 'seen' }, 'seen')))
      followed = replies.flatMap(r => r.followed)
      return replies.flatMap(r => r.at)
    }
    let seenAt = await seenAll()
    const complete = (): boolean => seenAt.every((at, i) => !followed[i] || at.length >= o.moves && at.slice(0, o.moves).every(x => x != null))
    const deadline = Date.now() + 30_000
    while (!complete() && Date.now() < deadline) { await sleep(500); seenAt = await seenAll() }

    const uploadByProtocol: Record<string, number> = {}
    for (const [k, v] of Object.entries(after.protocols)) {
      const d = v - (before.protocols[k] ?? 0)
      if (d > 0) uploadByProtocol[k] = d
    }
    return { watchers: o.watchers, uploadBytes: after.total - before.total, unwatchedUploadBytes, uploadByProtocol, uploadByPeer, uploadGossip, streams, followed, watchersSentTo, joinUploadBytes: before.total - beforeJoin.total, actAt, seenAt, seconds }
  } finally {
    process.removeListener('SIGINT', onSignal)
    await Promise.all(processes.map(async p => p.stop()))
    await Promise.all([boot, black, white].map(async p => p.node.stop().catch(() => {})))
  }
}
