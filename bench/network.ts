import '../src/polyfill.js'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { arch, cpus, platform, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { lobbyV2Topic } from '../src/net/lobby/v2/index.js'

/** The lobby topic of 9x9 players with a newcomer's rating: the bots here. */
const LOBBY_TOPIC = lobbyV2Topic(9, 6)
import { BLACK, WHITE } from '../src/game/constants.js'
import { agree, gameNode, lobbyNode, type GameNode, type LobbyNode } from './network/nodes.js'
import { procStatusKb, runP2pgo, startP2pgo, stop, waitFor, type P2pgoProcess } from './network/processes.js'
import { median, ms, rounded, summarize, type Summary } from './network/stats.js'
import type { Game } from '../src/game/game.js'
import type { Vertex } from '../src/game/vertex.js'
import type { CID } from 'multiformats/cid'
import { prng } from './network/prng.js'
import { runAsProgram } from './network/main.js'

/** Board size of the round-trip games: the usual game, and the largest act the protocol carries per move. */
const RTT_SIZE = 19
/** Moves timed after the warm-up, and the warm-up (not timed: JIT, first streams, first allocations). */
const RTT_MOVES = 600
const RTT_WARMUP = 100
/** A fresh game after this many moves: random play stays far from a full board, every move stays legal. */
const MOVES_PER_GAME = 150
/** Seed of the random moves, so every run plays the same games. */
const SEED = 0x9051
/** A move not applied and acknowledged within this is a failure, not a slow sample. */
const MOVE_TIMEOUT_MS = 5000

const GNUGO = '/usr/games/gnugo'
const ENGINE = `${GNUGO} --mode gtp --level 1`
/** Fresh bots started from scratch to time their way into the lobby. */
const LOBBY_RUNS = 5
/** How long the idle bot (and the bootstrap node) settle before their memory is read. */
const IDLE_MS = 10_000
/** Longest wait for one bot to show up in the lobby: a lost welcome republish costs a republish interval (30 s). */
const LOBBY_TIMEOUT_MS = 40_000
/** The whole benchmark is stopped (and fails) after this. */
const WATCHDOG_MS = 170_000

const LOCAL = '/ip4/127.0.0.1/tcp/0'

interface RttResult {
  readonly size: number
  readonly games: number
  readonly warmup: number
  /** perform(move) → the opponent's session applied it and the mover got the ack (performance.now). */
  readonly roundTripMs: Summary
  /** The mover's `delivery` event: send → ack, measured by the service with Date.now (1 ms resolution). */
  readonly deliveryMs: Summary
  /** perform(move) itself: make and sign the act, store it, hand it to the stream. */
  readonly performMs: Summary
  /** perform(move) → the opponent's `game:move` event alone (one way, plus the mover's local work). */
  readonly appliedMs: Summary
}

interface MemoryResult {
  readonly bootstrap: { readonly rssMb: number, readonly hwmMb: number }
  readonly bot?: { readonly rssMb: number, readonly hwmMb: number }
  readonly idleMs: number
  readonly note?: string
}

interface LobbyRun {
  readonly run: number
  readonly peerId: string
  /** spawn → the bot's `listening` JSON event. */
  readonly listeningMs: number
  /** spawn → the bot's `peer:connected` event for the bootstrap node. */
  readonly connectedMs: number
  /** spawn → the observer's `presence` event for the bot. */
  readonly presenceMs: number
  /** spawn → the observer's `seek` event for the bot's seek. */
  readonly seekMs?: number
}

interface LobbyResult {
  readonly runs: readonly LobbyRun[]
  readonly listeningMs: Summary
  readonly connectedMs: Summary
  readonly presenceMs: Summary
  /** listening → presence: the network's share. */
  readonly networkMs: Summary
  /** `p2pgo bootstrap` spawn → its address printed (one run). */
  readonly bootstrapStartMs: number
}

/** A random legal move for the player to move, or undefined when none is found quickly. */
function pickMove (game: Game, random: () => number): Vertex | undefined {
  if (game.phase !== 'play') return undefined
  for (let i = 0; i < 200; i++) {
    const v = { x: Math.floor(random() * game.size), y: Math.floor(random() * game.size) }
    if (game.check(game.toMove, v) == null) return v
  }
  return undefined
}

/** Resolves with performance.now() and the detail of the next matching event (bounded). */
async function next<D> (target: EventTarget, type: string, match: (detail: D) => boolean, what: string): Promise<{ at: number, detail: D }> {
  return new Promise((resolve, reject) => {
    const listener = (e: Event): void => {
      const detail = (e as CustomEvent<D>).detail
      if (!match(detail)) return
      clearTimeout(timer)
      target.removeEventListener(type, listener)
      resolve({ at: performance.now(), detail })
    }
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener)
      reject(new Error(`timed out after ${MOVE_TIMEOUT_MS} ms waiting for ${what}`))
    }, MOVE_TIMEOUT_MS)
    target.addEventListener(type, listener)
  })
}

const sleep = async (msecs: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, msecs)) }

/** 1. Two in-process nodes on loopback play alternating moves; each move is timed until applied and acknowledged. */
async function moveRoundTrip (): Promise<RttResult> {
  const nodes: GameNode[] = []
  try {
    const a = await gameNode()
    nodes.push(a.node)
    const b = await gameNode()
    nodes.push(b.node)
    await a.node.dial(b.node.getMultiaddrs())
    const random = prng(SEED)
    const roundTrip: number[] = []
    const delivery: number[] = []
    const performing: number[] = []
    const applied: number[] = []
    let played = 0
    let games = 0
    while (roundTrip.length < RTT_MOVES) {
      const { start, gameId } = await agree(a.key, b.key, { size: RTT_SIZE })
      await a.node.services.games.startGame({ start, gameId, opponent: b.node.peerId, me: 'B' })
      await b.node.services.games.startGame({ start, gameId, opponent: a.node.peerId, me: 'W' })
      games++
      // Both sides open their game stream on start; let them attach before the first move.
      await sleep(100)
      for (let ply = 0; ply < MOVES_PER_GAME && roundTrip.length < RTT_MOVES; ply++) {
        const mover = ply % 2 === 0 ? a.node : b.node
        const opponent = ply % 2 === 0 ? b.node : a.node
        const session = mover.services.games.session(gameId)
        if (session == null) throw new Error('the game is not in progress on the mover\'s node')
        if (session.game.toMove !== (ply % 2 === 0 ? BLACK : WHITE)) throw new Error(`ply ${ply}: the wrong side is to move`)
        const v = pickMove(session.game, random)
        if (v == null) break
        const sameGame = (id: CID): boolean => id.equals(gameId)
        const seen = next<{ gameId: CID, ply: number, mine: boolean }>(opponent.services.games, 'game:move', d => sameGame(d.gameId) && d.ply === ply && !d.mine, `ply ${ply} to be applied`)
        const acked = next<{ gameId: CID, ok: boolean, latencyMs?: number, error?: string }>(mover.services.games, 'delivery', d => sameGame(d.gameId), `ply ${ply} to be acknowledged`)
        const t0 = performance.now()
        await mover.services.games.perform(gameId, s => s.move(v))
        const t1 = performance.now()
        const [s, d] = await Promise.all([seen, acked])
        if (!d.detail.ok) throw new Error(`ply ${ply}: delivery failed: ${d.detail.error ?? '?'}`)
        if (opponent.services.games.session(gameId)?.game.moves.length !== ply + 1) throw new Error(`ply ${ply}: the opponent's board is not at move ${ply + 1}`)
        played++
        if (played <= RTT_WARMUP) continue
        roundTrip.push(Math.max(s.at, d.at) - t0)
        applied.push(s.at - t0)
        performing.push(t1 - t0)
        delivery.push(d.detail.latencyMs ?? NaN)
      }
    }
    if (delivery.some(x => !Number.isFinite(x))) throw new Error('a delivery event carried no latency')
    return {
      size: RTT_SIZE,
      games,
      warmup: RTT_WARMUP,
      roundTripMs: summarize(roundTrip),
      deliveryMs: summarize(delivery),
      performMs: summarize(performing),
      appliedMs: summarize(applied)
    }
  } finally {
    for (const node of nodes) {
      try { await node.stop() } catch { /* stopping anyway */ }
    }
  }
}

/** The processes, homes and observer of parts 2 and 3, for cleanup whatever happens. */
interface Live {
  readonly dir: string
  readonly procs: P2pgoProcess[]
  observer?: LobbyNode
}

/** Starts the bootstrap process; resolves with its address and peer ID once it prints them. */
async function startBootstrap (live: Live): Promise<{ proc: P2pgoProcess, address: string, peerId: string, startMs: number }> {
  const proc = startP2pgo(['bootstrap', '--local', '--stun-port', '0', '--listen', LOCAL, '--home', join(live.dir, 'boot')])
  live.procs.push(proc)
  const line = await waitFor(() => proc.lines.find(l => l.line.includes('/tcp/')), 'the bootstrap node to print its address', 20_000)
    .catch(err => { throw new Error(`${(err as Error).message}; stderr: ${proc.stderr().trim()}`) })
  const address = line.line.trim()
  const peerId = address.split('/p2p/')[1]
  if (peerId == null || peerId === '') throw new Error(`no peer ID in the bootstrap address ${address}`)
  return { proc, address, peerId, startMs: line.at - proc.spawnedAt }
}

/** The observer: a lobby node connected to the bootstrap node and in its mesh for the lobby topic. */
async function startObserver (live: Live, bootstrap: string, bootPeer: string): Promise<{ presences: Map<string, number>, seeks: Map<string, number> }> {
  const observer = await lobbyNode([bootstrap])
  live.observer = observer
  const presences = new Map<string, number>()
  const seeks = new Map<string, number>()
  observer.services.lobby.addEventListener('presence', e => {
    const peer = e.detail.peer.toString()
    if (!presences.has(peer)) presences.set(peer, performance.now())
  })
  observer.services.lobby.addEventListener('seek', e => {
    const peer = e.detail.peer.toString()
    if (!seeks.has(peer)) seeks.set(peer, performance.now())
  })
  await observer.start()
  await observer.dial(multiaddr(bootstrap))
  const pubsub = observer.services.pubsub as unknown as { getMeshPeers?: (topic: string) => string[] }
  await waitFor(() => pubsub.getMeshPeers?.(LOBBY_TOPIC).includes(bootPeer) ?? observer.services.pubsub.getSubscribers(LOBBY_TOPIC).some(p => p.toString() === bootPeer),
    'the observer to join the bootstrap node\'s lobby mesh', 10_000)
  return { presences, seeks }
}

/** `p2pgo id --home HOME --json`: creates the home and identity, returns the peer ID. */
async function peerIdOf (home: string): Promise<string> {
  const { code, stdout, stderr } = await runP2pgo(['id', '--home', home, '--json'])
  if (code !== 0) throw new Error(`p2pgo id exited ${code}: ${stderr.trim()}`)
  const peerId = (JSON.parse(stdout) as { peerId?: string }).peerId
  if (typeof peerId !== 'string') throw new Error(`p2pgo id printed no peer ID: ${stdout}`)
  return peerId
}

function startBot (live: Live, home: string, bootstrap: string, name: string): P2pgoProcess {
  const proc = startP2pgo(['bot', '--local', '--seek', '--engine', ENGINE, '--home', home, '--bootstrap', bootstrap, '--listen', LOCAL, '--json-events', '--name', name])
  live.procs.push(proc)
  return proc
}

function eventAt (proc: P2pgoProcess, match: (e: Record<string, any>) => boolean): number | undefined {
  return proc.events.find(e => match(e.event))?.at
}

/** Bounded wait for a bot to show up in the observer's lobby; fails with the bot's stderr. */
async function untilInLobby (proc: P2pgoProcess, peerId: string, presences: Map<string, number>): Promise<number> {
  return waitFor(() => {
    if (proc.child.exitCode != null) throw new Error(`the bot exited ${proc.child.exitCode}: ${proc.stderr().trim()}`)
    return presences.get(peerId)
  }, `bot ${peerId} in the observer's lobby`, LOBBY_TIMEOUT_MS, 2)
    .catch(err => { throw new Error(`${(err as Error).message}; bot stderr: ${proc.stderr().trim()}`) })
}

/** 2. Resident memory of the bootstrap process and of an idle, seeking bot after IDLE_MS. */
async function idleMemory (live: Live, boot: P2pgoProcess, bootstrap: string, presences: Map<string, number>): Promise<MemoryResult> {
  const mb = (kb: number): number => Number((kb / 1024).toFixed(1))
  const read = (pid: number): { rssMb: number, hwmMb: number } => ({ rssMb: mb(procStatusKb(pid, 'VmRSS')), hwmMb: mb(procStatusKb(pid, 'VmHWM')) })
  const bootPid = boot.child.pid
  if (bootPid == null) throw new Error('the bootstrap process has no PID')
  if (!existsSync(GNUGO)) {
    await sleep(IDLE_MS)
    return { bootstrap: read(bootPid), idleMs: IDLE_MS, note: `${GNUGO} missing: bot not measured (bootstrap node idle with the observer only)` }
  }
  const home = join(live.dir, 'idle-bot')
  const peerId = await peerIdOf(home)
  const bot = startBot(live, home, bootstrap, 'idle-bot')
  await untilInLobby(bot, peerId, presences)
  await sleep(IDLE_MS)
  const botPid = bot.child.pid
  if (botPid == null || bot.child.exitCode != null) throw new Error(`the idle bot is not running: ${bot.stderr().trim()}`)
  const result = { bootstrap: read(bootPid), bot: read(botPid), idleMs: IDLE_MS }
  await stop(bot)
  return result
}

/** 3. Fresh bots, one at a time: spawn → listening, → connected to the bootstrap node, → in the observer's lobby. */
async function lobbyJoin (live: Live, bootstrap: string, bootPeer: string, presences: Map<string, number>, seeks: Map<string, number>, bootstrapStartMs: number): Promise<LobbyResult> {
  const runs: LobbyRun[] = []
  for (let run = 1; run <= LOBBY_RUNS; run++) {
    const home = join(live.dir, `bot-${run}`)
    const peerId = await peerIdOf(home)
    const bot = startBot(live, home, bootstrap, `bench-${run}`)
    const seen = await untilInLobby(bot, peerId, presences)
    const listening = await waitFor(() => eventAt(bot, e => e.type === 'listening'), 'the bot\'s listening event', 5000)
    const connected = await waitFor(() => eventAt(bot, e => e.type === 'peer:connected' && e.peer === bootPeer), 'the bot\'s connection to the bootstrap node', 5000)
    // The seek follows the presence in the same tick; give it a moment, it is only reported.
    await waitFor(() => seeks.get(peerId), 'the bot\'s seek', 3000).catch(() => undefined)
    const seek = seeks.get(peerId)
    runs.push({
      run,
      peerId,
      listeningMs: listening - bot.spawnedAt,
      connectedMs: connected - bot.spawnedAt,
      presenceMs: seen - bot.spawnedAt,
      ...(seek != null ? { seekMs: seek - bot.spawnedAt } : {})
    })
    process.stderr.write(`  lobby run ${run}: listening ${ms(listening - bot.spawnedAt)} ms, connected ${ms(connected - bot.spawnedAt)} ms, in lobby ${ms(seen - bot.spawnedAt)} ms\n`)
    await stop(bot)
  }
  return {
    runs,
    listeningMs: summarize(runs.map(r => r.listeningMs)),
    connectedMs: summarize(runs.map(r => r.connectedMs)),
    presenceMs: summarize(runs.map(r => r.presenceMs)),
    networkMs: summarize(runs.map(r => r.presenceMs - r.listeningMs)),
    bootstrapStartMs
  }
}

async function cleanup (live: Live): Promise<void> {
  for (const p of live.procs) await stop(p).catch(() => {})
  try { await live.observer?.stop() } catch { /* stopping anyway */ }
  rmSync(live.dir, { recursive: true, force: true })
}

/** The table: one row per measurement. */
function table (rtt: RttResult | undefined, memory: MemoryResult | undefined, lobby: LobbyResult | undefined): string {
  const rows: string[][] = []
  if (rtt != null) {
    const row = (name: string, s: Summary): string[] => [name, ms(s.median), ms(s.p99), ms(s.max), String(s.n), 'ms']
    rows.push(row('move round trip: perform → applied + acked', rtt.roundTripMs))
    rows.push(row('  perform → applied by the opponent', rtt.appliedMs))
    rows.push(row('  perform() call (sign, store, send)', rtt.performMs))
    rows.push(row('delivery event latency (send → ack)', rtt.deliveryMs))
  }
  if (memory != null) {
    rows.push([`bootstrap RSS after ${memory.idleMs / 1000} s idle (peak)`, memory.bootstrap.rssMb.toFixed(1), '', memory.bootstrap.hwmMb.toFixed(1), '1', 'MB'])
    if (memory.bot != null) rows.push([`bot RSS, seeking, ${memory.idleMs / 1000} s idle (peak)`, memory.bot.rssMb.toFixed(1), '', memory.bot.hwmMb.toFixed(1), '1', 'MB'])
    else rows.push(['bot RSS', 'skipped', '', '', '0', ''])
  }
  if (lobby != null) {
    const row = (name: string, s: Summary): string[] => [name, ms(s.median), '', ms(s.max), String(s.n), 'ms']
    rows.push(row('bot spawn → listening event', lobby.listeningMs))
    rows.push(row('bot spawn → connected to bootstrap', lobby.connectedMs))
    rows.push(row('bot spawn → presence in observer\'s lobby', lobby.presenceMs))
    rows.push(row('  listening → presence (network share)', lobby.networkMs))
  }
  const header = ['measurement', 'median', 'p99', 'max', 'n', 'unit']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (cells: string[]): string => cells.map((s, i) => i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i])).join(' | ')
  return [line(header), widths.map(w => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}

/** The benchmark's entry point: returns the exit status (1 when a measurement could not be taken). */
export async function main (): Promise<number> {
  const started = performance.now()
  const machine = { node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}` }
  console.log(`machine: node ${machine.node}, ${machine.cpu} (${machine.cores} cores), ${machine.platform}`)
  const errors: string[] = []
  const notes: string[] = []
  const live: Live = { dir: mkdtempSync(join(tmpdir(), 'p2pgo-bench-net-')), procs: [] }
  const watchdog = setTimeout(() => {
    console.error(`network benchmark: still running after ${WATCHDOG_MS / 1000} s, giving up`)
    for (const p of live.procs) p.child.kill('SIGKILL')
    rmSync(live.dir, { recursive: true, force: true })
    process.exit(1)
  }, WATCHDOG_MS)
  watchdog.unref()
  const onSignal = (): void => {
    for (const p of live.procs) p.child.kill('SIGKILL')
    rmSync(live.dir, { recursive: true, force: true })
    process.exit(130)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let rtt: RttResult | undefined
  let memory: MemoryResult | undefined
  let lobby: LobbyResult | undefined
  process.stderr.write(`move round trip: ${RTT_WARMUP} warm-up + ${RTT_MOVES} timed moves on ${RTT_SIZE}x${RTT_SIZE}...\n`)
  try {
    rtt = await moveRoundTrip()
  } catch (err) {
    errors.push(`move round trip: ${(err as Error).message}`)
  }
  try {
    process.stderr.write('starting the bootstrap process and the observer...\n')
    const boot = await startBootstrap(live)
    const { presences, seeks } = await startObserver(live, boot.address, boot.peerId)
    process.stderr.write(`idle memory: one seeking bot, ${IDLE_MS / 1000} s...\n`)
    try {
      memory = await idleMemory(live, boot.proc, boot.address, presences)
      if (memory.note != null) notes.push(memory.note)
    } catch (err) {
      errors.push(`idle memory: ${(err as Error).message}`)
    }
    if (!existsSync(GNUGO)) notes.push(`${GNUGO} missing: the lobby bots never start it (no game is played), so they still run`)
    process.stderr.write(`lobby join: ${LOBBY_RUNS} fresh bots...\n`)
    try {
      lobby = await lobbyJoin(live, boot.address, boot.peerId, presences, seeks, boot.startMs)
    } catch (err) {
      errors.push(`lobby join: ${(err as Error).message}`)
    }
  } catch (err) {
    errors.push(`bootstrap/observer: ${(err as Error).message}`)
  } finally {
    await cleanup(live)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  console.log()
  console.log(table(rtt, memory, lobby))
  console.log()
  if (rtt != null) console.log(`round trip: ${rtt.roundTripMs.n} moves in ${rtt.games} ${rtt.size}x${rtt.size} games (random legal moves, seed 0x${SEED.toString(16)}), after ${rtt.warmup} warm-up moves; two in-process nodes over TCP on 127.0.0.1. The delivery event's latency is Date.now-based (1 ms steps).`)
  if (lobby != null) {
    console.log(`lobby: ${LOBBY_RUNS} fresh homes; bootstrap process up (address printed) ${ms(lobby.bootstrapStartMs)} ms after spawn; the idle-memory bot ran first and warmed the file cache.`)
    const seekMs = lobby.runs.map(r => r.seekMs).filter((x): x is number => x != null)
    if (seekMs.length > 0) console.log(`  the bot's seek reached the observer ${ms(median(seekMs))} ms after spawn (median of ${seekMs.length}).`)
  }
  for (const note of notes) console.log(`note: ${note}`)
  for (const error of errors) console.log(`FAILED ${error}`)

  const seconds = (performance.now() - started) / 1000
  console.log(`\ntotal time ${seconds.toFixed(1)} s`)
  const out = fileURLToPath(new URL('../../bench/network-results.json', import.meta.url))
  writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(),
    machine,
    settings: { rttSize: RTT_SIZE, rttMoves: RTT_MOVES, rttWarmup: RTT_WARMUP, movesPerGame: MOVES_PER_GAME, seed: SEED, lobbyRuns: LOBBY_RUNS, idleMs: IDLE_MS, engine: ENGINE },
    moveRoundTrip: rtt == null ? null : { ...rtt, roundTripMs: rounded(rtt.roundTripMs), appliedMs: rounded(rtt.appliedMs), performMs: rounded(rtt.performMs), deliveryMs: rounded(rtt.deliveryMs) },
    idleMemory: memory ?? null,
    lobbyJoin: lobby == null
      ? null
      : {
          ...lobby,
          runs: lobby.runs.map(r => ({ ...r, listeningMs: Number(r.listeningMs.toFixed(1)), connectedMs: Number(r.connectedMs.toFixed(1)), presenceMs: Number(r.presenceMs.toFixed(1)), ...(r.seekMs != null ? { seekMs: Number(r.seekMs.toFixed(1)) } : {}) })),
          listeningMs: rounded(lobby.listeningMs, 1),
          connectedMs: rounded(lobby.connectedMs, 1),
          presenceMs: rounded(lobby.presenceMs, 1),
          networkMs: rounded(lobby.networkMs, 1),
          bootstrapStartMs: Number(lobby.bootstrapStartMs.toFixed(1))
        },
    notes,
    errors,
    seconds: Number(seconds.toFixed(1))
  }, null, 2) + '\n')
  console.log(`results written to ${out}`)
  clearTimeout(watchdog)
  return errors.length === 0 && rtt != null && memory != null && lobby != null ? 0 : 1
}

runAsProgram(import.meta.url, main)
