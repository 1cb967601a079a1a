import { openHome, resolveHome } from '../config/home.js'
import { loadOrCreateIdentity } from '../config/identity.js'
import { closeDatastore, openDatastore } from '../config/datastore.js'
import { ControlServer } from '../control/control-server.js'
import { rnaAnswer, type RnaQuery } from '../queries/rna-queries.js'
import { reputationAnswer, type ReputationQuery } from '../queries/reputation-queries.js'
import { callControl, NoRunningNodeError } from '../control/control-client.js'
import { matchAnswer, ratingAnswer, type MatchQuery, type RatingQuery } from '../queries/rating-queries.js'
import { P2pgoNode, type P2pgoNodeInit } from '../net/node.js'
import type { ConfigOverrides } from '../config/config.js'

/** Flags every networked command shares. */
export interface NodeFlags {
  readonly home?: string
  readonly listen?: string
  readonly announce?: string
  readonly bootstrap?: string
  /** STUN servers as HOST:PORT,...; default: the bootstrap relays' hosts on port 3478. */
  readonly stun?: string
  /** A network on this machine only: loopback addresses kept, no mDNS or UPnP (nothing leaves the host). */
  readonly local?: boolean
}

/** What a daemon adds to the node it opens: libp2p metrics, relay limits, a connection gater. */
export type NodeExtras = Partial<Pick<P2pgoNodeInit, 'metrics' | 'relayLimits' | 'connectionGater'>>

/** The parseArgs options of `NodeFlags`. */
export const nodeFlagOptions = {
  home: { type: 'string' },
  listen: { type: 'string' },
  announce: { type: 'string' },
  bootstrap: { type: 'string' },
  stun: { type: 'string' },
  local: { type: 'boolean' }
} as const

const list = (text: string | undefined): string[] | undefined => text == null ? undefined : text.split(',').map(s => s.trim()).filter(s => s !== '')

/** Opens the home, builds the node from identity, datastore and config (flags over config.json over defaults). */
export async function openNode (flags: NodeFlags, role: 'player' | 'bootstrap', extra: ConfigOverrides = {}, warn: (line: string) => void = () => {}, init: NodeExtras = {}): Promise<{ node: P2pgoNode, close: () => Promise<void> }> {
  const overrides: ConfigOverrides = { ...extra }
  const listen = list(flags.listen)
  const announce = list(flags.announce)
  const bootstrap = list(flags.bootstrap)
  if (listen != null) overrides.listen = listen
  if (announce != null) overrides.announce = announce
  if (bootstrap != null) overrides.bootstrap = bootstrap
  const stun = list(flags.stun)
  if (stun != null) overrides.stun = stun.map(hostPort => `stun:${hostPort}`)
  const home = await openHome(resolveHome({ flag: flags.home, env: process.env }), { flags: overrides })
  const privateKey = await loadOrCreateIdentity(home.identityPath)
  const datastore = await openDatastore(home.datastorePath)
  let node: P2pgoNode
  try {
    node = await P2pgoNode.create({ privateKey, datastore, config: home.config, role, privateNetwork: flags.local === true, ...init })
  } catch (err) {
    await closeDatastore(datastore)
    throw err
  }
  // `p2pgo peers` and friends ask this node through a socket in its home.
  const control = await ControlServer.listen(home.dir, {
    peers: () => ({ self: node.self(), peers: node.peers(), delivery: node.delivery.summary() }),
    rating: async params => ratingAnswer(node, params as RatingQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    match: async params => matchAnswer(node, params as MatchQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    rna: async params => rnaAnswer(node, params as unknown as RnaQuery),
    reputation: async params => reputationAnswer(node, params as ReputationQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS))
  }).catch((err: Error) => {
    warn(`p2pgo: no control socket in ${home.dir} (${err.message}); p2pgo peers cannot reach this node`)
    return undefined
  })
  return {
    node,
    close: async () => {
      await control?.close()
      await node.stop()
      await closeDatastore(datastore)
      // node-datachannel (WebRTC) keeps its native threads, and so the process, alive until told (NOTES).
      const { cleanup } = await import('node-datachannel')
      cleanup()
    }
  }
}

/** How long a rating or match query may take, DHT lookups included. */
export const QUERY_TIMEOUT_MS = 60_000
/** How long a command that starts its own node waits for DHT peers before querying. */
const JOIN_TIMEOUT_MS = 20_000

/**
 * Answers a query with the node already running in the home (over its control socket), or, when
 * none runs, with a node of its own: started, given up to JOIN_TIMEOUT_MS to find DHT peers
 * (unless the question needs no network), stopped after.
 */
export async function askNode<T> (flags: NodeFlags, method: string, params: Record<string, unknown>, local: (node: P2pgoNode, signal: AbortSignal) => Promise<T>, options: { network?: boolean, warn?: (line: string) => void } = {}): Promise<T> {
  const home = resolveHome({ flag: flags.home, env: process.env })
  try {
    return await callControl(home, method, params, QUERY_TIMEOUT_MS + 5_000) as T
  } catch (err) {
    if (!(err instanceof NoRunningNodeError)) throw err
  }
  const { node, close } = await openNode(flags, 'player', {}, options.warn)
  try {
    await node.start()
    if (options.network === false) return await local(node, AbortSignal.timeout(QUERY_TIMEOUT_MS))
    const joined = AbortSignal.timeout(JOIN_TIMEOUT_MS)
    while (node.libp2p.getConnections().length === 0 && !joined.aborted) await new Promise(resolve => setTimeout(resolve, 100))
    // Identify runs on the new connection before the DHT adds the peer to its routing table.
    await new Promise(resolve => setTimeout(resolve, 500))
    return await local(node, AbortSignal.timeout(QUERY_TIMEOUT_MS))
  } finally {
    await close()
  }
}

/** Resolves on SIGINT or SIGTERM (a daemon's way out). */
export async function untilSignal (): Promise<string> {
  return new Promise(resolve => {
    const done = (signal: string): void => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(signal)
    }
    const onInt = (): void => { done('SIGINT') }
    const onTerm = (): void => { done('SIGTERM') }
    process.once('SIGINT', onInt)
    process.once('SIGTERM', onTerm)
  })
}
