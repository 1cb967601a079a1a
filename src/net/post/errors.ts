// Why an item from another peer, or an action of this node's user, was refused: a reason for
// scripts and a sentence a player understands.

/** Why a direct item or a collected one was refused. */
export type PostRefusal =
  | 'too-large'
  | 'malformed'
  | 'unknown-version'
  | 'bad-signature'
  | 'wrong-recipient'
  | 'wrong-sender'
  | 'expired'
  | 'unknown-challenge'

/** An item refused: nothing of it was stored. */
export class PostRefusedError extends Error {
  readonly reason: PostRefusal
  constructor (reason: PostRefusal, message: string) {
    super(message)
    this.name = 'PostRefusedError'
    this.reason = reason
  }
}

/** The other side refused what this node sent directly. */
export class PostDeliveryError extends Error {
  readonly reason: string
  constructor (peer: string, reason: string, message: string) {
    super(`${peer} refused it: ${message}`)
    this.name = 'PostDeliveryError'
    this.reason = reason
  }
}

/** No such item in the inbox (or it expired, or was answered already). */
export class NoSuchItemError extends Error {
  constructor (id: string) {
    super(`nothing in the inbox has the ID ${id}: it may have expired or been answered already (see p2pgo inbox)`)
    this.name = 'NoSuchItemError'
  }
}
