// The gossip topics of lobby version 2 (protocols/lobby.md, "Version 2"): one per board size and
// rating bucket, where open players and their seeks are, and one census topic for the count.
import { LOBBY_SIZES } from '../constants.js'
import { MAX_ABS_BUCKET } from './limits.js'
import type { LobbySize } from '../messages.js'

/** Where every node sends its sampled census messages, whatever its size and rating. */
export const LOBBY_V2_CENSUS_TOPIC = '/p2pgo/lobby/2/census'

const PREFIX = '/p2pgo/lobby/2/'

/** A (size, bucket) topic, as its name says it. */
export interface LobbyV2Topic {
  readonly size: LobbySize
  readonly bucket: number
}

/** Whether `bucket` is a bucket a topic may name: a whole number with |bucket| ≤ MAX_ABS_BUCKET. */
export function isLobbyBucket (bucket: number): boolean {
  return Number.isSafeInteger(bucket) && Math.abs(bucket) <= MAX_ABS_BUCKET
}

/** The topic of the players of `size` whose rating falls in `bucket` (the matchmaker's bucketOf): `/p2pgo/lobby/2/<size>/<bucket>`. */
export function lobbyV2Topic (size: LobbySize, bucket: number): string {
  if (!(LOBBY_SIZES as readonly number[]).includes(size)) throw new RangeError(`no lobby topic for board size ${size}: the sizes are ${LOBBY_SIZES.join(', ')}`)
  if (!isLobbyBucket(bucket)) throw new RangeError(`no lobby topic for bucket ${bucket}: a bucket is a whole number from ${-MAX_ABS_BUCKET} to ${MAX_ABS_BUCKET}`)
  return `${PREFIX}${size}/${bucket}`
}

/**
 * The size and bucket a (size, bucket) topic names, or undefined for any other string (the
 * census topic, version 1's topic, and any spelling lobbyV2Topic would not write: `+3`, `03`, `-0`).
 */
export function parseLobbyV2Topic (topic: string): LobbyV2Topic | undefined {
  const m = /^\/p2pgo\/lobby\/2\/(9|13|19)\/(0|-?[1-9][0-9]{0,3})$/.exec(topic)
  if (m == null) return undefined
  const bucket = Number(m[2])
  if (!isLobbyBucket(bucket)) return undefined
  return { size: Number(m[1]) as LobbySize, bucket }
}
