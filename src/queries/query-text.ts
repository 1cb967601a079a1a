// Small text helpers the query answers share (timestamps as ISO text, peers shortened, fixed
// decimals), and the sentences for network waits that ended without an answer: what happened, what
// was waited for and how long, what to do. Pure.
import { timeText } from '../wire/dates.js'

/** A timestamp (ms since the epoch) as ISO 8601 text; one a peer dated past what a Date holds, as a count of ms. */
export const iso = (ms: number): string => timeText(ms)

/** A peer ID shortened for a terminal line: its first 8 and last 6 characters. */
export const short = (peer: string): string => `${peer.slice(0, 8)}…${peer.slice(-6)}`

/** A number with a fixed count of decimals (3 unless told). */
export const fixed = (x: number, digits = 3): string => x.toFixed(digits)

/** What a node knew of the network when a wait ended: the facts the advice rests on. */
export interface NetworkFacts {
  /** Peers connected now. */
  readonly connections: number
  /** Peers in the DHT's routing table: whom a lookup can ask. */
  readonly dhtPeers: number
  /** Bootstrap peers configured (config.json "bootstrap" or --bootstrap). */
  readonly bootstrap: number
  /** Whether the node looks for peers on the LAN (mDNS). */
  readonly mdns: boolean
}

/** A wait that ended without its answer: what it waited for ("a rating record of 12D3…"), how long, and for whom. */
export interface Wait {
  readonly what: string
  readonly ms: number
  /** The peer it was about, when one. */
  readonly peer?: string
}

/** A duration as people say it: "30 s", "2 min", "450 ms". */
export function duration (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Math.round(ms / 1000)} s`
  return `${ms / 60_000} min`
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** What a user can do about a network that did not answer, given what the node knew. */
export function networkAdvice (f: NetworkFacts): string {
  if (f.connections === 0 && f.bootstrap === 0) {
    return `this node is connected to no peers and has no bootstrap peer configured: add one (config.json "bootstrap", or --bootstrap ADDRESS)${f.mdns ? ', or run p2pgo next to other p2pgo peers on your LAN' : ''}`
  }
  if (f.connections === 0) return `this node reached none of its ${plural(f.bootstrap, 'bootstrap peer')}: check that ${f.bootstrap === 1 ? 'it runs' : 'they run'} and that the addresses in config.json "bootstrap" (or --bootstrap) are right`
  if (f.dhtPeers === 0) return `this node is connected to ${plural(f.connections, 'peer')} but none of them serves the DHT yet: try again in a minute, or add a bootstrap peer (config.json "bootstrap")`
  return `the DHT had ${plural(f.dhtPeers, 'peer')} to ask: the answer may not be published yet or its holders may be offline; try again later`
}

/** Errors (by name, or a socket's code) that mean every address tried for a peer failed. */
const CONNECT_FAILURES = new Set(['DialError', 'DialDeniedError', 'ConnectionFailedError', 'AggregateError', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'])

/** An error's name, looking through an abort's reason (AbortSignal.timeout gives a DOMException). */
function nameOf (err: unknown): string {
  const e = err as { name?: unknown, cause?: unknown, code?: unknown } | undefined
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name
  if (typeof e?.code === 'string') return e.code
  return 'Error'
}

/** Whether an error is a wait that ran out (a timeout, or an abort whose reason was one). */
export function isTimeout (err: unknown): boolean {
  const name = nameOf(err)
  return name === 'TimeoutError' || (name === 'AbortError' && nameOf((err as { cause?: unknown }).cause) === 'TimeoutError')
}

/**
 * A network wait that failed, as one sentence: what happened, what was waited for and for how
 * long, and what the user can do. Errors that already speak to people (a declined challenge, a
 * record found invalid) keep their own words.
 */
export function waitFailure (err: unknown, wait: Wait, facts: NetworkFacts): string {
  const name = nameOf(err)
  const peer = wait.peer ?? 'the peer'
  if (isTimeout(err)) {
    // Waiting on one peer that the node can still reach the network around: that peer is the likely cause.
    const advice = wait.peer != null && facts.connections > 0 ? `${wait.peer} may be away, or the way to it lost: try again later` : networkAdvice(facts)
    return `no answer: waited ${duration(wait.ms)} for ${wait.what}; ${advice}`
  }
  if (name === 'ChallengeTimeoutError') return `${(err as Error).message} (waited ${duration(wait.ms)} for ${wait.what}): ${peer} may be away; try again later or challenge someone else`
  if (name === 'NoValidAddressesError' || name === 'NotFoundError') {
    if (facts.dhtPeers === 0) return `could not reach ${peer}: this node has no address for it and no DHT peers to ask where it is; ${networkAdvice(facts)}`
    return `could not reach ${peer}: this node has no address for it and the DHT (${plural(facts.dhtPeers, 'peer')} to ask) does not know one; it is probably offline: try again when it shows in the lobby`
  }
  if (CONNECT_FAILURES.has(name)) {
    return `could not connect to ${peer} at any address this node knows for it: it may have gone offline, or sit behind a NAT with no relay; try again when it shows in the lobby`
  }
  if (name === 'EncryptionFailedError' || name === 'UnexpectedPeerError' || name === 'InvalidCryptoExchangeError') {
    return `could not connect to ${peer}: the address this node has for it answered as another peer, or not as a p2pgo node; the peer may have moved: try again when it shows in the lobby`
  }
  if (name === 'UnsupportedProtocolError') return `${peer} does not speak the protocol needed for ${wait.what}: it is another libp2p program, or a p2pgo too old or too new for this one`
  if (name === 'ConnectionClosedError' || name === 'StreamResetError' || name === 'StreamAbortedError' || name === 'ConnectionClosingError' || name === 'MuxerClosedError') {
    return `the connection to ${peer} closed while waiting for ${wait.what}: try again`
  }
  return err instanceof Error ? err.message : String(err)
}
