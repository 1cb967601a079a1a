// Which lobby version 2 topics a node publishes on and listens to: a topic per board size and
// rating bucket, the matchmaker's bucket (src/rating/seek-keys.ts), so a player hears the
// players it could be matched with and nobody else. Pure.
import { BUCKET_WIDTH, TRUESKILL_MU, TRUESKILL_SIGMA } from '../../../rating/constants.js'
import type { LobbyRatings, LobbySize } from '../messages.js'
import { liveFits } from './live.js'
import type { LobbyV2Message } from './messages.js'
import type { LobbyV2Topic } from './topics.js'

/** Fewest buckets listened to on each side of the player's own. */
export const FOLLOW_WIDTH = 1

/** Most buckets listened to on each side: a newcomer's (sigma 8.3) rating is ±3 buckets uncertain. */
export const MAX_FOLLOW_WIDTH = 3


/** The bucket of a mean rating: mu in steps of BUCKET_WIDTH, as the matchmaker's seek keys. */
export function bucketOfMu (mu: number): number {
  return Math.floor(mu / BUCKET_WIDTH)
}

/** A player's bucket on one size: its rating there, or a newcomer's mu (they start with average players). */
export function bucketFor (size: LobbySize, ratings: LobbyRatings | undefined): number {
  return bucketOfMu(ratings?.[size]?.mu ?? TRUESKILL_MU)
}

/** The topics a player open to games publishes its presence and seeks on: its own bucket for each size it offers. */
export function publishTopics (sizes: readonly LobbySize[], ratings: LobbyRatings | undefined): LobbyV2Topic[] {
  return sizes.map(size => ({ size, bucket: bucketFor(size, ratings) }))
}

/**
 * How many buckets on each side a player listens to on one size: one standard deviation of its
 * rating (at least FOLLOW_WIDTH, at most MAX_FOLLOW_WIDTH). A newcomer's rating moves ±4 after one
 * game, so two newcomers who just played each other sit two buckets apart: they still hear each
 * other, and a settled player (sigma below 4) listens to its bucket and the two next to it.
 */
export function followWidth (size: LobbySize, ratings: LobbyRatings | undefined): number {
  const sigma = ratings?.[size]?.sigma ?? TRUESKILL_SIGMA
  return Math.min(MAX_FOLLOW_WIDTH, Math.max(FOLLOW_WIDTH, Math.ceil(sigma / BUCKET_WIDTH)))
}

/**
 * The topics a node listens to: for each size it shows, its own bucket and `followWidth` buckets
 * on each side, nearest first (own, below, above, two below, ...).
 */
export function followTopics (sizes: readonly LobbySize[], ratings: LobbyRatings | undefined): LobbyV2Topic[] {
  const out: LobbyV2Topic[] = []
  for (const size of sizes) {
    const own = bucketFor(size, ratings)
    const width = followWidth(size, ratings)
    out.push({ size, bucket: own })
    for (let d = 1; d <= width; d++) out.push({ size, bucket: own - d }, { size, bucket: own + d })
  }
  return out
}

/** Whether a presence with these sizes and ratings belongs on a topic: it offers the size and sits in the bucket. */
export function belongsTo (topic: LobbyV2Topic, sizes: readonly LobbySize[], ratings: LobbyRatings | undefined): boolean {
  return sizes.includes(topic.size) && bucketFor(topic.size, ratings) === topic.bucket
}

/** Whether a message belongs on a (size, bucket) topic: a presence of that size and bucket, a seek of that size, a live entry on its author's (live.ts); a cancel or leave anywhere. */
export function fits (message: Exclude<LobbyV2Message, { t: 'census' }>, topic: LobbyV2Topic): boolean {
  if (message.t === 'presence') return belongsTo(topic, message.sizes, message.ratings)
  if (message.t === 'seek') return message.terms.size === topic.size
  if (message.t === 'live') return liveFits(message, topic)
  return true
}
