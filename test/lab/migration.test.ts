// Path migration in the NAT lab: a game starts on the relay (a UPnP player whose router has not
// mapped its port yet, against a player behind symmetric NAT, so no hole can be punched), moves
// to the direct path the moment the mapping appears, and finishes after the relay is killed,
// with every move seen exactly once on both sides.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab, type LabProcess } from './lab.js'

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
  lab = await startLab(['upnp', 'sym'], { stunPort: 3479 })
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
      mode, '--engine', ENGINE, '--name', name, '--move-delay', '400', '--json-events'
    ])
    // Both start at once: the game begins long before miniupnpd maps the port (about 7 s).
    const upnp = bot('upnp1', '--seek')
    const sym = bot('sym1', '--accept')
    const events = (p: LabProcess): Event[] => p.json<Event>()
    const on = (p: LabProcess, type: string, test: (e: Event) => boolean = () => true): Event | undefined => events(p).find(e => e.type === type && test(e))

    // 1. The game starts on the relay.
    await sym.waitForLine(l => l.startsWith('{"type":"game:started"'), { timeoutMs: 60_000 })
    const firstPath = await sym.waitForLine(l => l.startsWith('{"type":"game:path"'), { timeoutMs: 30_000 })
    expect(JSON.parse(firstPath).to).toBe('relayed')

    // 2. The mapping appears and the game moves to it, on both sides.
    const moved = (e: Event): boolean => e.from === 'relayed' && e.to === 'upnp'
    await sym.waitForLine(l => l.startsWith('{"type":"game:path"') && moved(JSON.parse(l)), { timeoutMs: 60_000 })
    await upnp.waitForLine(l => l.startsWith('{"type":"game:path"') && moved(JSON.parse(l)), { timeoutMs: 30_000 })
    const plyAtMove = events(sym).filter(e => e.type === 'game:move').length
    expect(on(sym, 'game:ended')).toBeUndefined()

    // 3. Direct means direct: with the game on the mapping, the relay host sees (almost) none of its traffic.
    const wans = [lab.peer('upnp1').publicIp, lab.peer('sym1').publicIp]
    const relayPackets = async (): Promise<number> => {
      const c = await lab.counters(lab.pub.ns)
      // TCP only: a relayed game travels over the players' TCP connections to the relay (the UDP
      // there is STUN, which ICE keeps sending while it looks for a hole).
      return wans.reduce((sum, wan) => sum + c.packets({ src: wan, dst: lab.pub.ip, proto: 'tcp' }) + c.packets({ src: lab.pub.ip, dst: wan, proto: 'tcp' }), 0)
    }
    const directPackets = async (): Promise<number> => {
      const c = await lab.counters(lab.inet.ns)
      return c.packets({ src: wans[0], dst: wans[1] }) + c.packets({ src: wans[1], dst: wans[0] })
    }
    const [relay0, direct0, plies0] = [await relayPackets(), await directPackets(), events(sym).filter(e => e.type === 'game:move').length]
    await new Promise(resolve => setTimeout(resolve, 5000))
    const [relay1, direct1, plies1] = [await relayPackets(), await directPackets(), events(sym).filter(e => e.type === 'game:move').length]
    const pliesInWindow = plies1 - plies0
    expect(pliesInWindow).toBeGreaterThan(3)
    // Every ply crosses the direct path (act and acknowledgement)...
    expect(direct1 - direct0).toBeGreaterThanOrEqual(2 * pliesInWindow)
    // ...and the relay host sees fewer packets than relaying them would take (each relayed ply is
    // at least four there: the act in and out, the acknowledgement in and out); what it does see
    // is the nodes' own upkeep with it (gossip, DHT, pings).
    expect(relay1 - relay0).toBeLessThan(2 * pliesInWindow)

    // 4. The relay dies mid-game; the game goes on over the direct path and finishes.
    expect(on(sym, 'game:ended')).toBeUndefined()
    await boot.kill()
    const [cu, cs] = await Promise.all([upnp.exited, sym.exited])
    expect(cu, upnp.stderrLines.slice(-5).join('\n')).toBe(0)
    expect(cs, sym.stderrLines.slice(-5).join('\n')).toBe(0)
    const endU = on(upnp, 'game:ended', e => e.cosigned === true)
    const endS = on(sym, 'game:ended', e => e.cosigned === true)
    expect(endU?.result).toBe(endS?.result)
    expect(endS?.rung).toBe('upnp')
    const movesAfterKill = events(sym).filter(e => e.type === 'game:move').length - plies1
    expect(movesAfterKill).toBeGreaterThan(0)

    // 5. No move lost or repeated: plies 1..N exactly once on each side, the same moves on both.
    const moves = (p: LabProcess): string[] => events(p).filter(e => e.type === 'game:move').map(e => `${e.ply as number}:${e.by as string}:${e.move as string}`)
    const mu = moves(upnp)
    const ms = moves(sym)
    expect(mu).toEqual(ms)
    expect(mu.map(m => Number(m.split(':')[0]))).toEqual(mu.map((_, i) => i + 1))
    const reportDir = process.env.P2PGO_LAB_REPORT_DIR
    if (reportDir != null && reportDir !== '') {
      const failedUpgradesMs = [...events(upnp), ...events(sym)].filter(e => e.type === 'game:upgrade' && e.from === 'relayed' && e.ok === false).map(e => e.ms as number)
      writeFileSync(join(reportDir, 'migration.json'), JSON.stringify({ measured: new Date().toISOString(), relayedPlies: plyAtMove, windowPlies: pliesInWindow, directPackets: direct1 - direct0, relayPackets: relay1 - relay0, pliesAfterKill: movesAfterKill, failedUpgradesMs }, null, 2) + '\n')
    }
    console.log(`\npath migration: relayed for ${plyAtMove} plies, then upnp; ${pliesInWindow} plies in a 5 s window: ${direct1 - direct0} packets on the direct path, ${relay1 - relay0} at the relay host; relay killed, ${movesAfterKill} more plies, ${endS?.result as string}`)
  }, 240_000)
})
