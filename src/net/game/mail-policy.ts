// Acts through the mailbox (protocols/game.md, "Acts through the mailbox"): what a player leaves
// with its opponent's holders, and how a mailed game message is read back. Pure: no network, no
// storage; game-mail.ts does the deposits and the intake with it.
import { MalformedMessageError } from '../../wire/errors.js'
import { decodeGameMessage, type Ack, type Act } from '../../wire/game-messages.js'
import type { TimeControl } from '../../game/time-control.js'

/** What of one game went through the mailbox already (stored per game; see GameStore.mailMarks). */
export interface MailMarks {
  /** Highest of my acts deposited. */
  readonly acts: number
  /** Highest count of the opponent's acts I said (in a deposited ack) that I hold. */
  readonly ack: number
  /** The opponent's holders as last seen: its circuit addresses (`<relay>/p2p-circuit`), as text. */
  readonly holders: readonly string[]
}

export const NO_MARKS: MailMarks = Object.freeze({ acts: 0, ack: 0, holders: Object.freeze([]) })

/** What to deposit for a game now: my acts not yet acknowledged nor deposited, in order, then an ack when they would not tell the opponent what I hold. */
export interface MailPlan {
  readonly acts: readonly Act[]
  readonly ack?: number
}

/**
 * The deposits a game needs. `unacked` are my acts the opponent has not acknowledged, `last` my
 * newest act (acknowledged or not), `have` how many of the opponent's acts I hold. Every act of
 * mine the opponent will hold once these arrive tells it, by its `seen`, how many of its acts I
 * had: an ack is owed only when I hold more than my newest act and my last deposited ack say.
 */
export function mailPlan (unacked: readonly Act[], last: Act | undefined, have: number, marks: MailMarks): MailPlan {
  const acts = unacked.filter(a => a.n > marks.acts)
  const covered = Math.max(marks.ack, last?.seen ?? 0)
  return have > covered ? { acts, ack: have } : { acts }
}

/** The marks after a plan was deposited in full. */
export function marksAfter (marks: MailMarks, plan: MailPlan): MailMarks {
  const acts = plan.acts.reduce((n, a) => Math.max(n, a.n), marks.acts)
  return { ...marks, acts, ack: Math.max(marks.ack, plan.ack ?? 0) }
}

/**
 * Whether an act goes to the mailbox as soon as it is made (when no game stream is open), rather
 * than only once a dial to the opponent has failed: a correspondence player often moves and
 * closes the program at once, before a dial to an absent opponent would give up.
 */
export function mailsAtOnce (tc: TimeControl): boolean {
  return tc.kind === 'correspondence'
}

/** A game message as it may come through the mailbox: a signed act, or an ack. */
export type MailedGameMessage = ({ readonly t: 'act' } & Act) | Ack

/**
 * Reads the payload of a mailbox item of kind 'act': the game protocol's own bytes (size, CBOR,
 * version, shape checked as on the stream). Only an act or an ack travel this way; a hello or a
 * reject (they answer a stream) is malformed here. Throws a WireError.
 */
export function readMailedGameMessage (payload: Uint8Array): MailedGameMessage {
  const message = decodeGameMessage(payload)
  if (message.t !== 'act' && message.t !== 'ack') throw new MalformedMessageError('unknown-type', 't', `a ${message.t} does not travel through the mailbox (only acts and acks do)`)
  return message
}
