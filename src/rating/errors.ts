/** Why a rating record, a co-signed result or an audit was refused. Each has a sentence below. */
export type RatingProblem =
  | 'too-large'
  | 'malformed'
  | 'wrong-key'
  | 'bad-signature'
  | 'expired'
  | 'from-the-future'
  | 'stale'
  | 'not-cosigned'
  | 'wrong-game'
  | 'not-a-result'
  | 'missing-result'
  | 'not-a-player'
  | 'wrong-size'
  | 'unrated-game'
  | 'duplicate-result'
  | 'broken-chain'
  | 'mismatch'

const sentences: Record<RatingProblem, string> = {
  'too-large': 'the record is larger than p2pgo allows',
  malformed: 'the record is not a well-formed p2pgo record',
  'wrong-key': 'the record is stored under another peer\'s key than the one that signed it',
  'bad-signature': 'the signature does not verify with the subject\'s key',
  expired: 'the record has expired',
  'from-the-future': 'the record claims to be signed later than now',
  stale: 'a newer record of this peer is already known (an older one was replayed)',
  'not-cosigned': 'a cited result is not signed by both players',
  'wrong-game': 'a result act belongs to another game or another player',
  'not-a-result': 'a cited result does not end a game (its acts disagree or are not results)',
  'missing-result': 'a cited result could not be found in the DHT',
  'not-a-player': 'the subject did not play the cited game',
  'wrong-size': 'a cited game was played on another board size',
  'unrated-game': 'a cited game is not rated (no ratings in its start record, a handicap, or void)',
  'duplicate-result': 'the same result is cited twice',
  'broken-chain': 'a cited game did not start from the rating the previous one ended with',
  mismatch: 'the published rating does not follow from the cited results'
}

/** A plain sentence for a problem. */
export function ratingProblemMessage (reason: RatingProblem): string {
  return sentences[reason]
}

/** A rating record or co-signed result that does not hold up, with the reason. */
export class InvalidRatingRecordError extends Error {
  static readonly code = 'ERR_INVALID_RATING_RECORD'
  readonly code = InvalidRatingRecordError.code
  readonly reason: RatingProblem

  constructor (reason: RatingProblem, detail?: string) {
    super(detail == null ? ratingProblemMessage(reason) : `${ratingProblemMessage(reason)}: ${detail}`)
    this.name = 'InvalidRatingRecordError'
    this.reason = reason
  }
}
