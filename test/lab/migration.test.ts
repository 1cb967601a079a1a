// Path migration in the NAT lab: a game between a player behind a UPnP router and one behind
// symmetric NAT starts on the relay (no hole can be punched through symmetric NAT, and the UPnP
// router ignores the player's discovery requests for now); mid-game the router starts answering,
// the port is mapped, the new address reaches the opponent in the lobby and the game moves to
// it; then the relay is killed and the game still finishes, with every move seen exactly once on
// both sides.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { directPathPackets, relayHostPackets, startLab, type Lab, type LabProcess } from './lab.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
const ENGINE = '/usr/games/gnugo --mode gtp --level 1'
const RANGES = '198.51.100.0/24,203.0.113.0/24'

let lab: Lab
let dir: string
let boot: LabProcess
let bootstrapAddr: string

function p2pgo (ns: string, args: readonly string[]): LabProcess {
  return lab.spawn(ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, process.execPath, bin, ...args])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pgo-migration-'))
  lab = await startLab(['sym', 'upnp'], { stunPort: 3479 })
  boot = p2pgo(lab.pub.ns, ['bootstrap', '--home', join(dir, 'boot'), '--listen', `/ip4/${lab.pub.ip}/tcp/4001`, '--announce', `/ip4/${lab.pub.ip}/tcp/4001`, '--stun-port', '3478'])
  bootstrapAddr = await boot.waitForLine(/\/tcp\/4001\/p2p\//, { timeoutMs: 30_000 })
}, 120_000)

afterAll(async () => {
  await lab?.down()
  rmSync(dir, { recursive: true, force: true })
})

type Event = Record<string, any>

describe('path migration in the NAT lab', () => {
  it('moves a relayed game to the direct path mid-game, survives the relay being killed, and loses or repeats no move', async () => {
    const bot = (name: string, mode: string): LabProcess => p2pgo(lab.peer(name).ns, [
      'bot', '--home', join(dir, name), '--listen', '/ip4/0.0.0.0/tcp/4001,/p2p-circuit,/webrtc', '--bootstrap', bootstrapAddr,
      mode, '--engine', ENGINE, '--name', name, '--size', '13', '--move-delay', '400', '--json-events'
    ])
    // The UPnP router drops its player's SSDP discovery (UDP 1900) until the game is under way.
    const symWan = lab.peer('sym1').publicIp
    const router = lab.peer('upnp1').router?.ns as string
    await lab.exec(router, 'nft', ['add', 'table', 'ip', 'nossdp'])
    await lab.exec(router, 'nft', ['add', 'chain', 'ip', 'nossdp', 'input', '{ type filter hook input priority -10 ; policy accept ; }'])
    await lab.exec(router, 'nft', ['add', 'rule', 'ip', 'nossdp', 'input', 'udp', 'dport', '1900', 'drop'])
    const sym = bot('sym1', '--seek')
    await sym.waitForLine(l => l.startsWith('{"type":"addresses"') && l.includes('/p2p-circuit'), { timeoutMs: 60_000 })
    const pub = bot('upnp1', '--accept')
    const events = (p: LabProcess): Event[] => p.json<Event>()
    const on = (p: LabProcess, type: string, test: (e: Event) => boolean = () => true): Event | undefined => events(p).find(e => e.type === type && test(e))

    const wans = [symWan, lab.peer('upnp1').publicIp] as const
    const relayPackets = async (): Promise<number> => await relayHostPackets(lab, wans)
    const directPackets = async (): Promise<number> => await directPathPackets(lab, wans)
    const plies = (): number => events(sym).filter(e => e.type === 'game:move').length

    // 1. The game starts on the relay.
    await sym.waitForLine(l => l.startsWith('{"type":"game:started"'), { timeoutMs: 60_000 })
    const relayAtStart = await relayPackets()
    const firstPath = await sym.waitForLine(l => l.startsWith('{"type":"game:path"'), { timeoutMs: 30_000 })
    expect(JSON.parse(firstPath).to).toBe('relayed')

    // 2. Some moves go over the relay; then the router answers discovery, maps the port, and the
    // game moves to the mapping, on both sides.
    await sym.waitForLine(l => l.startsWith('{"type":"game:move"') && JSON.parse(l).ply >= 6, { timeoutMs: 60_000 })
    await lab.exec(router, 'nft', ['delete', 'table', 'ip', 'nossdp'])
    const moved = (e: Event): boolean => e.from === 'relayed' && e.to === 'upnp'
    await sym.waitForLine(l => l.startsWith('{"type":"game:path"') && moved(JSON.parse(l)), { timeoutMs: 75_000 })
    await pub.waitForLine(l => l.startsWith('{"type":"game:path"') && moved(JSON.parse(l)), { timeoutMs: 30_000 })
    const plyAtMove = plies()
    expect(on(sym, 'game:ended')).toBeUndefined()
    const [relay0, direct0] = [await relayPackets(), await directPackets()]
    const relayedPerPly = (relay0 - relayAtStart) / plyAtMove

    // 3. Direct means direct: every ply now crosses the direct path (act and acknowledgement at
    // least), and the relay host's packets per ply fall to the nodes' own upkeep with it (gossip,
    // DHT, pings), a fraction of what it carried per ply while it relayed the game.
    await new Promise(resolve => setTimeout(resolve, 5000))
    const [relay1, direct1, plies1] = [await relayPackets(), await directPackets(), plies()]
    const pliesInWindow = plies1 - plyAtMove
    expect(pliesInWindow).toBeGreaterThan(5)
    expect(direct1 - direct0).toBeGreaterThanOrEqual(2 * pliesInWindow)
    const directPerPly = (relay1 - relay0) / pliesInWindow
    expect(plyAtMove).toBeGreaterThan(5)
    expect(relayedPerPly).toBeGreaterThanOrEqual(4)
    expect(directPerPly).toBeLessThan(relayedPerPly)
    // The relayed connection is gone: `p2pgo peers` (over the running bot's control socket) shows
    // the opponent on the upnp rung with no limited connection left.
    const peers = await runCli(['peers', '--home', join(dir, 'sym1'), '--json'])
    expect(peers.code, peers.stderr).toBe(0)
    const opponent = JSON.parse(peers.stdout).peers.find((p: Event) => p.peer === on(pub, 'listening')?.addresses[0].split('/p2p/')[1])
    expect(opponent?.rung).toBe('upnp')
    console.log(`connections to the opponent after the move: ${JSON.stringify(opponent?.connections)}`)
    expect(opponent?.connections.filter((c: Event) => c.limited)).toEqual([])

    // 4. The relay dies mid-game; the game goes on over the direct path and finishes.
    expect(on(sym, 'game:ended')).toBeUndefined()
    await boot.kill()
    const [cu, cs] = await Promise.all([pub.exited, sym.exited])
    expect(cu, pub.stderrLines.slice(-5).join('\n')).toBe(0)
    expect(cs, sym.stderrLines.slice(-5).join('\n')).toBe(0)
    const endU = on(pub, 'game:ended', e => e.cosigned === true)
    const endS = on(sym, 'game:ended', e => e.cosigned === true)
    expect(endU?.result).toBe(endS?.result)
    expect(endS?.rung).toBe('upnp')
    const movesAfterKill = events(sym).filter(e => e.type === 'game:move').length - plies1
    expect(movesAfterKill).toBeGreaterThan(0)

    // 5. No move lost or repeated: plies 0..N-1 exactly once on each side, the same moves on both.
    const moves = (p: LabProcess): string[] => events(p).filter(e => e.type === 'game:move').map(e => `${e.ply as number}:${e.by as string}:${e.move as string}`)
    const mu = moves(pub)
    const ms = moves(sym)
    const firstDiff = mu.findIndex((m, i) => m !== ms[i])
    expect(firstDiff, `first difference at ${firstDiff}: ${mu.slice(firstDiff - 2, firstDiff + 3).join(' ')} vs ${ms.slice(firstDiff - 2, firstDiff + 3).join(' ')}`).toBe(-1)
    expect(mu).toEqual(ms)
    expect(mu.map(m => Number(m.split(':')[0]))).toEqual(mu.map((_, i) => i))
    const reportDir = process.env.P2PGO_LAB_REPORT_DIR
    if (reportDir != null && reportDir !== '') {
      const failedUpgradesMs = [...events(pub), ...events(sym)].filter(e => e.type === 'game:upgrade' && e.from === 'relayed' && e.ok === false).map(e => e.ms as number)
      writeFileSync(join(reportDir, 'migration.json'), JSON.stringify({ measured: new Date().toISOString(), relayedPlies: plyAtMove, relayedPerPly, windowPlies: pliesInWindow, directPackets: direct1 - direct0, relayPackets: relay1 - relay0, directPerPly, pliesAfterKill: movesAfterKill, failedUpgradesMs }, null, 2) + '\n')
    }
    console.log(`\npath migration: relayed for ${plyAtMove} plies (${relayedPerPly.toFixed(1)} relay-host packets per ply), then upnp; ${pliesInWindow} plies in a 5 s window: ${direct1 - direct0} packets on the direct path, ${relay1 - relay0} at the relay host (${directPerPly.toFixed(1)} per ply); relay killed, ${movesAfterKill} more plies, ${endS?.result as string}`)
  }, 300_000)
})
