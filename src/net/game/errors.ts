import type { CID } from 'multiformats/cid'

/** `perform` was asked to act in a game this node is not playing (never started, finished and forgotten, or another node's). */
export class NoSuchGameError extends Error {
  static readonly code = 'ERR_NO_SUCH_GAME'
  readonly code = NoSuchGameError.code
  readonly gameId: CID

  constructor (gameId: CID) {
    super(`no game ${gameId.toString()} in progress`)
    this.name = 'NoSuchGameError'
    this.gameId = gameId
  }
}

/** A start record names a player whose peer ID does not carry its public key, so its acts cannot be checked. */
export class MissingPublicKeyError extends Error {
  static readonly code = 'ERR_MISSING_PUBLIC_KEY'
  readonly code = MissingPublicKeyError.code

  constructor () {
    super('a player\'s peer ID carries no public key')
    this.name = 'MissingPublicKeyError'
  }
}
