// The ladder's matrix in the NAT lab: for every pair of router kinds, two GNU Go bots find each
// other through a bootstrap relay and play a complete 9x9 game; the rung each pair ends on is
// asserted, and the matrix is printed (kind x kind -> rung, time to connect, finished).
// With P2PGO_LAB_REPORT_DIR=DIR the measurements are also written to DIR/ladder.json (npm run bench).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { directPathPackets, relayHostPackets, startLab, type Lab, type LabProcess, type RouterKind } from './lab.js'
import type { LabOutcome as Outcome } from '../../bench/lab-outcome.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
const ENGINE = '/usr/games/gnugo --mode gtp --level 1'
/** The lab's simulated internet uses the documentation ranges: p2pgo must see them as public. */
const RANGES = '198.51.100.0/24,203.0.113.0/24'
/** GNU Go answers in milliseconds; a little thinking time makes a game long enough to watch. */
const MOVE_DELAY_MS = 100

const order: RouterKind[] = ['upnp', 'eim', 'sym', 'double', 'public']

/**
 * The rung each pair must end on. The first kind seeks, the second challenges (dials).
 * - A UPnP-mapped seeker is dialled on its mapped address: `upnp`.
 * - A public challenger reaches a NATed seeker through the relay; the NATed side then dials the
 *   public one (DCUtR, or p2pgo's own upgrade): `direct`.
 * - Two NATed peers without symmetric NAT punch through with WebRTC (ICE): `hole-punched`.
 * - Symmetric NAT against anything NATed defeats hole punching: the relay carries the game.
 */
const expected: Record<string, string> = {
  'upnp-upnp': 'upnp',
  'upnp-eim': 'upnp',
  'upnp-sym': 'upnp',
  'upnp-double': 'upnp',
  'upnp-public': 'upnp',
  'eim-eim': 'hole-punched',
  'eim-sym': 'relayed',
  'eim-double': 'hole-punched',
  'eim-public': 'direct',
  'sym-sym': 'relayed',
  'sym-double': 'relayed',
  'sym-public': 'direct',
  'double-double': 'hole-punched',
  'double-public': 'direct',
  'public-public': 'direct'
}

const pairs: Array<[RouterKind, RouterKind]> = order.flatMap((a, i) => order.slice(i).map(b => [a, b] as [RouterKind, RouterKind]))


let lab: Lab
let dir: string
let bootstrapAddr: string
const outcomes: Outcome[] = []

function p2pgo (ns: string, args: readonly string[]): LabProcess {
  return lab.spawn(ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, process.execPath, bin, ...args])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pgo-ladder-'))
  // Two peers of every kind, each behind its own router(s). The lab's own STUN responder moves
  // aside (miniupnpd still uses it): the bootstrap relay answers STUN on 3478 itself.
  lab = await startLab(order.flatMap(k => [k, k]), { stunPort: 3479 })
  const boot = p2pgo(lab.pub.ns, ['bootstrap', '--home', join(dir, 'boot'), '--listen', `/ip4/${lab.pub.ip}/tcp/4001`, '--announce', `/ip4/${lab.pub.ip}/tcp/4001`, '--stun-port', '3478'])
  bootstrapAddr = await boot.waitForLine(/\/tcp\/4001\/p2p\//, { timeoutMs: 30_000 })
}, 120_000)

afterAll(async () => {
  await lab?.down()
  rmSync(dir, { recursive: true, force: true })
  if (outcomes.length > 0) {
    console.log(table(outcomes))
    const reportDir = process.env.P2PGO_LAB_REPORT_DIR
    if (reportDir != null && reportDir !== '') writeFileSync(join(reportDir, 'ladder.json'), JSON.stringify({ measured: new Date().toISOString(), moveDelayMs: MOVE_DELAY_MS, outcomes }, null, 2) + '\n')
  }
})

const ms = (iso: string): number => Date.parse(iso)

/** The address that shows a peer's own rung is up: its mapping, its public address, or a relay reservation. */
function readyAddress (kind: RouterKind, publicIp: string): (a: string) => boolean {
  if (kind === 'upnp' || kind === 'public') return a => a.startsWith(`/ip4/${publicIp}/tcp/`)
  return a => a.includes('/p2p-circuit')
}

/** One pair; its bots are killed whatever happens, so a failed pair does not hold the next one's ports. */
async function pair (index: number, seekerKind: RouterKind, challengerKind: RouterKind): Promise<Outcome> {
  const bots: LabProcess[] = []
  try {
    return await playPair(index, seekerKind, challengerKind, bots)
  } finally {
    await Promise.all(bots.map(async b => { await b.kill() }))
  }
}

/** The seeker starts and waits until it is reachable, then the challenger starts; both play one game. */
async function playPair (index: number, seekerKind: RouterKind, challengerKind: RouterKind, bots: LabProcess[]): Promise<Outcome> {
  const seekerName = `${seekerKind}1`
  const challengerName = `${challengerKind}2`
  const bot = (name: string, mode: string): LabProcess => {
    const p = p2pgo(lab.peer(name).ns, [
      'bot', '--home', join(dir, `${index}-${name}`), '--listen', '/ip4/0.0.0.0/tcp/4001,/p2p-circuit,/webrtc',
      '--bootstrap', bootstrapAddr, mode, '--engine', ENGINE, '--name', name, '--move-delay', String(MOVE_DELAY_MS), '--json-events'
    ])
    bots.push(p)
    return p
  }
  const started = Date.now()
  const seeker = bot(seekerName, '--seek')
  const ready = readyAddress(seekerKind, lab.peer(seekerName).publicIp)
  const readyLine = await seeker.waitForLine(l => l.startsWith('{"type":"addresses"') && (JSON.parse(l).addresses as string[]).some(ready), { timeoutMs: 60_000 })
  const readyMs = ms(JSON.parse(readyLine).time) - started
  const challenger = bot(challengerName, '--accept')
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => {
    const tail = (p: LabProcess): string => `${p.stderrLines.slice(-6).join(' | ')}\n${p.lines.filter(l => !l.includes('game:move') && !l.includes('"delivery"')).slice(-8).join('\n')}`
    reject(new Error(`${seekerKind} x ${challengerKind}: no finished game within 150 s\n${seekerName}: ${tail(seeker)}\n${challengerName}: ${tail(challenger)}`))
  }, 150_000))
  // Packets at the relay host and on the direct path while the game runs: evidence of the path.
  const wans = [lab.peer(seekerName).publicIp, lab.peer(challengerName).publicIp] as const
  const relayPackets = async (): Promise<number> => await relayHostPackets(lab, wans)
  const directPackets = async (): Promise<number> => await directPathPackets(lab, wans)
  const isEnded = (l: string): boolean => l.startsWith('{"type":"game:ended"') && l.includes('"cosigned":true')
  const relayWatch = Promise.race([
    (async () => {
      await challenger.waitForLine(l => l.startsWith('{"type":"game:started"'), { timeoutMs: 150_000 })
      const [relay0, direct0] = [await relayPackets(), await directPackets()]
      await challenger.waitForLine(isEnded, { timeoutMs: 150_000 })
      return { relay: await relayPackets() - relay0, direct: await directPackets() - direct0 }
    })(),
    timeout
  ])
  relayWatch.catch(() => {})
  const [cs, cc] = await Promise.race([Promise.all([seeker.exited, challenger.exited]), timeout])
  const watched = await relayWatch
  expect(cs, seeker.stderrLines.slice(-5).join('\n')).toBe(0)
  expect(cc, challenger.stderrLines.slice(-5).join('\n')).toBe(0)

  const events = (p: LabProcess): Array<Record<string, any>> => p.json()
  const ended = (p: LabProcess): Record<string, any> | undefined => events(p).find(e => e.type === 'game:ended' && e.cosigned === true)
  const endS = ended(seeker)
  const endC = ended(challenger)
  // The rung at the end of play (the first game:ended, before the result signatures travel): one
  // side may leave a moment before the other, and the other then falls back to its relay.
  const endRung = (p: LabProcess): unknown => events(p).find(e => e.type === 'game:ended')?.rung
  const gameStarted = events(challenger).find(e => e.type === 'game:started')
  const challengeAt = challenger.stderrTimes[challenger.stderrLines.findIndex(l => l.includes('challenging'))]
  const lastPath = events(challenger).filter(e => e.type === 'game:path').at(-1)
  const rtts: Record<string, number[]> = {}
  for (const e of [...events(seeker), ...events(challenger)]) {
    if (e.type === 'delivery' && e.ok === true && typeof e.latencyMs === 'number') (rtts[e.method] ??= []).push(e.latencyMs)
  }
  const failedUpgradesMs = [...events(seeker), ...events(challenger)].filter(e => e.type === 'game:upgrade' && e.from === 'relayed' && e.ok === false).map(e => e.ms as number)
  const outcome: Outcome = {
    seeker: seekerKind,
    challenger: challengerKind,
    rung: endRung(seeker) === endRung(challenger) ? String(endRung(seeker)) : `${String(endRung(seeker))}/${String(endRung(challenger))}`,
    finished: endS != null && endC != null && endS.result === endC.result,
    readyMs,
    connectMs: gameStarted != null && challengeAt != null ? ms(gameStarted.time) - challengeAt : NaN,
    settleMs: gameStarted != null && lastPath != null ? Math.max(0, ms(lastPath.time) - ms(gameStarted.time)) : NaN,
    rtts,
    failedUpgradesMs,
    plies: events(challenger).filter(e => e.type === 'game:move').length,
    relayPackets: watched.relay,
    directPackets: watched.direct
  }
  outcomes.push(outcome)
  return outcome
}

function median (xs: number[]): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** The matrix as text: one row per pair. */
function table (rows: readonly Outcome[]): string {
  const head = 'seeker   challenger  rung          ready ms  connect ms  settle ms  move RTT ms (median, by rung)  plies  relay pkts  direct pkts  finished'
  const lines = rows.map(o => [
    o.seeker.padEnd(8), o.challenger.padEnd(11), o.rung.padEnd(13),
    String(o.readyMs).padStart(8), String(o.connectMs).padStart(11), String(o.settleMs).padStart(10),
    ('  ' + Object.entries(o.rtts).map(([k, v]) => `${k} ${median(v).toFixed(1)}`).join(', ')).padEnd(32),
    String(o.plies).padStart(5), String(o.relayPackets).padStart(11), String(o.directPackets).padStart(12),
    o.finished ? 'yes' : 'NO'
  ].join(' '))
  return ['', 'NAT lab matrix (router kind x router kind):', head, ...lines, ''].join('\n')
}

describe('the ladder in the NAT lab: every pair of router kinds plays a complete game', () => {
  pairs.forEach(([a, b], i) => {
    it(`${a} x ${b} finishes on ${expected[`${a}-${b}`]}`, async () => {
      const o = await pair(i, a, b)
      expect(o.finished).toBe(true)
      expect(o.rung).toBe(expected[`${a}-${b}`])
      // Where the relay carried the game, it carried all of it: no move went another way, the relay
      // host saw at least the four packets a relayed ply takes (act and acknowledgement, each in and
      // out). Elsewhere every ply crossed the
      // direct path (act and acknowledgement at least).
      if (o.rung === 'relayed') {
        expect(Object.keys(o.rtts)).toEqual(['relayed'])
        expect(o.relayPackets).toBeGreaterThanOrEqual(4 * o.plies)
      } else {
        expect(o.directPackets).toBeGreaterThanOrEqual(2 * o.plies)
      }
    }, 240_000)
  })
})
