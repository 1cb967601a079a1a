import { isIPv6 } from 'node:net'
import { userInfo } from 'node:os'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  DEFAULT_LISTEN,
  DEFAULT_LOG_LEVEL,
  FALLBACK_NAME,
  LOG_LEVELS,
  MAX_RELAY_SLOTS,
  NAME_MAX_LENGTH,
  RELAY_SERVER_MODES
} from './constants.js'
import { describeValue, isPlainObject } from './problem-text.js'
import { boolean, list, object, oneOf, validate, wholeNumber, type Check } from './validation.js'

export { ConfigError, type ConfigProblem } from './validation.js'

/** Whether and when this node offers circuit-relay service to others. */
export type RelayServerMode = typeof RELAY_SERVER_MODES[number]

/** How much the node logs. */
export type LogLevel = typeof LOG_LEVELS[number]

/** Kademlia DHT settings. */
export interface DhtConfig {
  /**
   * true: query the DHT but store no records for others; false: a full DHT server.
   * Default 'auto': libp2p decides by reachability (server only when AutoNAT finds us public),
   * so a player behind NAT never advertises a DHT service nobody can reach.
   */
  clientMode: 'auto' | boolean
}

/** The p2pgo node's settings: `defaultConfig()`, then the home's config.json, then command-line flags. */
export interface P2pgoConfig {
  /** Display name shown to opponents, at most 32 characters. Default: the OS user name (cut to 32), or 'player' when there is none. */
  name: string
  /**
   * Multiaddrs to listen on. Default: TCP on every interface with an OS-chosen port, plus
   * `/p2p-circuit` twice (a reservation on each of two relays) and `/webrtc` (WebRTC hole punching signalled over a relay).
   * A player's set that names no `/p2p-circuit` or `/webrtc` entry (only TCP addresses, say) keeps
   * the two relay slots and WebRTC, unless it binds loopback addresses only or `relaySlots` says
   * otherwise (listen-set.ts, `listenSet`).
   */
  listen: string[]
  /**
   * How many relays hold a reservation for this node (0-8); with at least one it also listens on
   * `/webrtc`. 0 (`--no-relay`): none, and no WebRTC. Absent (default): as `listen` says, and two
   * when it names no relay entry.
   */
  relaySlots?: number
  /** Multiaddrs to advertise instead of the observed ones (a port forward, a public DNS name). Default: none. */
  announce: string[]
  /** Peers to dial at start to join the network; each must end in `/p2p/<peer ID>`. Default: none (a LAN game then relies on mDNS). */
  bootstrap: string[]
  /** Find players on the local network by multicast DNS. Default: on (it never leaves the LAN). */
  mdns: boolean
  /** Ask the home router for a port mapping by UPnP IGD. Default: on (the first rung of the NAT ladder). */
  upnp: boolean
  /** Keep the peers seen working in peers.json in the home and dial them first at start. Default: on. */
  peerCache: boolean
  /**
   * Amino-protocol peers (the public IPFS DHT) through which a node with no bootstrap peer that
   * answers finds p2pgo peers, each ending in `/p2p/<peer ID>`; `[]` (`--no-rendezvous`) turns the
   * rendezvous off. Absent (default): libp2p's public bootstrap peers (src/net/rendezvous/constants.ts,
   * DEFAULT_RENDEZVOUS), and off with `--local`. README, "How a new node finds the network".
   */
  rendezvous?: string[]
  /** Offer relay service: 'on', 'off', or 'auto' (default: only when AutoNAT finds us publicly reachable). */
  relayServer: RelayServerMode
  /**
   * STUN servers for WebRTC, as `stun:host:port` URLs. Default: none, meaning the bootstrap relays'
   * own STUN responders; p2pgo never falls back to third-party STUN servers (they learn who plays).
   */
  stun: string[]
  /** DHT settings; see `DhtConfig`. */
  dht: DhtConfig
  /** How much to log: 'silent', 'error', 'warn', 'info' (default), 'debug' or 'trace'. */
  logLevel: LogLevel
  /**
   * Seconds a player waits on a silent opponent before it may leave the game as abandoned (a bot
   * leaves then), and on the opponent's signature of an ended game before it stops waiting.
   * Absent: 600 (protocols/game.md, "Abandonment").
   */
  abandonAfterSeconds?: number
}

/** A partial configuration, as config.json or command-line flags give it: only what differs. */
export interface ConfigOverrides extends Partial<Omit<P2pgoConfig, 'dht'>> {
  /** Nested objects merge key by key, so `{ "dht": {} }` keeps the default clientMode. */
  dht?: Partial<DhtConfig>
}

/** The display name derived from an OS user name: control characters dropped, cut to 32 characters. */
export function defaultName (userName?: string): string {
  const clean = (userName ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return clean === '' ? FALLBACK_NAME : [...clean].slice(0, NAME_MAX_LENGTH).join('').trim()
}

function osUserName (): string | undefined {
  try {
    return userInfo().username
  } catch {
    // No passwd entry (containers run under an arbitrary uid): fall back to the environment.
    return process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME
  }
}

/** The built-in configuration, a fresh object each call (callers may change it freely). */
export function defaultConfig (options: { userName?: string } = {}): P2pgoConfig {
  return {
    name: defaultName(options.userName ?? osUserName()),
    listen: [...DEFAULT_LISTEN],
    announce: [],
    bootstrap: [],
    mdns: true,
    upnp: true,
    peerCache: true,
    relayServer: 'auto',
    stun: [],
    dht: { clientMode: 'auto' },
    logLevel: DEFAULT_LOG_LEVEL
  }
}

/** Layers the configuration: flags over the file over the defaults. Nested objects merge; arrays and scalars replace. */
export function mergeConfig (defaults: P2pgoConfig, fileOverrides: ConfigOverrides = {}, flagOverrides: ConfigOverrides = {}): P2pgoConfig {
  return mergeValue(mergeValue(defaults, fileOverrides), flagOverrides) as P2pgoConfig
}

function mergeValue (base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base)
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = structuredClone(base)
    for (const [key, value] of Object.entries(over)) out[key] = mergeValue(base[key], value)
    return out
  }
  // Copies, so a caller changing the result never changes the defaults or the overrides.
  return structuredClone(over)
}

// ---- validation (src/config/validation.ts): one check per field, composed; every problem is collected.

const name: Check = (value, path, problems) => {
  if (typeof value !== 'string') {
    problems.push({ path, message: `expected a string, got ${describeValue(value)}` })
  } else if (value.trim() === '') {
    problems.push({ path, message: 'must not be empty' })
  } else if ([...value].length > NAME_MAX_LENGTH) {
    problems.push({ path, message: `${describeValue(value)} is longer than ${NAME_MAX_LENGTH} characters` })
  } else if (/[\u0000-\u001f\u007f]/.test(value)) {
    // Names reach other players' terminals: no escape sequences, no line breaks.
    problems.push({ path, message: `${describeValue(value)} contains control characters` })
  }
}

/** Parses a multiaddr string and checks any /p2p/ peer IDs (the multiaddr library accepts any base58 there). */
function multiaddrProblem (value: string, mustEndInPeerId: boolean): string | undefined {
  if (value === '' || value === '/') return `${describeValue(value)} is not a multiaddr (it is empty)`
  let components
  try {
    components = multiaddr(value).getComponents()
  } catch (err) {
    return `${describeValue(value)} is not a multiaddr (${(err as Error).message})`
  }
  for (const c of components) {
    if (c.name !== 'p2p') continue
    try {
      peerIdFromString(c.value ?? '')
    } catch {
      return `${describeValue(value)} is not a multiaddr (${describeValue(c.value)} is not a peer ID)`
    }
  }
  if (mustEndInPeerId && components.at(-1)?.name !== 'p2p') {
    return `${describeValue(value)} does not end in /p2p/<peer ID> (a bootstrap address must say which peer to expect)`
  }
  return undefined
}

function multiaddrString (mustEndInPeerId: boolean): Check {
  return (value, path, problems) => {
    if (typeof value !== 'string') {
      problems.push({ path, message: `expected a multiaddr string, got ${describeValue(value)}` })
      return
    }
    const message = multiaddrProblem(value, mustEndInPeerId)
    if (message != null) problems.push({ path, message })
  }
}

const hostname = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/

/** `stun:host`, `stun:host:port`, `stun:[v6]:port` (RFC 7064; no query part for stun:). */
const stunUrl: Check = (value, path, problems) => {
  if (typeof value !== 'string') {
    problems.push({ path, message: `expected a "stun:host:port" string, got ${describeValue(value)}` })
    return
  }
  const scheme = /^([a-z]+):/i.exec(value)?.[1]?.toLowerCase()
  if (scheme === 'stuns' || scheme === 'turn' || scheme === 'turns') {
    problems.push({ path, message: `${describeValue(value)}: only plain stun: servers are supported (p2pgo falls back to its relays, not TURN)` })
    return
  }
  const match = /^stun:(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value)
  const host = match?.[1] ?? ''
  const hostOk = host.startsWith('[') ? isIPv6(host.slice(1, -1)) : hostname.test(host)
  const port = match?.[2] == null ? undefined : Number(match[2])
  if (match == null || !hostOk) {
    problems.push({ path, message: `${describeValue(value)} is not a STUN URL (expected "stun:host:port", e.g. "stun:relay.example.org:3478")` })
  } else if (port != null && (port < 1 || port > 65535)) {
    problems.push({ path, message: `${describeValue(value)}: port ${port} is outside 1-65535` })
  }
}

const clientMode: Check = (value, path, problems) => {
  if (value !== 'auto' && typeof value !== 'boolean') {
    problems.push({ path, message: `expected "auto", true or false, got ${describeValue(value)}` })
  }
}

/** A list of multiaddrs, as `listen` and `announce` take (bootstrap.json's too, so both files accept the same addresses). */
export const multiaddrList: Check = list(multiaddrString(false), 'multiaddr strings')

/** A list of peers' multiaddrs, each ending in /p2p/<peer ID>: `bootstrap` and `rendezvous` (bootstrap.json's `rendezvous` too). */
export const peerAddressList: Check = list(multiaddrString(true), 'multiaddr strings ending in /p2p/<peer ID>')

const configCheck = object({
  name,
  listen: multiaddrList,
  relaySlots: wholeNumber(0, MAX_RELAY_SLOTS, '0: no relay reservation and no WebRTC'),
  announce: multiaddrList,
  bootstrap: peerAddressList,
  mdns: boolean,
  upnp: boolean,
  peerCache: boolean,
  rendezvous: peerAddressList,
  relayServer: oneOf(RELAY_SERVER_MODES),
  stun: list(stunUrl, '"stun:host:port" URLs'),
  dht: object({ clientMode }, 'an object like {"clientMode": "auto"}'),
  logLevel: oneOf(LOG_LEVELS),
  abandonAfterSeconds: wholeNumber(1, 7 * 24 * 3600, 'seconds')
} satisfies Record<keyof P2pgoConfig, Check>, 'a JSON object of settings')

/**
 * Checks a configuration (whole or partial, as parsed from JSON or built from flags) and returns it
 * typed; throws `ConfigError` listing every problem, each with its field path, prefixed by `source`.
 */
export function validateConfig (value: unknown, source: string): ConfigOverrides {
  return validate<ConfigOverrides>(configCheck, value, source)
}
