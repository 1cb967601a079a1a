import { resolveHome } from '../config/home.js'
import { callControl, ControlError, NoRunningNodeError } from '../control/control-client.js'
import { CONTROL_TIMEOUT_MS } from '../control/protocol.js'
import { duration } from '../queries/query-text.js'
import { dhtPeersSoon } from '../queries/dht-peers.js'
import { QUERY_TIMEOUT_MS } from '../home/query-timeout.js'
import type { NodeFlags, NodeExtras } from '../home/open-node.js'
import { portListen } from '../config/listen-set.js'
import { UsageError } from './command.js'
import type { ConfigOverrides } from '../config/config.js'
import type { P2pgoNode } from '../net/node.js'

export { QUERY_TIMEOUT_MS }
export type { NodeFlags, NodeExtras }

/**
 * Opens the home and creates its node (src/home/open-node.ts), loading libp2p only now: a command
 * refused for its arguments, or asking a running node, never loads it (seconds of CPU).
 */
export async function openNode (flags: NodeFlags, role: 'player' | 'bootstrap', extra: ConfigOverrides = {}, warn: (line: string) => void = () => {}, init: NodeExtras = {}): Promise<{ node: P2pgoNode, close: () => Promise<void> }> {
  const home = await import('../home/open-node.js')
  return await home.openNode(flags, role, extra, warn, init)
}

/** The parseArgs options of `NodeFlags`. */
export const nodeFlagOptions = {
  home: { type: 'string' },
  listen: { type: 'string' },
  announce: { type: 'string' },
  bootstrap: { type: 'string' },
  stun: { type: 'string' },
  local: { type: 'boolean' },
  rendezvous: { type: 'string' },
  'no-rendezvous': { type: 'boolean' }
} as const

/** The flags of a node that stays up to play (play, bot): a port of one's choosing, and no relay. */
export const listenFlagOptions = {
  port: { type: 'string' },
  'no-relay': { type: 'boolean' }
} as const

/**
 * `--port N` and `--no-relay` as NodeFlags and config overrides: `--port N` is the default listen
 * set with TCP on port N; `--no-relay` is `relaySlots: 0`. UsageError for a bad port or `--port`
 * with `--listen` (two answers to one question).
 */
export function listenFlags (values: { readonly listen?: string, readonly port?: string, readonly 'no-relay'?: boolean }): { listen?: string, extra: ConfigOverrides } {
  const extra: ConfigOverrides = values['no-relay'] === true ? { relaySlots: 0 } : {}
  if (values.port == null) return { ...(values.listen != null ? { listen: values.listen } : {}), extra }
  if (values.listen != null) throw new UsageError('give --port or --listen, not both (--port N is the default listen set on TCP port N)')
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN
  if (!(port >= 1 && port <= 65535)) throw new UsageError(`--port must be a TCP port from 1 to 65535, got ${values.port}`)
  return { listen: portListen(port).join(','), extra }
}

/** How long a command that starts its own node waits for DHT peers before querying. */
const JOIN_TIMEOUT_MS = 20_000

/**
 * Answers a query with the node already running in the home (over its control socket), or, when
 * none runs, with a node of its own: started, given up to JOIN_TIMEOUT_MS to find DHT peers
 * (unless the question needs no network, or the node has no way to find any: no bootstrap peer
 * and no mDNS), stopped after.
 */
export async function askNode<T> (flags: NodeFlags, method: string, params: Record<string, unknown>, local: (node: P2pgoNode, signal: AbortSignal) => Promise<T>, options: { network?: boolean, warn?: (line: string) => void } = {}): Promise<T> {
  const home = resolveHome({ flag: flags.home, env: process.env })
  try {
    return await askRunningNode(home, method, params, QUERY_TIMEOUT_MS + 5_000, 'stop it and run the command again: it then starts a node of its own') as T
  } catch (err) {
    if (!(err instanceof NoRunningNodeError)) throw err
  }
  const { node, close } = await openNode(flags, 'player', {}, options.warn)
  try {
    await node.start()
    if (options.network === false) return await local(node, AbortSignal.timeout(QUERY_TIMEOUT_MS))
    await dhtPeersSoon(node, { ms: JOIN_TIMEOUT_MS, connectionFirst: true })
    return await local(node, AbortSignal.timeout(QUERY_TIMEOUT_MS))
  } finally {
    await close()
  }
}

/**
 * Asks the node running with `home` over its control socket. A node that does not answer within
 * `timeoutMs` becomes a ControlError that says how long it was given and what to do (`otherwise`).
 */
export async function askRunningNode (home: string, method: string, params: Readonly<Record<string, unknown>> = {}, timeoutMs = CONTROL_TIMEOUT_MS, otherwise = 'restart that node'): Promise<unknown> {
  const began = Date.now()
  try {
    return await callControl(home, method, params, timeoutMs)
  } catch (err) {
    // callControl gives up with a ControlError at timeoutMs (its timer may fire a millisecond early by the wall clock).
    if (err instanceof ControlError && Date.now() - began >= timeoutMs - 100) {
      throw new ControlError(`the p2pgo node running with home ${home} did not answer within ${duration(timeoutMs)}: it may be busy or stuck; try again, and if it stays silent, ${otherwise}`)
    }
    throw err
  }
}
