// The rendezvous in the NAT lab: a fresh home behind a home NAT, with an empty config and no
// bootstrap peer, joins the p2pgo network through a stand-in of the public IPFS DHT alone (three
// kad-dht servers speaking /ipfs/kad/1.0.0 on the lab's public host), where the bootstrap relay
// published itself; it finds a player there and finishes a co-signed game. Then the rendezvous
// and the bootstrap relay are stopped, and the same two homes, restarted, find each other from
// their peer caches alone and play again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab, type LabProcess } from './lab.js'

const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))
const polyfill = fileURLToPath(new URL('../../dist/src/polyfill.js', import.meta.url))
const ENGINE = '/usr/games/gnugo --mode gtp --level 1'
const RANGES = '198.51.100.0/24,203.0.113.0/24'

/** Three Amino-protocol DHT servers on HOST (ports 4101-4103) that know each other; prints each one's multiaddr. */
const standInScript = (host: string): string => `
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
const nodes = []
for (const port of [4101, 4102, 4103]) {
  nodes.push(await createLibp2p({
    addresses: { listen: ['/ip4/${host}/tcp/' + port] },
    transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping({ maxOutboundStreams: 32 }), dht: kadDHT({ protocol: '/ipfs/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper }) }
  }))
}
for (const a of nodes) for (const b of nodes) if (a !== b) await a.dial(b.getMultiaddrs()[0])
for (const n of nodes) console.log(n.getMultiaddrs()[0].toString())
`

let lab: Lab
let dir: string
let rendezvous: string
let bootstrapAddr: string
let standIn: LabProcess
let boot: LabProcess

function p2pgo (ns: string, args: readonly string[]): LabProcess {
  // The rendezvous's own log always (a few lines): what a failure here most needs.
  return lab.spawn(ns, 'env', [`P2PGO_PUBLIC_RANGES=${RANGES}`, `DEBUG=${process.env.LAB_DEBUG ?? 'p2pgo:rendezvous'}`, process.execPath, bin, ...args])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pgo-rendezvous-lab-'))
  lab = await startLab(['eim', 'public'], { stunPort: 3479 })
  standIn = lab.spawn(lab.pub.ns, process.execPath, ['--import', polyfill, '--input-type=module', '-e', standInScript(lab.pub.ip2)])
  const found: string[] = []
  while (found.length < 3) found.push(await standIn.waitForLine(l => l.startsWith('/ip4/') && !found.includes(l), { timeoutMs: 30_000 }))
  rendezvous = found.join(',')
  boot = p2pgo(lab.pub.ns, ['bootstrap', '--home', join(dir, 'boot'), '--listen', `/ip4/${lab.pub.ip}/tcp/4001`, '--announce', `/ip4/${lab.pub.ip}/tcp/4001`, '--stun-port', '3478', '--rendezvous', rendezvous])
  bootstrapAddr = await boot.waitForLine(/\/tcp\/4001\/p2p\//, { timeoutMs: 30_000 })
}, 120_000)

afterAll(async () => {
  await lab?.down()
  if (dir != null && process.env.LAB_KEEP == null) rmSync(dir, { recursive: true, force: true })
})

/** A bot in a lab namespace with its own home (kept across restarts). */
function bot (name: string, args: string[]): LabProcess {
  return p2pgo(lab.peer(name).ns, ['bot', '--home', join(dir, name), '--engine', ENGINE, '--name', name, '--move-delay', '50', '--json-events', ...args])
}

const tail = (p: LabProcess): string => `${p.stderrLines.filter(l => !l.includes('libp2p:') || /peer-cache|dial|rendezvous/.test(l)).slice(-30).join(' | ')}\n${p.lines.filter(l => !l.includes('game:move') && !l.includes('"delivery"')).slice(-8).join('\n')}`

/** What a home's peer cache holds: each entry's failures and when it last worked (a failure's story). */
function cached (name: string): string {
  try {
    const file = JSON.parse(readFileSync(join(dir, name, 'peers.json'), 'utf8')) as { peers: Array<{ lastWorked: number, failures: number }> }
    return `${name}'s peer cache: ${file.peers.map(p => `failures ${p.failures}, worked ${new Date(p.lastWorked).toISOString()}`).join('; ')}`
  } catch (err) {
    return `${name}'s peer cache: ${(err as Error).message}`
  }
}

/** Waits for both bots to finish a game, and checks it was co-signed with one result. */
async function playedTogether (seeker: LabProcess, accepter: LabProcess, seconds: number): Promise<void> {
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => {
    reject(new Error(`no finished game within ${seconds} s\neim1: ${tail(seeker)}\npublic1: ${tail(accepter)}\n${cached('eim1')}\n${cached('public1')}`))
  }, seconds * 1000))
  const [cs, ca] = await Promise.race([Promise.all([seeker.exited, accepter.exited]), timeout])
  expect(cs, tail(seeker)).toBe(0)
  expect(ca, tail(accepter)).toBe(0)
  const ended = (p: LabProcess): Record<string, any> | undefined => p.json().find(e => e.type === 'game:ended' && e.cosigned === true)
  expect(ended(seeker)?.result).toBeDefined()
  expect(ended(seeker)?.result).toBe(ended(accepter)?.result)
}

describe('rendezvous in the NAT lab', () => {
  // The player already in the network keeps one port, as a user who set `--port` does: the
  // address its peer record carries (and the newcomer caches) is still its address after a restart.
  const accepterArgs = ['--accept', '--bootstrap', '', '--no-rendezvous', '--port', '4002']

  it('a fresh home behind a home NAT, with no bootstrap peer, joins through the stand-in alone and finishes a game', async () => {
    accepterArgs[2] = bootstrapAddr
    // The newcomer: an empty home, no --bootstrap, only the rendezvous.
    const seeker = bot('eim1', ['--seek', '--rendezvous', rendezvous])
    // A player already in the network through the bootstrap relay.
    const accepter = bot('public1', accepterArgs)
    await playedTogether(seeker, accepter, 170)
  }, 180_000)

  it('with the rendezvous and the bootstrap relay stopped, both restart from their peer caches and play again', async () => {
    await Promise.all([standIn.kill(), boot.kill()])
    const seeker = bot('eim1', ['--seek', '--rendezvous', rendezvous])
    const accepter = bot('public1', accepterArgs)
    await playedTogether(seeker, accepter, 170)
  }, 180_000)
})
