import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryDatastore } from 'datastore-core'
import { libp2pDefaults, type NodeInit, type P2pgoServices } from '../../src/net/libp2p-defaults.js'
import { games, type GameServiceInit } from '../../src/net/game/index.js'
import { gameIdOf, startToSign, type GameTerms, type SignedStart } from '../../src/wire/game-start.js'
import { START_DOMAIN } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import type { GameService } from '../../src/net/game/game-service.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import type { CID } from 'multiformats/cid'

export type GameNode = Libp2p<P2pgoServices & { games: GameService }>

/** A p2pgo node on 127.0.0.1 with the game service; the key and datastore survive a restart when passed again. */
export async function gameNode (key?: PrivateKey, datastore: Datastore = new MemoryDatastore(), retryMs = 200, extra: Partial<NodeInit> = {}, gamesInit: GameServiceInit = {}): Promise<{ node: GameNode, key: PrivateKey, datastore: Datastore }> {
  const privateKey = key ?? await generateKeyPair('Ed25519')
  const config = libp2pDefaults({ privateKey, datastore, listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true, ...extra })
  const node = await createLibp2p({ ...config, services: { ...(config.services as ServiceFactoryMap<P2pgoServices>), games: games({ retryMs, maxRetryMs: 1000, ...gamesInit }) } }) as GameNode
  await node.services.games.afterStart()
  return { node, key: privateKey, datastore }
}

/** A co-signed start record between two keys, as the challenge protocol would make it. */
export async function agree (black: PrivateKey, white: PrivateKey, terms: Partial<GameTerms> = {}): Promise<{ start: SignedStart, gameId: CID }> {
  const record = {
    terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' }, ...terms } as GameTerms,
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

/** Polls until `check` holds (bounded); tests assert outcomes, never timings. */
export async function until (check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
