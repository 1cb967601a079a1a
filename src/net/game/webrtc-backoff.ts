import { WEBRTC_BACKOFF_MS, WEBRTC_MIN_LIFETIME_MS } from './constants.js'
import type { Connection, Logger, PeerId } from '@libp2p/interface'

/**
 * Remembers peers whose WebRTC connection died young (a half-working ICE path) so no game offers
 * them WebRTC again for WEBRTC_BACKOFF_MS.
 */
export class WebRtcBackoff {
  private readonly now: () => number
  private readonly log: Logger
  /** When a WebRTC connection to each peer last died young. */
  private readonly failed = new Map<string, number>()

  constructor (now: () => number, log: Logger) {
    this.now = now
    this.log = log
  }

  /** A connection closed: if it was WebRTC and died young, its peer's WebRTC path is unreliable for a while. */
  noteClosed (c: Connection): void {
    if (c.multiplexer !== '/webrtc' && !c.remoteAddr.toString().includes('/webrtc')) return
    if (this.now() - c.timeline.open < WEBRTC_MIN_LIFETIME_MS) {
      this.log('the WebRTC path to %p died young; no WebRTC to it for %d ms', c.remotePeer, WEBRTC_BACKOFF_MS)
      this.failed.set(c.remotePeer.toString(), this.now())
    }
  }

  /** Whether WebRTC to `peer` died young recently. */
  unreliable (peer: PeerId): boolean {
    const at = this.failed.get(peer.toString())
    return at != null && this.now() - at < WEBRTC_BACKOFF_MS
  }
}
