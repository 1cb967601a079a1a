/** Why an act was refused; the peer is told this reason and the event stream reports it (protocols/game.md, "Errors"). */
export type RejectReason =
  | 'wrong-game' | 'wrong-author' | 'out-of-order' | 'broken-chain' | 'bad-signature'
  | 'game-over' | 'not-your-turn' | 'illegal-move' | 'not-now' | 'false-claim' | 'forged-result'

/** An act refused, with the reason and a sentence. Nothing changed. */
export class ActRejectedError extends Error {
  readonly reason: RejectReason
  constructor (reason: RejectReason, message: string) {
    super(message)
    this.name = 'ActRejectedError'
    this.reason = reason
  }
}
