import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryDatastore } from 'datastore-core'
import { libp2pDefaults, type P2pgoServices } from '../../src/net/libp2p-defaults.js'
import { games } from '../../src/net/game/index.js'
import { lobbyV2, type LobbyV2 } from '../../src/net/lobby/v2/index.js'
import { gameIdOf, startToSign, type GameTerms, type SignedStart } from '../../src/wire/game-start.js'
import { START_DOMAIN } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import type { GameService } from '../../src/net/game/game-service.js'
import type { PrivateKey } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

export type GameNode = Libp2p<P2pgoServices & { games: GameService }>
export type LobbyNode = Libp2p<P2pgoServices & { lobby: LobbyV2 }>

/** A node on 127.0.0.1 (loopback kept, no mDNS/UPnP) with the game service, its store in memory. */
export async function gameNode (): Promise<{ node: GameNode, key: PrivateKey }> {
  const privateKey = await generateKeyPair('Ed25519')
  const config = libp2pDefaults({ privateKey, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true })
  const node = await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), games: games() } }) as GameNode
  await node.services.games.afterStart()
  return { node, key: privateKey }
}

/** A node on 127.0.0.1 with the lobby service that only watches (it announces nothing; it listens to 9x9 around a newcomer's rating, where the bots are). */
export async function lobbyNode (bootstrap: readonly string[]): Promise<LobbyNode> {
  const privateKey = await generateKeyPair('Ed25519')
  const config = libp2pDefaults({ privateKey, datastore: new MemoryDatastore(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, privateNetwork: true })
  const node = await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), lobby: lobbyV2() } }) as LobbyNode
  node.services.lobby.follow([9])
  return node
}

/** A co-signed start record between two keys, as the challenge protocol would make it. */
export async function agree (black: PrivateKey, white: PrivateKey, terms: Partial<GameTerms> = {}): Promise<{ start: SignedStart, gameId: CID }> {
  const record = {
    terms: { size: 19, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' }, ...terms } as GameTerms,
    black: peerIdFromPrivateKey(black).toMultihash().bytes,
    white: peerIdFromPrivateKey(white).toMultihash().bytes,
    nonce: crypto.getRandomValues(new Uint8Array(16)),
    created: Date.now(),
    names: { B: 'black', W: 'white' }
  }
  const body = startToSign(record)
  const start = { ...record, sigs: { B: (await sign(black, START_DOMAIN, body)).sig, W: (await sign(white, START_DOMAIN, body)).sig } }
  return { start, gameId: gameIdOf(record) }
}
