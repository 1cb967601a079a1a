/** Why an RNA was refused. Each has a sentence below. */
export type RnaProblem =
  | 'too-large'
  | 'malformed'
  | 'unknown-kind'
  | 'bad-signature'
  | 'from-the-future'
  | 'expired'
  | 'not-a-player'
  | 'not-cosigned'
  | 'illegal-game'

const sentences: Record<RnaProblem, string> = {
  'too-large': 'the RNA is larger than p2pgo allows',
  malformed: 'the RNA is not a well-formed p2pgo record',
  'unknown-kind': 'the RNA is of a kind this node does not know',
  'bad-signature': 'a signature does not verify',
  'from-the-future': 'the RNA claims to be published later than now',
  expired: 'the RNA is older than its time to live',
  'not-a-player': 'the origin did not play the game it publishes',
  'not-cosigned': 'the game start is not signed by both players',
  'illegal-game': 'the game does not replay under its rules'
}

/** A plain sentence for a problem. */
export function rnaProblemMessage (reason: RnaProblem): string {
  return sentences[reason]
}

/** An RNA that does not hold up, with the reason. */
export class InvalidRnaError extends Error {
  static readonly code = 'ERR_INVALID_RNA'
  readonly code = InvalidRnaError.code
  readonly reason: RnaProblem

  constructor (reason: RnaProblem, detail?: string) {
    super(detail == null ? rnaProblemMessage(reason) : `${rnaProblemMessage(reason)}: ${detail}`)
    this.name = 'InvalidRnaError'
    this.reason = reason
  }
}
