// Smoke tests of the NAT lab itself (no p2pgo yet): every router kind behaves as its name says.
// Needs root and the Debian packages named in README.md; run with `sudo npm run test:lab`.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labScript, probeScript, routerKinds, startLab, type Counters, type Lab, type LabPeer, type LabProcess } from './lab.js'

const node = process.execPath

const hostNamespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map(l => l.split(' ')[0]).filter(n => n !== '')

const hostLinks = (): string[] =>
  execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map(l => l.split(': ')[1]?.split('@')[0] ?? '').filter(n => n !== '')

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Runs probe.mjs in a namespace and returns the JSON line it prints. */
async function probe (lab: Lab, ns: string, ...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await lab.exec(ns, node, [probeScript, ...args], { timeoutMs: 20_000 })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '')
}

/** Waits (bounded) for `find` to return something; the bound is a safety net, not the verdict. */
async function eventually<T> (find: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

const delta = (before: Counters, after: Counters, flow: { src?: string, dst?: string, proto?: string }): number =>
  after.packets(flow) - before.packets(flow)

/** The namespaces a lab of these peers must consist of. */
const expectedNamespaces = (lab: Lab): string[] => [
  lab.inet.ns,
  lab.pub.ns,
  ...lab.peers.flatMap(p => [p.ns, ...(p.router != null ? [p.router.ns] : []), ...(p.cgn != null ? [p.cgn.ns] : [])])
].sort()

describe('lab lifecycle', () => {
  it('lab.sh check names the Debian packages to install when tools are missing', () => {
    const result = spawnSync('/bin/bash', [labScript, 'check'], { env: { PATH: '/nonexistent' }, encoding: 'utf8' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('apt-get install -y iproute2 nftables iptables miniupnpd-iptables miniupnpc')
  })

  it('builds every router kind in seconds and tears down leaving no namespace, link or process', async () => {
    const started = Date.now()
    const lab = await startLab(routerKinds)
    const buildMs = Date.now() - started
    const ours = (): string[] => hostNamespaces().filter(n => n.startsWith(lab.prefix)).sort()
    try {
      expect(ours()).toEqual(expectedNamespaces(lab))
      expect(lab.peers.map(p => `${p.name}:${p.kind}`)).toEqual(routerKinds.map(k => `${k}1:${k}`))
      // The STUN responder on pub and miniupnpd on the upnp router run inside their namespaces.
      const daemons = [lab.pub.ns, lab.peer('upnp1').router?.ns ?? '']
        .flatMap(ns => execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(l => l !== '').map(Number))
      expect(daemons).toHaveLength(2)
      const sleeper = lab.spawn(lab.peer('eim1').ns, 'sleep', ['600'])
      const sleeperPid = await eventually(() => sleeper.child.pid, 'sleep to start')
      expect(execFileSync('ip', ['netns', 'pids', lab.peer('eim1').ns], { encoding: 'utf8' })).toContain(String(sleeperPid))

      await lab.down()
      expect(ours()).toEqual([])
      expect(hostLinks().filter(l => l.startsWith(lab.prefix))).toEqual([])
      expect(await sleeper.exited).toBe('SIGTERM')
      expect(daemons.filter(alive)).toEqual([])
      expect(existsSync(lab.stateDir)).toBe(false)
      await lab.down() // idempotent
      expect(buildMs).toBeLessThan(15_000)
    } finally {
      await lab.down()
    }
  })
})

describe('NAT lab: two peers of every router kind', () => {
  let lab: Lab
  let udpEcho: LabProcess
  let tcpEcho: LabProcess
  const pubEcho = (): string => `${lab.pub.ip}:7000`

  beforeAll(async () => {
    lab = await startLab(['upnp', 'upnp', 'eim', 'eim', 'sym', 'sym', 'double', 'double', 'public', 'public'])
    udpEcho = lab.spawn(lab.pub.ns, node, [probeScript, 'udp-echo', pubEcho()])
    tcpEcho = lab.spawn(lab.pub.ns, node, [probeScript, 'tcp-echo', pubEcho()])
    await udpEcho.waitForLine('listening')
    await tcpEcho.waitForLine('listening')
  })

  afterAll(async () => {
    await lab?.down()
  })

  it('every peer reaches the pub host over UDP and TCP, seen there from its public address', async () => {
    await Promise.all(lab.peers.map(async peer => {
      const udp = await probe(lab, peer.ns, 'udp-send', pubEcho(), `udp-${peer.name}`)
      expect(udp.reply, peer.name).toBe(`echo:udp-${peer.name}`)
      const tcp = await probe(lab, peer.ns, 'tcp-send', pubEcho(), `tcp-${peer.name}`)
      expect(tcp.reply, peer.name).toBe(`echo:tcp-${peer.name}`)
    }))
    for (const peer of lab.peers) {
      const udp = udpEcho.json().find(e => e.data === `udp-${peer.name}`)
      const tcp = tcpEcho.json().find(e => e.data === `tcp-${peer.name}`)
      expect(udp?.from.split(':')[0], peer.name).toBe(peer.publicIp)
      expect(tcp?.from.split(':')[0], peer.name).toBe(peer.publicIp)
      if (peer.kind !== 'public') expect(peer.publicIp, peer.name).not.toBe(peer.ip)
    }
  })

  it('the inet router counts packets per flow, so a path that carries nothing reads zero', async () => {
    const [a, b] = [lab.peer('public1'), lab.peer('public2')]
    const listener = lab.spawn(b.ns, node, [probeScript, 'udp-echo', `${b.ip}:7100`])
    await listener.waitForLine('listening')
    const inetBefore = await lab.counters(lab.inet.ns)
    const pubBefore = await lab.counters(lab.pub.ns)
    expect((await probe(lab, a.ns, 'udp-send', `${b.ip}:7100`, 'direct')).reply).toBe('echo:direct')
    const inetAfter = await lab.counters(lab.inet.ns)
    const pubAfter = await lab.counters(lab.pub.ns)
    // One datagram each way between the two public peers, through inet and not through pub.
    expect(delta(inetBefore, inetAfter, { src: a.ip, dst: b.ip, proto: 'udp' })).toBe(1)
    expect(delta(inetBefore, inetAfter, { src: b.ip, dst: a.ip, proto: 'udp' })).toBe(1)
    expect(delta(pubBefore, pubAfter, {})).toBe(0)
    // The earlier test's traffic from each peer to pub was counted under the peer's public address,
    // and no packet ever went between two NATed peers.
    for (const peer of lab.peers) {
      expect(inetAfter.packets({ src: peer.publicIp, dst: lab.pub.ip, proto: 'tcp' }), peer.name).toBeGreaterThan(0)
      for (const other of lab.peers.filter(p => p !== peer && (p.kind !== 'public' || peer.kind !== 'public'))) {
        expect(inetAfter.packets({ src: peer.publicIp, dst: other.publicIp }), `${peer.name} -> ${other.name}`).toBe(0)
      }
    }
    await listener.kill()
  })

  it('STUN shows each peer its public address; sym maps a new port per destination, the others one port', async () => {
    const servers = [`${lab.pub.ip}:${lab.pub.stunPort}`, `${lab.pub.ip2}:${lab.pub.stunPort}`]
    const results = await Promise.all(lab.peers.map(async peer => await probe(lab, peer.ns, 'stun', ...servers)))
    lab.peers.forEach((peer, i) => {
      const mapped = servers.map(s => results[i].mapped[s] as string | undefined)
      expect(mapped.every(m => m != null), `${peer.name}: ${JSON.stringify(results[i])}`).toBe(true)
      const [ips, ports] = [mapped.map(m => m?.split(':')[0]), mapped.map(m => Number(m?.split(':')[1]))]
      expect(ips, peer.name).toEqual([peer.publicIp, peer.publicIp])
      // The definition: symmetric NAT gives each destination its own mapping (fully-random ports:
      // a collision has odds of about 1 in 30,000); endpoint-independent mapping reuses one.
      if (peer.kind === 'sym') expect(ports[0], peer.name).not.toBe(ports[1])
      else expect(ports[0], peer.name).toBe(ports[1])
      if (peer.kind === 'public') expect(ports[0], peer.name).toBe(results[i].local)
    })
  })

  it('routers drop unsolicited UDP arriving on their WAN, and let the answers to their peers through', async () => {
    const intruder = lab.peer('public1')
    const natted = lab.peers.filter(p => p.kind !== 'public')
    await Promise.all(natted.map(async (peer: LabPeer) => {
      const edge = peer.cgn ?? peer.router
      if (edge == null) throw new Error(`${peer.name} has no router`)
      const listener = lab.spawn(peer.ns, node, [probeScript, 'udp-echo', '0.0.0.0:5500', '--hello', pubEcho()])
      // Control: pub's answer to the peer's hello comes back through the NAT(s).
      await listener.waitForLine(l => l.includes('"data":"echo:hello"') && l.includes(`"from":"${pubEcho()}"`))
      const hello = await eventually(() => udpEcho.json().find(e => e.data === 'hello' && e.from.startsWith(`${peer.publicIp}:`)), `${peer.name}'s hello at pub`)
      const mappedPort = hello.from.split(':')[1] as string
      const before = (await lab.counters(edge.ns)).named.wan_drop?.packets
      expect(before, `${peer.name}: wan_drop counter on ${edge.ns}`).toBeTypeOf('number')
      const intruderBefore = await lab.counters(intruder.ns)
      // Another internet host tries the mapped port (only pub may use it) and a port nobody mapped.
      const tries = await Promise.all([mappedPort, '5599'].map(async port =>
        await probe(lab, intruder.ns, 'udp-send', `${peer.publicIp}:${port}`, 'intruder', '--timeout', '500')))
      expect(tries.map(t => t.reply), peer.name).toEqual([null, null])
      const after = (await lab.counters(edge.ns)).named.wan_drop?.packets ?? 0
      expect(after - (before ?? 0), `${peer.name}: drops on ${edge.ns}`).toBeGreaterThanOrEqual(2)
      // Dropped, not refused: a router that let them in would answer "port unreachable".
      const intruderAfter = await lab.counters(intruder.ns)
      expect(delta(intruderBefore, intruderAfter, { src: peer.publicIp, dst: intruder.ip }), `${peer.name}: answers to the intruder`).toBe(0)
      expect(delta(intruderBefore, intruderAfter, { src: intruder.ip, dst: peer.publicIp, proto: 'udp' }), peer.name).toBe(2)
      expect(listener.lines.filter(l => l.includes('intruder')), peer.name).toEqual([])
      await listener.kill()
    }))
  })

  it('miniupnpd maps a port for its LAN peer on request, and pub then reaches the peer through it', async () => {
    for (const peer of lab.peers.filter(p => p.kind === 'upnp')) {
      const router = peer.router
      if (router == null) throw new Error(`${peer.name} has no router`)
      const url = `http://${router.lan}:${lab.upnpHttpPort}/rootDesc.xml`
      const server = lab.spawn(peer.ns, node, [probeScript, 'tcp-echo', '0.0.0.0:4001'])
      await server.waitForLine('listening')
      const dial = async (): Promise<unknown> =>
        (await probe(lab, lab.pub.ns, 'tcp-send', `${router.wan}:4001`, `via-upnp-${peer.name}`, '--timeout', '1500')).reply

      expect(await dial(), `${peer.name} before mapping`).toBeNull()
      // SSDP discovery on the LAN finds the gateway. (upnpc 2.2.4 then calls it "not connected?"
      // because its external address is in a reserved range, so the mapping names the URL.)
      const discovery = await lab.exec(peer.ns, 'upnpc', ['-s'], { allowFailure: true })
      expect(discovery.stdout).toContain(`desc: ${url}`)
      const add = await lab.exec(peer.ns, 'upnpc', ['-u', url, '-e', 'p2pgo-lab', '-a', peer.ip, '4001', '4001', 'TCP'])
      // miniupnpd learnt its external address by STUN.
      expect(add.stdout).toContain(`ExternalIPAddress = ${router.wan}`)
      expect(add.stdout).toContain(`external ${router.wan}:4001 TCP is redirected to internal ${peer.ip}:4001`)

      expect(await dial(), `${peer.name} through the mapping`).toBe(`echo:via-upnp-${peer.name}`)
      // A port mapping forwards without rewriting the source: the peer sees pub's own address.
      expect(server.json().map(e => e.from?.split(':')[0])).toContain(lab.pub.ip)

      await lab.exec(peer.ns, 'upnpc', ['-u', url, '-d', '4001', 'TCP'])
      expect(await dial(), `${peer.name} after removing the mapping`).toBeNull()
      await server.kill()
    }
  })

  it('double NAT: the home router has a carrier-grade address and both NATs translate outbound traffic', async () => {
    for (const peer of lab.peers.filter(p => p.kind === 'double')) {
      const { router, cgn } = peer
      if (router == null || cgn == null) throw new Error(`${peer.name} lacks a router`)
      expect(router.wan).toMatch(/^100\.64\./)
      const namespaces = [router.ns, cgn.ns, lab.inet.ns]
      const before = await Promise.all(namespaces.map(async ns => await lab.counters(ns)))
      const reply = await probe(lab, peer.ns, 'udp-send', pubEcho(), `double-${peer.name}`)
      expect(reply.reply).toBe(`echo:double-${peer.name}`)
      const [gwAfter, cgnAfter, inetAfter] = await Promise.all(namespaces.map(async ns => await lab.counters(ns)))
      const dst = lab.pub.ip
      // Each hop forwards the datagram under the source address the hop before it gave it.
      expect(delta(before[0], gwAfter, { src: peer.ip, dst, proto: 'udp' })).toBe(1)
      expect(delta(before[1], cgnAfter, { src: router.wan, dst, proto: 'udp' })).toBe(1)
      expect(delta(before[2], inetAfter, { src: cgn.wan, dst, proto: 'udp' })).toBe(1)
      expect(delta(before[2], inetAfter, { src: router.wan })).toBe(0)
      const seen = await eventually(() => udpEcho.json().find(e => e.data === `double-${peer.name}`), 'the datagram at pub')
      expect(seen.from.split(':')[0]).toBe(cgn.wan)
    }
  })

  it('tears down completely', async () => {
    const expected = expectedNamespaces(lab)
    expect(hostNamespaces().filter(n => n.startsWith(lab.prefix)).sort()).toEqual(expected)
    await lab.down()
    expect(hostNamespaces().filter(n => n.startsWith(lab.prefix))).toEqual([])
    expect(hostLinks().filter(l => l.startsWith(lab.prefix))).toEqual([])
    expect(await udpEcho.exited).toBe('SIGTERM')
  })
})
