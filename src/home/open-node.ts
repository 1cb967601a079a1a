// Opening a home and the node that lives in it: identity, datastore and configuration (flags
// over config.json over defaults), and the control socket through which `p2pgo peers` and
// friends ask the running node. The command line and the bootstrap daemon both start here.
import { join } from 'node:path'
import { openHome, resolveHome } from '../config/home.js'
import { loadOrCreateIdentity } from '../config/identity.js'
import { closeDatastore, openDatastore } from '../config/datastore.js'
import { ControlServer } from '../control/control-server.js'
import { rnaAnswer, type RnaQuery } from '../queries/rna-queries.js'
import { reputationAnswer, type ReputationQuery } from '../queries/reputation-queries.js'
import { matchAnswer, ratingAnswer, type MatchQuery, type RatingQuery } from '../queries/rating-queries.js'
import { doctorAnswer } from '../queries/doctor.js'
import { ratingHistoryAnswer, type RatingHistoryQuery } from '../queries/rating-history.js'
import { P2pgoNode, type P2pgoNodeInit } from '../net/node.js'
import { PEER_CACHE_FILE } from '../net/peer-cache/index.js'
import { playerConfig } from '../config/listen-set.js'
import { ConfigError, type ConfigOverrides } from '../config/config.js'
import { loadFriends } from './friends-file.js'
import { QUERY_TIMEOUT_MS } from './query-timeout.js'
import { friendsAnswer, seenPlayers } from '../queries/friends-queries.js'
import { acceptAnswer, challengeAnswer, dismissAnswer, inboxAnswer, messageAnswer } from '../queries/post-queries.js'

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
  /** Amino-protocol peers for the rendezvous, MA,... (config.json's `rendezvous`); with --local, the only way to use one. */
  readonly rendezvous?: string
  /** No rendezvous through the public Amino DHT (`rendezvous: []`). */
  readonly 'no-rendezvous'?: boolean
}

/** What a daemon adds to the node it opens: libp2p metrics, relay limits, a connection gater. */
export type NodeExtras = Partial<Pick<P2pgoNodeInit, 'metrics' | 'relayLimits' | 'connectionGater'>>

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
  const rendezvous = list(flags.rendezvous)
  if (rendezvous != null && flags['no-rendezvous'] === true) throw new ConfigError('command line', [{ path: 'rendezvous', message: 'give --rendezvous or --no-rendezvous, not both' }])
  if (rendezvous != null) overrides.rendezvous = rendezvous
  if (flags['no-rendezvous'] === true) overrides.rendezvous = []
  const stun = list(flags.stun)
  if (stun != null) overrides.stun = stun.map(hostPort => `stun:${hostPort}`)
  const home = await openHome(resolveHome({ flag: flags.home, env: process.env }), { flags: overrides })
  // A player's chosen addresses keep the relay slots unless it said otherwise; a bootstrap relay listens as configured.
  const config = role === 'player' ? playerConfig(home.config, warn) : home.config
  const privateKey = await loadOrCreateIdentity(home.identityPath)
  const datastore = await openDatastore(home.datastorePath)
  let node: P2pgoNode
  try {
    node = await P2pgoNode.create({ privateKey, datastore, config, role, privateNetwork: flags.local === true, peerCache: { file: join(home.dir, PEER_CACHE_FILE), warn }, friends: async () => (await loadFriends(home.dir)).map(f => f.peer), ...init })
  } catch (err) {
    await closeDatastore(datastore)
    throw err
  }
  // `p2pgo peers` and friends ask this node through a socket in its home.
  const control = await ControlServer.listen(home.dir, {
    peers: () => ({ self: node.self(), peers: node.peers(), delivery: node.delivery.summary() }),
    doctor: async () => doctorAnswer(node),
    rating: async params => ratingAnswer(node, params as RatingQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    match: async params => matchAnswer(node, params as MatchQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    rna: async params => rnaAnswer(node, params as unknown as RnaQuery),
    reputation: async params => reputationAnswer(node, params as ReputationQuery, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    friends: async () => friendsAnswer(node, await loadFriends(home.dir)),
    'lobby-names': () => ({ players: seenPlayers(node) }),
    // Offline challenges and messages (protocols/post.md): p2pgo inbox, message, challenge.
    inbox: async () => await inboxAnswer(node),
    'inbox-accept': async params => await acceptAnswer(node, params as { id: string }, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    'inbox-dismiss': async params => await dismissAnswer(node, params as { id: string }, AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    message: async params => await messageAnswer(node, params as Parameters<typeof messageAnswer>[1], AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    challenge: async params => await challengeAnswer(node, params as Parameters<typeof challengeAnswer>[1], AbortSignal.timeout(QUERY_TIMEOUT_MS)),
    'rating-history': async params => ratingHistoryAnswer(node.games.storage, node.libp2p.peerId.toMultihash().bytes, params as RatingHistoryQuery)
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
      // node-datachannel (WebRTC) keeps its native threads, and so the process, alive until its `cleanup()` is called (node-datachannel README, "Cleanup").
      const { cleanup } = await import('node-datachannel')
      cleanup()
    }
  }
}

export { QUERY_TIMEOUT_MS }
