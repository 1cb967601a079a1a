// Acts as watching carries them (protocols/watch.md): the game protocol's act messages, byte for
// byte, decoded with the game's own decoder and checked for the watched game and, once the start
// record is known, for their player's signature.
import { MalformedMessageError, WireError, cidOfCanonical, verify } from '../../../wire/index.js'
import { ACT_DOMAIN, actMessage, decodeGameMessage, type Act } from '../../../wire/game-messages.js'
import { verifierOfPeer } from '../../lobby/v2/sign.js'
import { WatchMessageError, inside } from './errors.js'
import type { CID } from 'multiformats/cid'

/** One act as received: decoded, the bytes it came as (what is stored and passed on) and its CID. */
export interface WatchedAct {
  readonly act: Act
  readonly bytes: Uint8Array
  readonly cid: CID
}

/** The players of a game by side, as peer ID multihash bytes (the start record's `black` and `white`). */
export interface Players {
  readonly B: Uint8Array
  readonly W: Uint8Array
}

/**
 * Decodes `bytes` as a game protocol act of `game`: the game's decoder (16 KiB, canonical CBOR,
 * version 1, the act's schema), then `t` must be `act` (MalformedMessageError `unknown-type`) and
 * `game` the watched one (WatchMessageError `wrong-game`). Paths are the act's own.
 */
export function decodeWatchedAct (bytes: Uint8Array, game: CID): WatchedAct {
  const message = decodeGameMessage(bytes)
  if (message.t !== 'act') throw new MalformedMessageError('unknown-type', 't', `a game "${message.t}" is not an act`)
  const { t: _t, ...act } = message
  if (!act.game.equals(game)) throw new WatchMessageError('wrong-game', 'game', `the act is of game ${act.game.toString()}`)
  return { act, bytes, cid: cidOfCanonical(bytes) }
}

/**
 * Checks an act's signature and its proof acts' (game.md, Receiving an act, step 4) with the
 * keys of the players: WatchMessageError `bad-signature` naming `sig` or `proof[i].sig`.
 */
export async function verifyWatchedAct (watched: WatchedAct, players: Players): Promise<void> {
  await verifyAct(watched.act, players, '', watched.bytes)
  for (const [i, proof] of (watched.act.proof ?? []).entries()) await verifyAct(proof, players, `proof[${i}]`)
}

async function verifyAct (act: Act, players: Players, path: string, encoded?: Uint8Array): Promise<void> {
  const sigPath = path === '' ? 'sig' : `${path}.sig`
  const key = verifierOfPeer(players[act.by])
  if (typeof key === 'string') throw new WatchMessageError('bad-signature', sigPath, `player ${act.by}'s peer ID has no key to check with: ${key}`)
  try {
    await verify(key, ACT_DOMAIN, actMessage(act), encoded)
  } catch (err) {
    if (err instanceof WireError) throw new WatchMessageError('bad-signature', sigPath, `not ${act.by}'s signature (${err.message})`)
    throw err
  }
}

/** decodeWatchedAct for an act held at `path` of another message (`acts[3]`): its faults are named there. */
export function decodeActAt (bytes: Uint8Array, game: CID, path: string): WatchedAct {
  try {
    return decodeWatchedAct(bytes, game)
  } catch (err) {
    if (err instanceof WireError) throw inside(path, err)
    throw err
  }
}

/** verifyWatchedAct for an act held at `path` of another message. */
export async function verifyActAt (watched: WatchedAct, players: Players, path: string): Promise<void> {
  try {
    await verifyWatchedAct(watched, players)
  } catch (err) {
    if (err instanceof WireError) throw inside(path, err)
    throw err
  }
}
