// Questions a peer may ask a protocol in a window (libp2p's RateLimiter, keyed by peer): the
// path protocol and the relay load report answer a few a minute per peer and reset the rest.
import { RateLimiter } from '@libp2p/utils'

export class PeerRateLimit {
  private readonly limiter: RateLimiter

  /** `points` questions per peer in every `windowMs`. */
  constructor (points: number, windowMs: number) {
    this.limiter = new RateLimiter({ points, duration: windowMs / 1000 })
  }

  /** Counts a question against its peer's window: false once the peer is over. */
  allow (peer: string): boolean {
    try {
      this.limiter.consume(peer)
      return true
    } catch {
      return false
    }
  }

  /** Forgets every window and its timer (at stop: nothing keeps the process alive). */
  clear (): void {
    this.limiter.memoryStorage.storage.forEach(record => { clearTimeout(record.timeoutId) })
    this.limiter.memoryStorage.storage.clear()
  }
}
