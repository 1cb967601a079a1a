// Where seeking players announce themselves in the DHT: provider records under a key derived from
// board size, rating bucket and time window. Pure: both seeker and searcher compute the same CIDs.
import { cidOf } from '../wire/cid.js'
import { BUCKET_WIDTH, SEEK_WINDOW } from './constants.js'
import type { CID } from 'multiformats/cid'
import type { FixedRating } from './trueskill.js'

/** The bucket of a rating: mu in steps of BUCKET_WIDTH (mu, not the conservative value: a newcomer belongs with average players). */
export function bucketOf (r: FixedRating): number {
  return Math.floor(r.mu / 1000 / BUCKET_WIDTH)
}

/** The time window a moment falls in. */
export function windowOf (now: number): number {
  return Math.floor(now / SEEK_WINDOW)
}

/** The provider key of seekers on `size` in `bucket` during `window`. */
export function seekKey (size: number, bucket: number, window: number): CID {
  return cidOf({ p2pgo: 'seek', size, bucket, window })
}

/** The buckets a search visits, nearest first: b, b−1, b+1, b−2, b+2, … up to `widen` on each side. */
export function bucketsAround (bucket: number, widen: number): number[] {
  const out = [bucket]
  for (let d = 1; d <= widen; d++) out.push(bucket - d, bucket + d)
  return out
}
