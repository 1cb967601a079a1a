// A `p2pgo bootstrap` process for the hostile relay cases (test/hostile/relay-*.test.ts): started
// on 127.0.0.1 with a bootstrap.json, its JSON log lines and its resident memory read from /proc.
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'

export interface RelayDaemon {
  readonly proc: P2pgoProcess
  /** The relay's TCP multiaddr with /p2p/<id>. */
  readonly address: string
  /** http://127.0.0.1:PORT + path of its metrics server. */
  readonly url: (path: string) => string
}

/** The daemon's JSON log lines so far. */
export function logLines (p: P2pgoProcess): Array<Record<string, any>> {
  return p.stderr().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as Record<string, any>)
}

/** Starts `p2pgo bootstrap` in `home` with `settings` as its bootstrap.json; pushed onto `procs` for cleanup. */
export async function startRelayDaemon (home: string, settings: object, procs: P2pgoProcess[], extra: readonly string[] = ['--local']): Promise<RelayDaemon> {
  await mkdir(home, { recursive: true })
  writeFileSync(join(home, 'bootstrap.json'), JSON.stringify(settings))
  const proc = startP2pgo(['bootstrap', '--home', home, '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--metrics', '127.0.0.1:0', ...extra])
  procs.push(proc)
  await waitFor(() => proc.lines.some(l => l.includes('/tcp/')) && logLines(proc).some(l => l.msg === 'started'), 'the daemon to start')
  const started = logLines(proc).find(l => l.msg === 'started')!
  const address = proc.lines.find(l => l.includes('/tcp/'))!
  return { proc, address, url: path => `http://127.0.0.1:${started.metrics.port as number}${path}` }
}

/** Resident memory of a process, in MB, from /proc (Linux). */
export function rssMb (pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (m == null) throw new Error(`no VmRSS for process ${pid}`)
  return Math.round(Number(m[1]) / 1024)
}
