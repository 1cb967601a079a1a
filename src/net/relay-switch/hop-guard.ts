// A byte bound on an inbound HOP stream until it carries a circuit. The relay server reads the
// request itself (with the library's 4 MiB bound, and keeps reading a half-closed stream after
// its answer); the guard counts what the peer delivers and resets the stream past `max`, so a
// peer holds at most `max` bytes of the relay per HOP stream, and only while the stream lives.
import { HopMessageTooLargeError } from './errors.js'
import type { Stream } from '@libp2p/interface'

/** Counts a HOP stream's inbound bytes and resets it past `max`, until `lift()` (it became a circuit) or it closes. */
export class HopGuard {
  private received = 0
  private readonly stream: Stream
  private readonly max: number

  /** Must be made before the relay's handler reads, in the same tick: both then see every byte. */
  constructor (stream: Stream, max: number) {
    this.stream = stream
    this.max = max
    stream.addEventListener('message', this.onMessage)
    stream.addEventListener('close', this.lift, { once: true })
  }

  /** Bytes delivered so far while guarded. */
  get bytes (): number {
    return this.received
  }

  /** Stops counting: the stream carries a circuit now, bounded by the relay's data limit. */
  readonly lift = (): void => {
    this.stream.removeEventListener('message', this.onMessage)
  }

  private readonly onMessage = (evt: { data: { byteLength: number } }): void => {
    this.received += evt.data.byteLength
    if (this.received <= this.max) return
    this.lift()
    this.stream.abort(new HopMessageTooLargeError(this.received, this.max))
  }
}
