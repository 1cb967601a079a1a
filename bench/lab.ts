// The NAT lab's numbers for `npm run bench`: runs the lab's ladder matrix and path-migration
// tests (real namespaces, NATs, miniupnpd; root only), which write their measurements to
// bench/lab/, then prints move round trips by rung (and relayed / direct), the time each rung
// takes to come up, and how long a failed hole punch takes before a game settles on the relay.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { median, quantile } from './network/stats.js'
import type { LabOutcome as Outcome } from './lab-outcome.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const outDir = `${root}bench/lab`


function run (): boolean {
  if (process.getuid?.() !== 0) {
    console.log('NAT lab: skipped (network namespaces need root: sudo npm run bench)')
    return false
  }
  mkdirSync(outDir, { recursive: true })
  const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.lab.config.ts', 'test/lab/ladder.test.ts', 'test/lab/migration.test.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, P2PGO_LAB_REPORT_DIR: outDir }
  })
  if (r.status !== 0) console.log(`NAT lab: the lab tests failed (exit ${r.status ?? r.signal ?? '?'}); the numbers below are from what finished`)
  return true
}

const fmt = (x: number): string => Number.isFinite(x) ? x.toFixed(1) : '-'

function report (): void {
  const file = `${outDir}/ladder.json`
  if (!existsSync(file)) return
  const { outcomes, measured, moveDelayMs } = JSON.parse(readFileSync(file, 'utf8')) as { outcomes: Outcome[], measured: string, moveDelayMs: number }
  console.log(`\nNAT lab (${measured}; GNU Go bots, ${moveDelayMs} ms per move; the lab's links add no delay, so these are the costs of the paths themselves)`)
  const byRung = new Map<string, number[]>()
  for (const o of outcomes) for (const [rung, xs] of Object.entries(o.rtts)) byRung.set(rung, [...(byRung.get(rung) ?? []), ...xs])
  console.log('\nmove round trip (act -> acknowledgement) by rung:')
  console.log('rung           moves   median ms   p95 ms')
  for (const [rung, xs] of byRung) {
    const s = [...xs].sort((a, b) => a - b)
    console.log(`${rung.padEnd(13)} ${String(s.length).padStart(6)} ${fmt(median(s)).padStart(11)} ${fmt(quantile(s, 0.95)).padStart(8)}`)
  }
  const direct = median([...(byRung.get('direct') ?? []), ...(byRung.get('upnp') ?? []), ...(byRung.get('hole-punched') ?? [])])
  const relayed = median(byRung.get('relayed') ?? [])
  console.log(`relayed / direct (direct, upnp and hole-punched together): ${fmt(relayed / direct)}x`)

  console.log('\ntime for a player\'s own rung to come up (start -> address confirmed):')
  const ready = (kinds: string[]): number[] => outcomes.filter(o => kinds.includes(o.seeker)).map(o => o.readyMs)
  console.log(`  UPnP mapping (upnp):          median ${fmt(median(ready(['upnp'])))} ms`)
  console.log(`  relay reservation (NATed):    median ${fmt(median(ready(['eim', 'sym', 'double'])))} ms`)
  console.log(`  public address (AutoNAT v2):  median ${fmt(median(ready(['public'])))} ms`)
  console.log('\nchallenge -> game started, and game started -> final path, by final rung:')
  for (const rung of ['direct', 'upnp', 'hole-punched', 'relayed']) {
    const os = outcomes.filter(o => o.rung === rung)
    if (os.length === 0) continue
    console.log(`  ${rung.padEnd(13)} connect median ${fmt(median(os.map(o => o.connectMs)))} ms, settle median ${fmt(median(os.map(o => o.settleMs)))} ms (${os.length} pairs)`)
  }
  const failed = outcomes.flatMap(o => o.failedUpgradesMs)
  const migration = `${outDir}/migration.json`
  const m = existsSync(migration) ? JSON.parse(readFileSync(migration, 'utf8')) as { failedUpgradesMs: number[], relayedPlies: number, windowPlies: number, directPackets: number, relayPackets: number } : undefined
  const allFailed = [...failed, ...(m?.failedUpgradesMs ?? [])]
  console.log(`\nfailed hole punch (a try for a better path than the relay that found none), until the game stays on the relay: ${allFailed.length > 0 ? `median ${fmt(median(allFailed))} ms over ${allFailed.length} tries` : 'none seen'}`)
  console.log('relay host packets per ply during each game (evidence of the path):')
  for (const o of outcomes) console.log(`  ${`${o.seeker} x ${o.challenger}`.padEnd(17)} ${o.rung.padEnd(13)} ${fmt(o.relayPackets / Math.max(1, o.plies))} (${o.relayPackets} packets, ${o.plies} plies)`)
  if (m != null) console.log(`path migration: ${m.windowPlies} plies after the move to the direct path: ${m.directPackets} packets on the direct path, ${m.relayPackets} at the relay host`)
}

// `node dist/bench/lab.js --report` prints the last measurements without running the lab again.
if (!process.argv.includes('--report')) run()
report()
