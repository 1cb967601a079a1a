// A club on a LAN with no internet, run as the README shows but with no `--local`: a bootstrap
// node, two GNU Go bots and a reader on 192.168.77.0/24, one bridge, multicast on, a router with
// nothing on its WAN port (lab.sh `lan-up`). Every address is private, so p2pgo's WAN DHT holds
// nobody; the LAN DHT (src/net/dht/dual-dht.ts) must carry the rating records and the seeks.
// Before it existed the game was played but no record was ever published, and `p2pgo rating
// PEER` ended after ~30 s with "The operation was aborted due to timeout".
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLanLab, type LabProcess, type LanLab } from './lab.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
const GNUGO = '/usr/games/gnugo'
const ENGINE = `${GNUGO} --mode gtp --level 1`

let lab: LanLab
let dir: string
let bootstrapAddr: string
let seeker: LabProcess
const peerIds: Record<string, string> = {}

const home = (name: string): string => join(dir, name)
/** `p2pgo ARGS` in a host of the LAN, as a user runs it: no `--local`, no testbed variables. */
const p2pgo = (host: number, args: readonly string[]): LabProcess => lab.spawn(lab.hosts[host - 1].ns, process.execPath, [bin, ...args])
const runP2pgo = async (host: number, args: readonly string[], timeoutMs = 120_000): Promise<{ code: number, stdout: string, stderr: string }> =>
  await lab.exec(lab.hosts[host - 1].ns, process.execPath, [bin, ...args], { allowFailure: true, timeoutMs })
const tail = (p: LabProcess): string => `stderr: ${p.stderrLines.slice(-8).join(' | ')}\nstdout: ${p.lines.filter(l => !l.includes('game:move') && !l.includes('"delivery"')).slice(-8).join('\n')}`

describe.skipIf(!existsSync(GNUGO))('a LAN with no internet, no --local', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-lan-'))
    lab = await startLanLab(4)
    // host1: the club's bootstrap node, on its default listen set (every interface, port 4001).
    const boot = p2pgo(1, ['bootstrap', '--home', home('boot')])
    bootstrapAddr = await boot.waitForLine(l => l.startsWith(`/ip4/${lab.hosts[0].ip}/tcp/4001/p2p/`), { timeoutMs: 60_000 })
    for (const name of ['seeker', 'accepter']) {
      const id = await runP2pgo(1, ['id', '--home', home(name), '--json'])
      peerIds[name] = JSON.parse(id.stdout).peerId
    }
  }, 120_000)

  afterAll(async () => {
    await lab?.down()
    if (dir != null) rmSync(dir, { recursive: true, force: true })
  })

  it('mDNS multicast crosses the bridge (the lab itself)', async () => {
    // The router has no uplink, yet every host has a default route (as DHCP gives it): without
    // one, multicast-dns cannot send at all (ENETUNREACH), see README.
    const { stdout } = await lab.exec(lab.hosts[1].ns, 'ip', ['-d', 'link', 'show', 'eth0'])
    expect(stdout).toMatch(/MULTICAST/)
    const br = await lab.exec(lab.switch.ns, 'ip', ['-d', 'link', 'show', 'br0'])
    expect(br.stdout).toMatch(/mcast_snooping 0/)
  })

  it('two bots find each other and finish a co-signed game', async () => {
    const bot = (host: number, name: string, mode: string, games: number): LabProcess => p2pgo(host, [
      'bot', '--home', home(name), '--bootstrap', bootstrapAddr, mode, '--engine', ENGINE, '--name', name, '--games', String(games), '--json-events'
    ])
    // The seeker stays for a second game: `p2pgo match` must find it seeking afterwards.
    seeker = bot(2, 'seeker', '--seek', 2)
    await seeker.waitForLine(l => l.startsWith('{"type":"addresses"'), { timeoutMs: 60_000 })
    const accepter = bot(3, 'accepter', '--accept', 1)
    const code = await Promise.race([accepter.exited, new Promise(resolve => setTimeout(() => resolve('no game within 240 s'), 240_000))])
    expect(code, tail(accepter)).toBe(0)
    const ended = (p: LabProcess): Record<string, any> | undefined => p.json().find(e => e.type === 'game:ended' && e.cosigned === true)
    await seeker.waitForLine(l => l.startsWith('{"type":"game:ended"') && l.includes('"cosigned":true'), { timeoutMs: 60_000 })
    expect(ended(accepter)?.result).toBeDefined()
    expect(ended(seeker)?.result).toBe(ended(accepter)?.result)
  }, 330_000)

  it('a reader with a fresh home finds and audits both players\' rating records', async () => {
    for (const name of ['seeker', 'accepter']) {
      const { code, stdout, stderr } = await runP2pgo(4, ['rating', peerIds[name], '--audit', '--json', '--home', home('reader'), '--bootstrap', bootstrapAddr])
      expect(code, `${name}: ${stderr}`).toBe(0)
      expect(JSON.parse(stdout)).toMatchObject({ peer: peerIds[name], self: false, sizes: { 9: { games: 1 } }, audit: { ok: true, checked: 1, findings: [] } })
    }
  }, 300_000)

  it('p2pgo match finds the seeker', async () => {
    // The seeker announces itself again once its first game is over: a search may come a moment
    // before that, and says so (exit 1); a user tries again, so does this test (a few times).
    let last = { code: -1, stdout: '', stderr: '' }
    for (let attempt = 0; attempt < 4; attempt++) {
      last = await runP2pgo(4, ['match', '--list', '--json', '--home', home('reader'), '--bootstrap', bootstrapAddr])
      if (last.code === 0 && (JSON.parse(last.stdout).candidates as Array<{ peer: string }>).some(c => c.peer === peerIds.seeker)) break
      await new Promise(resolve => setTimeout(resolve, 5_000))
    }
    expect(last.code, `${last.stderr}\n${last.stdout}`).toBe(0)
    const answer = JSON.parse(last.stdout)
    expect(answer.candidates.map((c: { peer: string }) => c.peer), last.stdout).toContain(peerIds.seeker)
    expect(answer.candidates.find((c: { peer: string }) => c.peer === peerIds.seeker)).toMatchObject({ verified: true })
  }, 300_000)

  it('with no flag at all (no --bootstrap either), mDNS alone: a fresh reader finds the seeker and its rating', async () => {
    const match = await runP2pgo(4, ['match', '--list', '--json', '--home', home('mdns-reader')])
    expect(match.code, match.stderr).toBe(0)
    expect(JSON.parse(match.stdout).candidates.map((c: { peer: string }) => c.peer), match.stderr).toContain(peerIds.seeker)
    const rating = await runP2pgo(4, ['rating', peerIds.accepter, '--json', '--home', home('mdns-reader')])
    expect(rating.code, rating.stderr).toBe(0)
    expect(JSON.parse(rating.stdout)).toMatchObject({ peer: peerIds.accepter, sizes: { 9: { games: 1 } } })
  }, 180_000)
})
