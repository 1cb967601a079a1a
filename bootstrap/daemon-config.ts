// The bootstrap daemon's config file (bootstrap/README.md, "Configuration: bootstrap.json"): a JSON file of overrides (`bootstrap.json` in the
// daemon's home) on top of `defaultDaemonConfig`, validated at load like the player's config.json
// (src/config/config.ts): every problem reported with its JSON path and a plain sentence, unknown
// keys refused (a typo must not look like a setting that took effect). Only `loadDaemonConfig`
// touches the file system; the rest is pure.
import { readFile } from 'node:fs/promises'
import { isIPv4, isIPv6 } from 'node:net'
import { minute } from '../src/units.js'
import { STUN_PORT } from '../src/net/stun/stun-server.js'
import { ConfigError, multiaddrList, peerAddressList } from '../src/config/config.js'
import { findJsonSyntaxError } from '../src/config/home.js'
import { describeValue, fieldPath, isPlainObject, unknownSetting } from '../src/config/problem-text.js'
import { defaultRelayLimits, RELAY_LIMIT_FIELDS, relayLimitsProblems } from './relay-limits.js'
import { object, validate, wholeNumber, type Check } from '../src/config/validation.js'
import type { RelayLimits } from './relay-limits.js'

/** The daemon's config file in its home. */
export const DAEMON_CONFIG_FILE = 'bootstrap.json'

/** The daemon's settings: `defaultDaemonConfig`, then bootstrap.json, then command-line flags. */
export interface DaemonConfig {
  /** Multiaddrs to listen on. */
  readonly listen: readonly string[]
  /** Multiaddrs to advertise instead of the observed ones (the server's public address). */
  readonly announce: readonly string[]
  /** Where /metrics and /health listen, "HOST:PORT" ("[::1]:9464" for IPv6), or null for nowhere. */
  readonly metrics: string | null
  /** UDP port of the STUN responder; 0 picks a free one. */
  readonly stunPort: number
  /** On SIGTERM, how long open circuits may go on before the node stops, ms; 0 stops at once. */
  readonly shutdownGraceMs: number
  /** The relay's limits (bootstrap/relay-limits.ts). */
  readonly relay: RelayLimits
  /**
   * Amino-protocol peers the relay publishes itself through, so fresh installs find it (each
   * ending in /p2p/<peer ID>); `[]` publishes nowhere. Absent: libp2p's public bootstrap peers, as
   * for players (config.json's `rendezvous`; `--rendezvous` and `--no-rendezvous` override both).
   */
  readonly rendezvous?: readonly string[]
}

/** What bootstrap.json holds: only what differs; `relay` merges key by key. */
export interface DaemonConfigOverrides {
  listen?: string[]
  announce?: string[]
  metrics?: string | null
  stunPort?: number
  shutdownGraceMs?: number
  relay?: Partial<RelayLimits>
  rendezvous?: string[]
}

/** The daemon's settings when bootstrap.json says nothing. */
export const defaultDaemonConfig: DaemonConfig = Object.freeze({
  // A fixed port: clients' bootstrap lists name it, so it must outlive restarts (4001 is libp2p's customary port).
  // Both families; libp2p carries on with IPv4 alone on a host without IPv6.
  listen: Object.freeze(['/ip4/0.0.0.0/tcp/4001', '/ip6/::/tcp/4001']),
  // Observed addresses are announced once AutoNAT confirms them; an operator who knows the public one says so.
  announce: Object.freeze([]),
  // Off unless asked: nothing listens that the operator did not open; "127.0.0.1:9464" is the usual choice.
  metrics: null,
  // The port clients expect (RFC 8489), and the one they use when a relay's STUN URL names none.
  stunPort: STUN_PORT,
  // Inside systemd's default 90 s stop timeout (bootstrap/p2pgo-bootstrap.service); players holding a reservation on another relay carry on there.
  shutdownGraceMs: minute,
  relay: defaultRelayLimits
})

/** The longest shutdown wait: a day covers any game; systemd's TimeoutStopSec must be raised to match. */
const MAX_SHUTDOWN_GRACE_MS = 24 * 60 * minute

/** "HOST:PORT" as the metrics server takes it (an IPv6 host without its brackets), or undefined when malformed. */
export function parseHostPort (text: string): { host: string, port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text)
  if (match == null) return undefined
  const host = match[1] ?? match[2]
  const port = Number(match[3])
  // 0 picks a free port (tests; the daemon logs which one).
  if (port > 65535) return undefined
  if (match[1] != null ? !isIPv6(host) : !(isIPv4(host) || /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host))) return undefined
  return { host, port }
}

/** `metrics`: "HOST:PORT", or null for no metrics server. */
const metricsAddress: Check = (value, path, problems) => {
  if (value === null) return
  if (typeof value !== 'string') {
    problems.push({ path, message: `expected "HOST:PORT" or null, got ${describeValue(value)}` })
  } else if (parseHostPort(value) == null) {
    problems.push({ path, message: `${describeValue(value)} is not "HOST:PORT" (e.g. "127.0.0.1:9464", "[::1]:9464"; port 0-65535, 0 picks a free one)` })
  }
}

/** `relay`: relay limits over the defaults (bootstrap/relay-limits.ts says what each may be). */
const relayLimits: Check = (value, path, problems) => {
  if (!isPlainObject(value)) {
    problems.push({ path, message: `expected an object of relay limits like {"maxReservationsPerIp": 8}, got ${describeValue(value)}` })
    return
  }
  for (const problem of relayLimitsProblems(value)) {
    const known = (RELAY_LIMIT_FIELDS as readonly string[]).includes(problem.field)
    problems.push({ path: fieldPath(path, problem.field), message: known ? problem.message : unknownSetting(problem.field, RELAY_LIMIT_FIELDS) })
  }
}

// Unknown keys first, then the settings in this order: the order bootstrap.json's problems have always been listed in.
const daemonConfigCheck = object({
  // The player's own multiaddr checks, so both files accept and refuse the same addresses.
  listen: multiaddrList,
  announce: multiaddrList,
  metrics: metricsAddress,
  stunPort: wholeNumber(0, 65535, '0 picks a free port'),
  shutdownGraceMs: wholeNumber(0, MAX_SHUTDOWN_GRACE_MS, 'ms'),
  relay: relayLimits,
  rendezvous: peerAddressList
} satisfies Record<keyof DaemonConfigOverrides, Check>, 'a JSON object of settings', { unknownFirst: true })

/**
 * Checks bootstrap.json's parsed value (or flag overrides) and returns it typed; throws
 * `ConfigError` listing every problem as `source: path: sentence`.
 */
export function validateDaemonConfig (value: unknown, source: string): DaemonConfigOverrides {
  return validate<DaemonConfigOverrides>(daemonConfigCheck, value, source)
}

/** Layers the settings, later overrides first: arrays and scalars replace, `relay` merges key by key. Returns fresh arrays. */
export function mergeDaemonConfig (base: DaemonConfig, ...overrides: DaemonConfigOverrides[]): DaemonConfig {
  let out: DaemonConfig = base
  for (const o of overrides) {
    const relay: Record<string, number> = { ...out.relay }
    for (const [key, v] of Object.entries(o.relay ?? {})) if (v !== undefined) relay[key] = v
    out = {
      listen: o.listen ?? out.listen,
      announce: o.announce ?? out.announce,
      metrics: o.metrics !== undefined ? o.metrics : out.metrics,
      stunPort: o.stunPort ?? out.stunPort,
      shutdownGraceMs: o.shutdownGraceMs ?? out.shutdownGraceMs,
      relay: relay as unknown as RelayLimits,
      ...(o.rendezvous !== undefined ? { rendezvous: o.rendezvous } : out.rendezvous !== undefined ? { rendezvous: out.rendezvous } : {})
    }
  }
  return { ...out, listen: [...out.listen], announce: [...out.announce], relay: Object.freeze({ ...out.relay }), ...(out.rendezvous !== undefined ? { rendezvous: [...out.rendezvous] } : {}) }
}

function lineAndColumn (text: string, offset: number): string {
  const before = text.slice(0, offset)
  return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`
}

/** Parses and validates bootstrap.json's text (named `source` in errors) over the defaults. Pure. */
export function parseDaemonConfig (text: string, source: string): DaemonConfig {
  // Some editors write a byte-order mark, which JSON.parse rejects.
  const json = text.replace(/^\uFEFF/, '')
  if (json.trim() === '') throw new ConfigError(source, [{ path: '', message: 'is empty: write {} for no overrides, or delete the file' }])
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (err) {
    const found = findJsonSyntaxError(json)
    if (found == null) throw new ConfigError(source, [{ path: '', message: `not valid JSON (${(err as Error).message})` }])
    throw new ConfigError(source, [{ path: lineAndColumn(json, found.offset), message: `not valid JSON: ${found.message}` }])
  }
  return mergeDaemonConfig(defaultDaemonConfig, validateDaemonConfig(value, source))
}

/** Reads bootstrap.json at `path` over the defaults; a missing file means the defaults. Throws `ConfigError`. */
export async function loadDaemonConfig (path: string): Promise<DaemonConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return mergeDaemonConfig(defaultDaemonConfig)
    if (code === 'EISDIR') throw new ConfigError(path, [{ path: '', message: 'is a directory, not a JSON file' }])
    if (code === 'EACCES' || code === 'EPERM') throw new ConfigError(path, [{ path: '', message: 'cannot be read (permission denied)' }])
    throw new ConfigError(path, [{ path: '', message: `cannot be read (${(err as Error).message})` }])
  }
  return parseDaemonConfig(text, path)
}
