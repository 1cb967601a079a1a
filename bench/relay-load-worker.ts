// A worker process of the relay load benchmark (bench/relay-load.ts starts several): runs
// `settings.peers` load clients, each holding a reservation on the relay, and pairs the first
// 2 × `settings.games` of them into games played through the relay until told to wind down.
// Orders come over Node's IPC channel (bench/relay-load/protocol.ts); the worker exits when its
// parent goes away.
import '../src/polyfill.js'
import { performance } from 'node:perf_hooks'
import { prng } from './network/prng.js'
import { circuitAddress, startClient, type Client } from './relay-load/client.js'
import { between, playGame, type PairContext } from './relay-load/pair.js'
import { PROGRESS_MS, type FromWorker, type GameReport, type ToWorker, type WorkerSettings } from './relay-load/protocol.js'
import type { Connection } from '@libp2p/interface'

/** A client whose circuit address is not up this long after it started failed to reserve. */
const RESERVE_TIMEOUT_MS = 30_000
/** Nodes that do not stop within this are left to the process exit. */
const STOP_TIMEOUT_MS = 10_000

const send = (message: FromWorker): void => { process.send?.(message) }
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function untilReserved (client: Client): Promise<boolean> {
  const deadline = performance.now() + RESERVE_TIMEOUT_MS
  while (circuitAddress(client.node) == null) {
    if (performance.now() > deadline) return false
    await sleep(20)
  }
  return true
}

async function main (): Promise<void> {
  if (process.send == null) throw new Error('relay-load-worker runs as a child of bench/relay-load.js (it needs an IPC channel)')
  const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings
  const origin = performance.now()
  const relayPeer = settings.relay.split('/p2p/').pop() ?? ''
  const clients: Client[] = []
  const errors: string[] = []
  let exiting = false
  let relayLost = 0
  // A client losing its own connection to the relay loses its reservation, and any game on it.
  const onClose = (e: CustomEvent<Connection>): void => {
    if (!exiting && e.detail.remotePeer.toString() === relayPeer) relayLost++
  }

  // Ramp up in batches: every start dials the relay and reserves at once.
  const reserveMs: number[] = []
  let failed = 0
  for (let i = 0; i < settings.peers; i += settings.startBatch) {
    const batch = Array.from({ length: Math.min(settings.startBatch, settings.peers - i) }, async () => {
      const t0 = performance.now()
      try {
        const client = await startClient(settings.relay)
        clients.push(client)
        client.node.addEventListener('connection:close', onClose)
        if (await untilReserved(client)) reserveMs.push(performance.now() - t0)
        else { failed++; errors.push(`a client had no circuit address ${RESERVE_TIMEOUT_MS} ms after it started`) }
      } catch (err) {
        failed++
        errors.push(`a client failed to start: ${(err as Error).message}`)
      }
    })
    await Promise.all(batch)
  }
  send({ type: 'ready', peers: clients.length, reserveMs, failed, errors: errors.splice(0) })

  let stopping = false
  let moves = 0
  let active = 0
  const latencies: number[] = []
  const reports: GameReport[] = []
  const pairs: Array<Promise<void>> = []
  let progress: ReturnType<typeof setInterval> | undefined

  const play = (): void => {
    const games = Math.min(settings.games, Math.floor(clients.length / 2))
    for (let p = 0; p < games; p++) {
      const black = clients[2 * p]
      const white = clients[2 * p + 1]
      const random = prng(settings.seed + settings.index * 1000 + p)
      const ctx: PairContext = { settings, random, origin, stopping: () => stopping, onMove: ms => { moves++; latencies.push(ms) } }
      pairs.push((async () => {
        // Spread the first moves over the move interval rather than all at once.
        await sleep(between(random, [0, settings.moveDelayMs[1] * 2]))
        while (!stopping) {
          active++
          const report = await playGame(p, black, white, ctx)
          active--
          reports.push(report)
          if (report.cutOff != null) process.stderr.write(`worker ${settings.index} pair ${p}: cut off: ${report.cutOff}\n`)
          if (!stopping) await sleep(between(random, settings.gapMs))
        }
      })())
    }
    progress = setInterval(() => {
      send({ type: 'progress', moves, active, gamesEnded: reports.length, cutOffs: reports.filter(r => r.cutOff != null).length, relayLost })
    }, PROGRESS_MS)
  }

  const windDown = async (): Promise<void> => {
    stopping = true
    await Promise.all(pairs)
    clearInterval(progress)
    send({ type: 'result', games: reports, moveLatencyMs: latencies, relayLost, errors })
  }

  const exit = async (code: number): Promise<never> => {
    exiting = true
    await Promise.race([
      Promise.allSettled(clients.map(async c => { await c.node.stop() })),
      sleep(STOP_TIMEOUT_MS)
    ])
    process.exit(code)
  }

  process.on('message', (message: ToWorker) => {
    if (message.type === 'play') play()
    else if (message.type === 'wind-down') windDown().catch(err => { send({ type: 'error', message: (err as Error).message }) })
    else if (message.type === 'exit') void exit(0)
  })
  // The bench is gone (finished, killed or crashed): nothing to report to any more.
  process.on('disconnect', () => { void exit(1) })
}

// libp2p may reject a background promise while connections close under load: report it, carry on.
process.on('unhandledRejection', err => { process.stderr.write(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}\n`) })

main().catch(err => {
  send({ type: 'error', message: (err as Error).stack ?? String(err) })
  process.exit(1)
})
