// A stored game replayed into a session, for reading where it stands (the same replay the
// record export does: src/net/game/game-record.ts).
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { GameSession } from '../session/index.js'
import type { StoredGame } from '../net/game/game-store.js'
import type { PrivateKey } from '@libp2p/interface'

export async function sessionOfStored (stored: StoredGame, key: PrivateKey, now: () => number): Promise<GameSession> {
  const { start } = stored
  const keys = {
    B: peerIdFromMultihash(Digest.decode(start.black)).publicKey,
    W: peerIdFromMultihash(Digest.decode(start.white)).publicKey
  }
  if (keys.B == null || keys.W == null) throw new Error('a player\'s peer ID carries no public key')
  const session = new GameSession({ start, gameId: stored.id, me: stored.meta.me, key, keys: { B: keys.B, W: keys.W }, now })
  await session.replay(stored.acts)
  return session
}
