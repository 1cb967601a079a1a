import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab, type LabProcess, type RouterKind } from './lab.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
const ENGINE = '/usr/games/gnugo --mode gtp --level 1'
/** The lab's simulated internet uses the documentation ranges: p2pgo must see them as public. */
const RANGES = '198.51.100.0/24,203.0.113.0/24'

let lab: Lab
let dir: string
let bootstrapAddr: string

function p2pgo (ns: string, args: readonly string[]): LabProcess {
  return lab.spawn(ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, process.execPath, bin, ...args])
}

// The first pair of the matrix. Pairs with a NATed peer are not here yet (see the README's known
// limits): behind NAT a bot takes no relay reservation yet, and a bot whose game ran over WebRTC
// does not exit after it (node.stop() hangs).
const kinds: RouterKind[] = ['public', 'public']

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pgo-ladder-'))
  // The lab's own STUN responder moves aside: the bootstrap relay answers STUN on 3478 itself.
  lab = await startLab(kinds, { stunPort: 3479 })
  const boot = p2pgo(lab.pub.ns, ['bootstrap', '--home', join(dir, 'boot'), '--listen', `/ip4/${lab.pub.ip}/tcp/4001`, '--announce', `/ip4/${lab.pub.ip}/tcp/4001`, '--stun-port', '3478'])
  bootstrapAddr = await boot.waitForLine(/\/tcp\/4001\/p2p\//, { timeoutMs: 30_000 })
}, 120_000)

afterAll(async () => {
  await lab?.down()
  rmSync(dir, { recursive: true, force: true })
})

/** Two GNU Go bots behind the named peers play one 9x9 game through the bootstrap relay. */
async function pair (seeker: string, taker: string): Promise<{ rung: string, result: string }> {
  // A public peer announces its address as an operator would: libp2p 3 otherwise waits for AutoNAT
  // to confirm it, which a lab of a few peers may not do in time.
  const bot = (name: string, mode: string): LabProcess => p2pgo(lab.peer(name).ns, [
    'bot', '--home', join(dir, name), '--listen', '/ip4/0.0.0.0/tcp/4001,/p2p-circuit,/webrtc', '--bootstrap', bootstrapAddr,
    ...(lab.peer(name).kind === 'public' ? ['--announce', `/ip4/${lab.peer(name).ip}/tcp/4001`] : []),
    mode, '--engine', ENGINE, '--name', name, '--json-events'
  ])
  const a = bot(seeker, '--seek')
  const b = bot(taker, '--accept')
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => {
    reject(new Error(`no game within 120 s\n${seeker}: ${a.stderrLines.slice(-6).join(' | ')}\n${a.lines.filter(l => !l.includes('game:move')).slice(-6).join('\n')}\n${taker}: ${b.stderrLines.slice(-6).join(' | ')}\n${b.lines.filter(l => !l.includes('game:move')).slice(-6).join('\n')}`))
  }, 120_000))
  const [ca, cb] = await Promise.race([Promise.all([a.exited, b.exited]), timeout])
  const ended = a.json().find(e => e.type === 'game:ended' && e.cosigned === true)
  expect(ca, a.stderrLines.slice(-5).join('\n')).toBe(0)
  expect(cb, b.stderrLines.slice(-5).join('\n')).toBe(0)
  expect(ended).toBeDefined()
  return { rung: ended?.rung, result: ended?.result }
}

describe('the ladder in the NAT lab', () => {
  it('public × public plays directly', async () => {
    const r = await pair('public1', 'public2')
    expect(r.rung).toBe('direct')
  }, 180_000)

})
