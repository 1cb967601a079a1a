import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { openHome, resolveHome, type Home } from '../config/home.js'
import { loadOrCreateIdentity } from '../config/identity.js'
import { closeDatastore, openDatastore } from '../config/datastore.js'
import { GameStore } from '../net/game/game-store.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { LevelDatastore } from 'datastore-level'

/** A home opened for an offline command: identity and stored games, no network. */
export interface OfflineHome {
  readonly home: Home
  readonly key: PrivateKey
  readonly peerId: PeerId
  readonly datastore: LevelDatastore
  readonly games: GameStore
  close: () => Promise<void>
}

/** Opens the home named by --home / $P2PGO_HOME / ~/.p2pgo with its datastore (which a running node locks). */
export async function openOfflineHome (flag: string | undefined): Promise<OfflineHome> {
  const home = await openHome(resolveHome({ flag, env: process.env }))
  const key = await loadOrCreateIdentity(home.identityPath)
  const datastore = await openDatastore(home.datastorePath)
  return {
    home,
    key,
    peerId: peerIdFromPrivateKey(key),
    datastore,
    games: new GameStore(datastore),
    close: async () => { await closeDatastore(datastore) }
  }
}
