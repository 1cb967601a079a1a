// Test harness for the NAT lab built by lab.sh (see README.md beside this file): starts a lab,
// runs commands and daemons inside its namespaces, reads its packet counters, and always tears it
// down, also when the process exits or is interrupted.
import { execFile, execFileSync, spawn as spawnChild, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** What sits between a peer and the simulated internet. */
export type RouterKind = 'upnp' | 'eim' | 'sym' | 'double' | 'double-upnp' | 'public'

/** The kinds a lab has by default (lab.sh up with no peers). */
export const routerKinds: readonly RouterKind[] = ['upnp', 'eim', 'sym', 'double', 'public']
/** Every kind lab.sh builds: `double-upnp` is a double NAT whose home router answers UPnP. */
export const allRouterKinds: readonly RouterKind[] = [...routerKinds, 'double-upnp']

/** lab.sh, which builds (`up`) and removes (`down`, `down-all`) labs. */
export const labScript = fileURLToPath(new URL('./lab.sh', import.meta.url))
/** Small UDP/TCP/STUN probes to run inside namespaces (see its header). */
export const probeScript = fileURLToPath(new URL('./probe.mjs', import.meta.url))

/** A NAT box: its namespace, the address on its upstream side and the one on its LAN. */
export interface LabRouter {
  ns: string
  wan: string
  lan: string
}

/** A peer namespace and the boxes in front of it. */
export interface LabPeer {
  /** The kind and a number, e.g. `upnp2`. */
  name: string
  kind: RouterKind
  ns: string
  /** The peer's own address (10.0.N.2 behind a router, 203.0.113.x when public). */
  ip: string
  /** The address the internet sees its packets come from. */
  publicIp: string
  /** The home router (absent for `public`). */
  router?: LabRouter
  /** The carrier-grade NAT in front of the home router (`double` and `double-upnp` only). */
  cgn?: LabRouter
}

/** The public host where the bootstrap relay and the STUN server run. */
export interface LabPub {
  ns: string
  ip: string
  /** A second address of the same host: a second STUN destination. */
  ip2: string
  stunPort: number
}

export interface ExecOptions {
  /** Kills the command after this long (default 30 s). */
  timeoutMs?: number
  /** Resolve with the result instead of rejecting when the exit code is not 0. */
  allowFailure?: boolean
  signal?: AbortSignal
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** The exit code, or -1 if the command was killed. */
  code: number
}

/** A long-running process inside a namespace; its output is collected line by line. */
export interface LabProcess {
  readonly child: ChildProcess
  readonly lines: string[]
  readonly stderrLines: string[]
  /** When each stderr line arrived (ms since the epoch), index for index. */
  readonly stderrTimes: number[]
  /** stdout lines that are JSON objects, parsed (probe.mjs prints one per event). */
  json: <T = Record<string, any>>() => T[]
  /** Resolves with the first stdout line (collected so far or to come) that matches. */
  waitForLine: (match: RegExp | string | ((line: string) => boolean), options?: { timeoutMs?: number, signal?: AbortSignal }) => Promise<string>
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>
  /** SIGTERM, then SIGKILL after two seconds; resolves once it has exited. */
  kill: () => Promise<void>
}

/** Packets counted for one (source, destination, protocol) in a namespace (input, output and forward hooks). */
export interface FlowCount {
  src: string
  dst: string
  /** `tcp`, `udp`, `icmp`, or the protocol number. */
  proto: string
  packets: number
  bytes: number
}

export interface Counters {
  flows: FlowCount[]
  /** Named counters, e.g. `wan_drop`: packets a router dropped because they arrived unsolicited on its WAN. */
  named: Record<string, { packets: number, bytes: number }>
  /** Sum of the packets of the flows that match every given field. */
  packets: (filter: { src?: string, dst?: string, proto?: string }) => number
}

export interface Lab {
  prefix: string
  stateDir: string
  /** The simulated internet's router. */
  inet: { ns: string }
  pub: LabPub
  peers: LabPeer[]
  upnpHttpPort: number
  /** The peer named e.g. `eim2`; throws if there is none. */
  peer: (name: string) => LabPeer
  /** Runs a command to completion inside a namespace. */
  exec: (ns: string, cmd: string, args?: readonly string[], options?: ExecOptions) => Promise<ExecResult>
  /** Starts a long-running command inside a namespace; it is killed by `down()`. */
  spawn: (ns: string, cmd: string, args?: readonly string[]) => LabProcess
  /** Reads a namespace's nftables counters (and, on a `upnp` router, its iptables drop counters). */
  counters: (ns: string) => Promise<Counters>
  /** Kills every process started here and removes every namespace; idempotent. */
  down: () => Promise<void>
}

/** Thrown when the lab cannot be built; the message says why (e.g. which Debian packages to install). */
export class LabError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'LabError'
  }
}

const liveLabs = new Map<string, { processes: Set<LabProcess> }>()
let labsStarted = 0
let hooksInstalled = false

/** Synchronous teardown for process exit and signals, where nothing asynchronous can run. */
function downAllSync (): void {
  for (const [prefix, { processes }] of liveLabs) {
    for (const p of processes) p.child.kill('SIGKILL')
    try {
      execFileSync('bash', [labScript, 'down', prefix], { stdio: 'ignore', timeout: 20_000 })
    } catch { /* nothing more can be done while exiting */ }
  }
  liveLabs.clear()
}

function installExitHooks (): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', downAllSync)
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      downAllSync()
      process.exit(code)
    })
  }
}

function run (cmd: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024, signal: options.signal }, (err, stdout, stderr) => {
      const code = err == null ? 0 : typeof err.code === 'number' ? err.code : -1
      if (err != null && (options.allowFailure !== true || typeof err.code !== 'number')) {
        reject(new LabError(`${cmd} ${args.join(' ')} failed (${err.code ?? err.signal ?? err.message}): ${stderr.trim() || err.message}`))
        return
      }
      resolve({ stdout, stderr, code })
    })
  })
}

/** A fresh prefix for a lab of this process (`p2l<pid>-`, then `p2l<pid>x<n>-`), registered for teardown at exit. */
function claimPrefix (): { prefix: string, processes: Set<LabProcess> } {
  labsStarted++
  const prefix = labsStarted === 1 ? `p2l${process.pid}-` : `p2l${process.pid}x${labsStarted}-`
  const processes = new Set<LabProcess>()
  installExitHooks()
  liveLabs.set(prefix, { processes })
  return { prefix, processes }
}

/** Runs `lab.sh ARGS` that builds a lab and prints it as JSON; a failed build is torn down. */
async function buildLab (prefix: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    execFile('bash', [labScript, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err != null) reject(new LabError(`could not build the ${args[0] === 'lan-up' ? 'LAN' : 'NAT'} lab: ${stderr.trim() || err.message}`))
      else resolve(stdout)
    })
  }).catch(async (err: unknown) => {
    liveLabs.delete(prefix)
    await run('bash', [labScript, 'down', prefix], { allowFailure: true }).catch(() => {})
    throw err
  })
}

/** The tools every lab kind shares; `isIptablesRouter(ns)` says where legacy iptables counters live too. */
function labTools (prefix: string, processes: Set<LabProcess>, isIptablesRouter: (ns: string) => boolean): Pick<Lab, 'exec' | 'spawn' | 'counters' | 'down'> {
const exec: Lab['exec'] = async (ns, cmd, args = [], options) => await run('ip', ['netns', 'exec', ns, cmd, ...args], options)

const spawn: Lab['spawn'] = (ns, cmd, args = []) => {
  const child = spawnChild('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const stderrLines: string[] = []
  const stderrTimes: number[] = []
  const waiters = new Set<() => void>()
  const collect = (stream: NodeJS.ReadableStream | null, into: string[], times?: number[]): void => {
    let partial = ''
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      into.push(...parts)
      times?.push(...parts.map(() => Date.now()))
      for (const wake of waiters) wake()
    })
  }
  collect(child.stdout, lines)
  collect(child.stderr, stderrLines, stderrTimes)
  let exitedFlag = false
  const exited = new Promise<number | string>(resolve => {
    child.on('exit', (code, signal) => {
      exitedFlag = true
      processes.delete(handle)
      for (const wake of waiters) wake()
      resolve(code ?? signal ?? -1)
    })
    child.on('error', () => {
      exitedFlag = true
      resolve(-1)
    })
  })
  const handle: LabProcess = {
    child,
    lines,
    stderrLines,
    stderrTimes,
    exited,
    json: <T>() => lines.filter(l => l.startsWith('{')).map(l => JSON.parse(l) as T),
    waitForLine: async (match, options = {}) => {
      const test = typeof match === 'function' ? match : typeof match === 'string' ? (l: string) => l.includes(match) : (l: string) => match.test(l)
      return await new Promise<string>((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer)
          waiters.delete(check)
          options.signal?.removeEventListener('abort', onAbort)
        }
        const fail = (why: string): void => {
          done()
          reject(new LabError(`${cmd} in ${ns}: ${why} waiting for ${String(match)}; stdout: ${lines.slice(-10).join(' | ')}; stderr: ${stderrLines.slice(-10).join(' | ')}`))
        }
        const check = (): void => {
          const line = lines.find(test)
          if (line != null) {
            done()
            resolve(line)
          } else if (exitedFlag) fail('exited')
        }
        const onAbort = (): void => { fail('aborted') }
        const timer = setTimeout(() => { fail('timed out') }, options.timeoutMs ?? 10_000)
        options.signal?.addEventListener('abort', onAbort)
        waiters.add(check)
        check()
      })
    },
    kill: async () => {
      if (exitedFlag) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000)
      await exited
      clearTimeout(timer)
    }
  }
  processes.add(handle)
  return handle
}

const counters: Lab['counters'] = async (ns) => {
  const flows: FlowCount[] = []
  const named: Counters['named'] = {}
  const set = JSON.parse((await exec(ns, 'nft', ['-j', 'list', 'set', 'ip', 'labcount', 'flows'])).stdout)
  for (const item of set.nftables as any[]) {
    for (const e of item.set?.elem ?? []) {
      const [src, dst, proto] = e.elem.val.concat as [string, string, string | number]
      flows.push({ src, dst, proto: String(proto), packets: e.elem.counter.packets, bytes: e.elem.counter.bytes })
    }
  }
  const list = JSON.parse((await exec(ns, 'nft', ['-j', 'list', 'counters'])).stdout)
  for (const item of list.nftables as any[]) {
    if (item.counter != null) named[item.counter.name] = { packets: item.counter.packets, bytes: item.counter.bytes }
  }
  if (isIptablesRouter(ns)) {
    // miniupnpd's router filters with legacy iptables: rules tagged with a comment are named counters.
    const saved = (await exec(ns, 'iptables-legacy-save', ['-c'])).stdout
    for (const m of saved.matchAll(/^\[(\d+):(\d+)\].*--comment (\S+)/gm)) {
      const c = named[m[3]] ?? (named[m[3]] = { packets: 0, bytes: 0 })
      c.packets += Number(m[1])
      c.bytes += Number(m[2])
    }
  }
  return {
    flows,
    named,
    packets: (f) => flows
      .filter(x => (f.src == null || x.src === f.src) && (f.dst == null || x.dst === f.dst) && (f.proto == null || x.proto === f.proto))
      .reduce((sum, x) => sum + x.packets, 0)
  }
}

const down: Lab['down'] = async () => {
  await Promise.all([...processes].map(async p => { await p.kill() }))
  await run('bash', [labScript, 'down', prefix])
  liveLabs.delete(prefix)
}

  return { exec, spawn, counters, down }
}

/**
 * Builds a lab with one peer per entry of `kinds` (a kind may repeat: `['eim', 'eim']` gives
 * peers `eim1` and `eim2`, each behind its own router), and returns its addresses and tools.
 */
export async function startLab (kinds: readonly RouterKind[], init: { stunPort?: number } = {}): Promise<Lab> {
  const counts = new Map<RouterKind, number>()
  const names = kinds.map(kind => {
    if (!allRouterKinds.includes(kind)) throw new LabError(`unknown router kind ${String(kind)}`)
    const n = (counts.get(kind) ?? 0) + 1
    counts.set(kind, n)
    return `${kind}${n}`
  })
  const { prefix, processes } = claimPrefix()
  const env = { ...process.env, ...(init.stunPort != null ? { LAB_STUN_PORT: String(init.stunPort) } : {}) }
  const description = await buildLab(prefix, ['up', prefix, ...names], env)
  const info = JSON.parse(description) as Omit<Lab, 'peer' | 'exec' | 'spawn' | 'counters' | 'down'>

  const { exec, spawn, counters, down } = labTools(prefix, processes, ns => info.peers.some(p => (p.kind === 'upnp' || p.kind === 'double-upnp') && p.router?.ns === ns))

  return {
    ...info,
    peer: (name) => {
      const found = info.peers.find(p => p.name === name)
      if (found == null) throw new LabError(`no peer ${name} in this lab (${info.peers.map(p => p.name).join(', ')})`)
      return found
    },
    exec,
    spawn,
    counters,
    down
  }
}

/**
 * Packets between two players' public addresses and the relay host (`lab.pub`), TCP only: a
 * relayed game travels over the players' TCP connections to the relay; the UDP there is STUN,
 * which ICE sends while it looks for a hole.
 */
export async function relayHostPackets (lab: Lab, wans: readonly [string, string]): Promise<number> {
  const c = await lab.counters(lab.pub.ns)
  return wans.reduce((sum, wan) => sum + c.packets({ src: wan, dst: lab.pub.ip, proto: 'tcp' }) + c.packets({ src: lab.pub.ip, dst: wan, proto: 'tcp' }), 0)
}

/** Packets between two players' public addresses on the lab's internet router: the direct path. */
export async function directPathPackets (lab: Lab, wans: readonly [string, string]): Promise<number> {
  const c = await lab.counters(lab.inet.ns)
  return c.packets({ src: wans[0], dst: wans[1] }) + c.packets({ src: wans[1], dst: wans[0] })
}

/** A host of the LAN lab: its namespace and its address on 192.168.77.0/24. */
export interface LanHost {
  /** `host1`, `host2`, ... */
  name: string
  ns: string
  ip: string
}

/** A LAN with no internet (lab.sh `lan-up`): hosts on one bridge, a router with no uplink. */
export interface LanLab extends Pick<Lab, 'prefix' | 'stateDir' | 'exec' | 'spawn' | 'counters' | 'down'> {
  /** The router with nothing on its WAN port: it holds the bridge and the gateway address. */
  switch: { ns: string }
  /** `192.168.77.0/24`. */
  net: string
  /** `192.168.77.1`, every host's default route, which leads nowhere. */
  gateway: string
  hosts: LanHost[]
}

/** Builds a LAN with no internet of `count` hosts (192.168.77.11, .12, ...); torn down like `startLab`'s. */
export async function startLanLab (count: number): Promise<LanLab> {
  const { prefix, processes } = claimPrefix()
  const info = JSON.parse(await buildLab(prefix, ['lan-up', prefix, String(count)])) as Omit<LanLab, 'exec' | 'spawn' | 'counters' | 'down'>
  return { ...info, ...labTools(prefix, processes, () => false) }
}

/**
 * Gives the named peers of `lab` global IPv6 beside their IPv4 NAT (lab.sh `ipv6-on`):
 * 3fff:0:0:N::2 behind a router that admits only answers (those in `open`: a router that admits
 * everything). Returns each peer's IPv6 address.
 */
export async function enableIpv6 (lab: Lab, names: readonly string[], init: { open?: readonly string[] } = {}): Promise<Record<string, string>> {
  const entries = names.map(name => {
    const peer = lab.peer(name)
    const n = /^10\.0\.(\d+)\.2$/.exec(peer.ip)?.[1]
    if (peer.router == null || peer.cgn != null || n == null) throw new LabError(`ipv6-on: ${name} is not a peer behind one home router`)
    return `${name}:${n}${init.open?.includes(name) === true ? ':open' : ''}`
  })
  const { stdout } = await run('bash', [labScript, 'ipv6-on', lab.prefix, ...entries])
  return JSON.parse(stdout) as Record<string, string>
}

/** IPv6 packets between two addresses (both ways) counted in a namespace touched by `enableIpv6`. */
export async function ipv6Packets (lab: Lab, ns: string, a: string, b: string): Promise<number> {
  const set = JSON.parse((await lab.exec(ns, 'nft', ['-j', 'list', 'set', 'ip6', 'labcount6', 'flows6'])).stdout)
  let sum = 0
  for (const item of set.nftables as any[]) {
    for (const e of item.set?.elem ?? []) {
      const [src, dst] = e.elem.val.concat as [string, string]
      if ((src === a && dst === b) || (src === b && dst === a)) sum += e.elem.counter.packets as number
    }
  }
  return sum
}
