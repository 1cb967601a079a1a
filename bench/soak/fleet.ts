// The soak's processes: one `p2pgo bootstrap` relay and `p2pgo bot`s, each with its own home,
// started as real processes (as README's "A network by hand" does), stopped gently (SIGTERM) or
// killed hard (SIGKILL) and started again on the same home. Every start is an incarnation; each
// keeps its events (with the soak's clock) and the tail of its stderr.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runP2pgo, startP2pgo, stop, waitFor, type P2pgoProcess } from '../network/processes.js'
import type { BotEvent } from './ledger.js'

export type Role = 'relay' | 'seek' | 'accept'

/** How one incarnation ended. */
export type Ending = 'killed' | 'stopped' | 'exited' | 'running'

export interface Incarnation {
  readonly proc: P2pgoProcess
  readonly pid: number
  /** Seconds since the soak began. */
  readonly startedAt: number
  endedAt?: number
  ending: Ending
  exit?: number | string
}

export interface SoakNode {
  readonly name: string
  readonly role: Role
  readonly home: string
  /** Its peer ID (from `p2pgo id`), known before its first start. */
  peer: string
  readonly incarnations: Incarnation[]
}

export interface BotSettings {
  readonly engine: string
  readonly moveDelayMs: number
  readonly relayAddress: string
  /** `--games`: how many games before the bot exits by itself. */
  readonly games: number
}

export function current (node: SoakNode): Incarnation | undefined {
  const last = node.incarnations[node.incarnations.length - 1]
  return last?.ending === 'running' ? last : undefined
}

/** Every event of a bot over all its incarnations, in order, with the soak's clock. */
export function eventsOf (node: SoakNode, origin: number): BotEvent[] {
  return node.incarnations.flatMap((inc, incarnation) => inc.proc.events.map(e => ({ incarnation, t: Number(((e.at - origin) / 1000).toFixed(1)), event: e.event })))
}

/** Reads the node's peer ID from its home (creating the identity), without starting it. */
export async function identify (node: SoakNode): Promise<void> {
  mkdirSync(node.home, { recursive: true })
  const { code, stdout, stderr } = await runP2pgo(['id', '--home', node.home, '--json'])
  if (code !== 0) throw new Error(`p2pgo id --home ${node.home} exited ${code}: ${stderr.trim()}`)
  node.peer = (JSON.parse(stdout) as { peerId: string }).peerId
}

function track (node: SoakNode, proc: P2pgoProcess, now: () => number): Incarnation {
  const inc: Incarnation = { proc, pid: proc.child.pid ?? 0, startedAt: now(), ending: 'running' }
  node.incarnations.push(inc)
  void proc.exited.then(code => {
    inc.exit = code
    inc.endedAt = now()
    if (inc.ending === 'running') inc.ending = 'exited'
  })
  return inc
}

/** Starts the relay; resolves with its first multiaddr once it prints it. */
export async function startRelay (node: SoakNode, now: () => number): Promise<string> {
  mkdirSync(node.home, { recursive: true })
  const proc = startP2pgo(['bootstrap', '--home', node.home, '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
  track(node, proc, now)
  const line = await waitFor(() => {
    if (proc.child.exitCode != null) throw new Error(`the relay exited ${proc.child.exitCode}: ${proc.stderr().trim().slice(-2000)}`)
    return proc.lines.find(l => l.line.includes('/tcp/'))
  }, 'the relay to print its address', 60_000, 50)
  return line.line.trim()
}

/** Starts (or starts again, on the same home) a bot with the soak's settings. */
export function startBot (node: SoakNode, settings: BotSettings, now: () => number): Incarnation {
  const proc = startP2pgo([
    'bot', '--home', node.home, '--listen', '/ip4/127.0.0.1/tcp/0', '--bootstrap', settings.relayAddress, '--local',
    `--${node.role}`, '--engine', settings.engine, '--games', String(settings.games), '--name', node.name,
    '--move-delay', String(settings.moveDelayMs), '--json-events'
  ])
  return track(node, proc, now)
}

/** SIGKILL: the process gets no chance to save or say anything. */
export async function kill (node: SoakNode): Promise<Incarnation | undefined> {
  const inc = current(node)
  if (inc == null) return undefined
  inc.ending = 'killed'
  inc.proc.child.kill('SIGKILL')
  await inc.proc.exited
  return inc
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGently (node: SoakNode, graceMs = 15_000): Promise<void> {
  const inc = current(node)
  if (inc == null) return
  inc.ending = 'stopped'
  await stop(inc.proc, graceMs)
}

/** The last lines of an incarnation's stderr (why it died, what it complained about). */
export function stderrTail (inc: Incarnation, lines = 15): string {
  return inc.proc.stderr().trim().split('\n').slice(-lines).join('\n')
}

/**
 * The warnings a node printed (Node's `(node:PID) XWarning: ...`, with the stack lines that
 * --trace-warnings adds), each once, with how many incarnations printed it.
 */
export function warningsOf (node: SoakNode): Array<{ warning: string, stack: string[], incarnations: number }> {
  const found = new Map<string, { warning: string, stack: string[], incarnations: number }>()
  for (const inc of node.incarnations) {
    const lines = inc.proc.stderr().split('\n')
    const seen = new Set<string>()
    lines.forEach((line, i) => {
      const m = /^\(node:\d+\) (.*Warning: .*)$/.exec(line)
      if (m == null) return
      const warning = m[1].replace(/\d+/g, 'N')
      if (seen.has(warning)) return
      seen.add(warning)
      const stack: string[] = []
      for (let j = i + 1; j < lines.length && /^\s+at /.test(lines[j]) && stack.length < 12; j++) stack.push(lines[j].trim())
      const w = found.get(warning) ?? { warning: m[1], stack, incarnations: 0 }
      w.incarnations++
      found.set(warning, w)
    })
  }
  return [...found.values()]
}

/** How many `rejected` events (a peer's message refused) a bot reported, by reason. */
export function rejectionsOf (node: SoakNode): Record<string, number> {
  const out: Record<string, number> = {}
  for (const inc of node.incarnations) {
    for (const e of inc.proc.events) {
      if (e.event.type !== 'rejected') continue
      const key = `${String(e.event.source)}:${String(e.event.reason)}`
      out[key] = (out[key] ?? 0) + 1
    }
  }
  return out
}

/** Writes each incarnation's stderr and events beside the homes (NAME.N.stderr, NAME.N.ndjson), as evidence. */
export function saveLogs (node: SoakNode, dir: string, origin: number): void {
  node.incarnations.forEach((inc, i) => {
    writeFileSync(join(dir, `${node.name}.${i}.stderr`), inc.proc.stderr())
    writeFileSync(join(dir, `${node.name}.${i}.ndjson`), inc.proc.events.map(e => JSON.stringify({ t: Number(((e.at - origin) / 1000).toFixed(3)), ...e.event })).join('\n') + '\n')
  })
}
