import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { BLACK, WHITE } from '../../game/constants.js'
import { toSgfTime } from '../../game/time-control.js'
import { recordToSgf } from '../../game/sgf.js'
import { GameSession } from '../../session/index.js'
import { describeEngines } from '../../wire/game-start.js'
import type { GameRecord } from '../../game/record.js'
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
  const { TM, OT } = toSgfTime(start.terms.tc)
  const result = session.end?.result
  return {
    size: start.terms.size,
    rules: start.terms.rules,
    komi: start.terms.komi,
    handicap: session.game.handicapStones.length,
    handicapStones: session.game.handicapStones,
    players: { black: { name: start.names.B }, white: { name: start.names.W } },
    date: new Date(start.created).toISOString().slice(0, 10),
    ...(TM != null ? { time: { mainSeconds: Number(TM), ...(OT != null ? { overtime: OT } : {}) } } : {}),
    moves: session.turnActs.map(act => ({
      color: act.by === 'B' ? BLACK : WHITE,
      vertex: act.kind === 'move' ? { x: act.x as number, y: act.y as number } : null,
      // Each move carries the clock its author signed, so both exports agree to the millisecond.
      ...(timed && act.clock != null ? { clock: { left: act.clock / 1000 } } : {})
    })),
    ...(result != null ? { result } : {}),
    ...(session.end != null && session.game.phase === 'ended' && session.game.result?.kind === 'score' ? { dead: session.game.marking.dead } : {}),
    // SGF has no property for an engine: PB/PW keep the display name, and the game comment says
    // which side an engine played, so human games export exactly as before.
    comment: `p2pgo game ${stored.id.toString()}${start.engines != null ? `; ${describeEngines(start.engines)}` : ''}`
  }
}

/** SGF of a stored game, byte-identical on both players' machines. */
export async function sgfOfStored (stored: StoredGame, key: PrivateKey): Promise<string> {
  return recordToSgf(await recordOfStored(stored, key), 'p2pgo')
}
