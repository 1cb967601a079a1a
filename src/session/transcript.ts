import type { CID } from 'multiformats/cid'
import type { Act, Side } from '../wire/game-messages.js'

/**
 * A chat act left out of a published transcript (training data carries no conversation): its
 * place in its author's chain and its CID, so the next act's `prev` link can still be checked.
 */
export interface RedactedAct {
  readonly redacted: CID
  readonly by: Side
  readonly n: number
  readonly seen: number
}

/** A stored or published act: whole, or a redacted chat. */
export type TranscriptEntry = Act | RedactedAct

/** Whether a transcript entry is a redacted chat. */
export function isRedacted (entry: TranscriptEntry): entry is RedactedAct {
  return 'redacted' in entry
}
