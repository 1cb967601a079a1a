// `p2pgo doctor --json` behind each kind of router in the NAT lab: the reach, NAT type and double
// NAT it reports are the router's real behaviour (test/lab/README.md). The relay's STUN is the lab's
// responder on pub's two addresses, so two STUN servers at different addresses are asked.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab, type LabProcess, type RouterKind } from './lab.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
/** The lab's simulated internet uses the documentation ranges: p2pgo must see them as public. */
const RANGES = '198.51.100.0/24,203.0.113.0/24'

const ENGINE = `${process.execPath} ${bin} engine`

const kinds: RouterKind[] = ['upnp', 'eim', 'sym', 'double', 'double-upnp', 'public']

/**
 * What each router kind must show. A double NAT's mapping is endpoint-independent (both NATs are):
 * STUN cannot tell it from one NAT, the home router's UPnP can (its own external address is
 * 100.64.N.2); without a UPnP gateway (`double`, and the routers without UPnP) it cannot be told.
 */
const expected: Record<RouterKind, { reach: string, nat: string, double: boolean | null }> = {
  upnp: { reach: 'upnp', nat: 'endpoint-independent', double: false },
  eim: { reach: 'hole-punchable', nat: 'endpoint-independent', double: null },
  sym: { reach: 'relayed only', nat: 'endpoint-dependent', double: null },
  double: { reach: 'hole-punchable', nat: 'endpoint-independent', double: null },
  'double-upnp': { reach: 'hole-punchable', nat: 'endpoint-independent', double: true },
  public: { reach: 'public', nat: 'none', double: null }
}

let lab: Lab
let dir: string
let bootstrapAddr: string
let stun: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pgo-lab-doctor-'))
  lab = await startLab(kinds)
  // The relay's own STUN on a free port: the lab's responder (one socket per address, so each answer leaves from the address asked) keeps 3478.
  const boot = lab.spawn(lab.pub.ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, process.execPath, bin, 'bootstrap', '--home', join(dir, 'boot'), '--listen', `/ip4/${lab.pub.ip}/tcp/4001`, '--announce', `/ip4/${lab.pub.ip}/tcp/4001`, '--stun-port', '0'])
  bootstrapAddr = await boot.waitForLine(/\/tcp\/4001\/p2p\//, { timeoutMs: 30_000 })
  stun = `${lab.pub.ip}:${lab.pub.stunPort},${lab.pub.ip2}:${lab.pub.stunPort}`
}, 120_000)

afterAll(async () => {
  await lab?.down()
  rmSync(dir, { recursive: true, force: true })
})

describe('p2pgo doctor in the NAT lab', () => {
  it('reports each router kind\'s reach, NAT type and double NAT, and every one can play', async () => {
    const doctor = async (peer: string, home: string, json: boolean): Promise<{ code: number, stdout: string, stderr: string }> =>
      await lab.exec(lab.peer(peer).ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, process.execPath, bin, 'doctor', ...(json ? ['--json'] : []), '--home', join(dir, home), '--bootstrap', bootstrapAddr, '--stun', stun], { timeoutMs: 120_000, allowFailure: true })
    // The same double NAT in words, from a second home beside it.
    const text = doctor('double-upnp1', 'double-upnp1-text', false)
    const answers = await Promise.all(kinds.map(async kind => {
      const run = await doctor(`${kind}1`, `${kind}1`, true)
      return { kind, code: run.code, answer: run.stdout.startsWith('{') ? JSON.parse(run.stdout) : undefined, stderr: run.stderr }
    }))
    const seen = Object.fromEntries(answers.map(a => [a.kind, { reach: a.answer?.reach, nat: a.answer?.nat?.type, double: a.answer?.nat?.double }]))
    console.log(answers.map(a => `${a.kind.padEnd(7)} exit ${a.code}  ${JSON.stringify(a.answer ?? a.stderr)}`).join('\n'))
    expect(seen).toEqual(expected)
    for (const a of answers) {
      expect(a.code, `${a.kind}: ${a.stderr}`).toBe(0)
      expect(a.answer.relays.map((r: { peer: string }) => r.peer)).toContain(bootstrapAddr.split('/p2p/')[1])
    }
    // The STUN servers saw the router's WAN address (the CGN's for double NAT), the public peer its own.
    expect(answers.find(a => a.kind === 'public')!.answer.nat.publicAddresses[0]).toMatch(new RegExp(`^${lab.peer('public1').ip.replaceAll('.', '\\.')}:`))
    expect(answers.find(a => a.kind === 'eim')!.answer.nat.publicAddresses[0]).toMatch(new RegExp(`^${lab.peer('eim1').publicIp.replaceAll('.', '\\.')}:`))
    expect(answers.find(a => a.kind === 'sym')!.answer.nat.publicAddresses).toHaveLength(2)
    expect(answers.find(a => a.kind === 'sym')!.answer.advice.join(' ')).toMatch(/symmetric NAT: hole punching cannot work/)
    // The double NAT: the home router's own external address is the CGN's subscriber address, STUN saw the CGN's public one.
    const double = answers.find(a => a.kind === 'double-upnp')!.answer
    expect(double.nat.gatewayAddress).toBe(lab.peer('double-upnp1').router!.wan)
    expect(double.nat.publicAddresses[0]).toMatch(new RegExp(`^${lab.peer('double-upnp1').publicIp.replaceAll('.', '\\.')}:`))
    expect(double.upnp.mapped).toBeNull()
    expect(double.advice.join(' ')).toMatch(/double NAT .*UPnP mappings cannot make it reachable/)
    expect(answers.find(a => a.kind === 'upnp')!.answer.nat.gatewayAddress).toBe(lab.peer('upnp1').router!.wan)
    const words = await text
    expect(words.code, words.stderr).toBe(0)
    expect(words.stdout).toContain(`double NAT (the router's own external address is ${lab.peer('double-upnp1').router!.wan})`)
  }, 180_000)
})

describe('behind a symmetric NAT known from STUN', () => {
  it('a relayed game tries no WebRTC hole punch from that side, says so, and finishes on the relay', async () => {
    const bots: LabProcess[] = []
    const bot = (name: string, mode: string): LabProcess => {
      const p = lab.spawn(lab.peer(name).ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, 'DEBUG=p2pgo:game', process.execPath, bin,
        'bot', '--home', join(dir, `game-${name}`), '--bootstrap', bootstrapAddr, '--stun', stun, mode, '--engine', ENGINE, '--name', name, '--move-delay', '100', '--json-events'])
      bots.push(p)
      return p
    }
    try {
      const sym = bot('sym1', '--seek')
      await sym.waitForLine(l => l.startsWith('{"type":"addresses"') && (JSON.parse(l).addresses as string[]).some(a => a.includes('/p2p-circuit')), { timeoutMs: 60_000 })
      const eim = bot('eim1', '--accept')
      const [codeSym, codeEim] = await Promise.all([sym.exited, eim.exited])
      expect(codeSym, sym.stderrLines.slice(-5).join('\n')).toBe(0)
      expect(codeEim, eim.stderrLines.slice(-5).join('\n')).toBe(0)
      const ended = sym.json().find(e => e.type === 'game:ended' && e.cosigned === true)
      expect(ended?.rung).toBe('relayed')
      // Before this change the symmetric side dialled the opponent's WebRTC address on every try, and every one failed.
      expect(sym.stderrLines.filter(l => /no direct path to .* via .*\/webrtc/.test(l))).toEqual([])
      expect(sym.stderrLines.some(l => l.includes('behind a symmetric NAT'))).toBe(true)
    } finally {
      await Promise.all(bots.map(async b => { await b.kill() }))
    }
  }, 240_000)
})
