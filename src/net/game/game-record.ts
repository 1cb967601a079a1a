import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { recordToSgf } from '../../game/sgf.js'
import { GameSession } from '../../session/index.js'
import { exportRecordOf } from '../../wire/export-record.js'
import { rankText } from '../../rating/display.js'
import type { GameRecord } from '../../game/game-record.js'
import type { PrivateKey } from '@libp2p/interface'
import type { StoredGame } from './game-store.js'

/** The game as both players' signed acts tell it: the same on both sides, whoever builds it. */
export async function recordOfStored (stored: StoredGame, key: PrivateKey): Promise<GameRecord> {
  const { start } = stored
  const keys = {
    B: peerIdFromMultihash(Digest.decode(start.black)).publicKey,
    W: peerIdFromMultihash(Digest.decode(start.white)).publicKey
  }
  if (keys.B == null || keys.W == null) throw new Error('a player\'s peer ID carries no public key')
  // Replaying through a session applies the same rules as play did (voided turns stay void).
  const session = new GameSession({ start, gameId: stored.id, me: stored.meta.me, key, keys: { B: keys.B, W: keys.W }, now: () => start.created })
  await session.replay(stored.acts)
  const timed = start.terms.tc.kind !== 'none'
  const counted = session.end != null && session.game.phase === 'ended' && session.game.result?.kind === 'score'
  const result = session.end?.result
  return exportRecordOf(start, {
    gameId: stored.id,
    handicapStones: session.game.handicapStones,
    turns: session.turnActs.map(act => ({
      by: act.by,
      vertex: act.kind === 'move' ? { x: act.x as number, y: act.y as number } : null,
      ...(timed && act.clock != null ? { clock: act.clock } : {})
    })),
    ...(result != null ? { result } : {}),
    ...(counted ? { dead: session.game.marking.dead } : {})
  }, rankText)
}

/** SGF of a stored game, byte-identical on both players' machines. */
export async function sgfOfStored (stored: StoredGame, key: PrivateKey): Promise<string> {
  return recordToSgf(await recordOfStored(stored, key), 'p2pgo')
}
