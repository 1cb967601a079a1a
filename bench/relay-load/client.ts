// A relay load client: a p2pgo node cut down to what a player behind NAT needs to play through
// a relay (TCP to the relay, the circuit relay transport, Noise, Yamux, identify, ping and the
// game service), listening only on `<relay>/p2p-circuit`, so it has no direct address and every
// game reaches it through the relay. Its configuration starts from p2pgo's own libp2pDefaults.
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { MemoryDatastore } from 'datastore-core'
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { games } from '../../src/net/game/index.js'
import { libp2pDefaults } from '../../src/net/libp2p-defaults.js'
import type { Game } from '../../src/game/game.js'
import type { Vertex } from '../../src/game/vertex.js'
import type { GameService } from '../../src/net/game/game-service.js'
import type { Identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import type { Ping } from '@libp2p/ping'

type ClientServices = { identify: Identify, ping: Ping, games: GameService }
export type ClientNode = Libp2p<ClientServices>

export interface Client {
  readonly node: ClientNode
  readonly key: PrivateKey
}

/**
 * A started client holding a reservation on `relay`. The DHT, gossipsub, AutoNAT, WebRTC, mDNS
 * and UPnP of a full node are left out: they are not what this benchmark loads the relay with,
 * and 200 full nodes would not fit beside the relay on two cores.
 */
export async function startClient (relay: string): Promise<Client> {
  const privateKey = await generateKeyPair('Ed25519')
  // privateNetwork: keep loopback addresses and allow 127.0.0.0/8 past libp2p's per-IP inbound rate limit (5/s, INBOUND_CONNECTION_THRESHOLD).
  const config = libp2pDefaults({ privateKey, datastore: new MemoryDatastore(), listen: [`${relay}/p2p-circuit`], privateNetwork: true })
  // identify and ping use only libp2p's own components: the other services' types do not apply.
  const services = config.services as unknown as ServiceFactoryMap<ClientServices>
  const node = await createLibp2p({
    ...config,
    transports: [tcp(), circuitRelayTransport()],
    peerDiscovery: [],
    services: { identify: services.identify, ping: services.ping, games: games() }
  }) as ClientNode
  await node.services.games.afterStart()
  return { node, key: privateKey }
}

/** The node's circuit address on the relay, once its reservation is up. */
export function circuitAddress (node: ClientNode): string | undefined {
  return node.getMultiaddrs().map(String).find(a => a.includes('/p2p-circuit'))
}

/** A random legal move for the player to move, or undefined when none is found quickly. */
export function pickMove (game: Game, random: () => number): Vertex | undefined {
  if (game.phase !== 'play') return undefined
  for (let i = 0; i < 200; i++) {
    const v = { x: Math.floor(random() * game.size), y: Math.floor(random() * game.size) }
    if (game.check(game.toMove, v) == null) return v
  }
  return undefined
}
