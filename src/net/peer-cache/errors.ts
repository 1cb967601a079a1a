/** Why a file is not a peer cache. */
export type PeerCacheFileReason = 'too-large' | 'not-json' | 'wrong-shape' | 'wrong-version'

/** A file that cannot be read as a peer cache: the node starts without it and writes a new one. */
export class PeerCacheFileError extends Error {
  static readonly code = 'ERR_PEER_CACHE_FILE'
  readonly code = PeerCacheFileError.code
  readonly reason: PeerCacheFileReason

  constructor (reason: PeerCacheFileReason, message: string) {
    super(message)
    this.name = 'PeerCacheFileError'
    this.reason = reason
  }
}
