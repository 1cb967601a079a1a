// Refused reservation requests over a sliding window (the relay's load report says how many it
// refused in the last ten minutes). Time is passed in; memory is one slot per second at most.
import { second } from '../../units.js'

/** Events counted over the last `windowMs`, in one-second slots. */
export class RefusalWindow {
  private readonly windowMs: number
  /** [the slot's second, events in it], oldest first. */
  private readonly buckets: Array<[number, number]> = []
  private total = 0

  constructor (windowMs: number) {
    this.windowMs = windowMs
  }

  /** One event at `at` (ms). A clock that went back counts in the newest slot. */
  add (at: number): void {
    const slot = Math.floor(at / second)
    const last = this.buckets[this.buckets.length - 1]
    if (last != null && slot <= last[0]) {
      last[1]++
    } else {
      this.buckets.push([slot, 1])
    }
    this.total++
    this.prune(at)
  }

  /** Events within the window that ends at `at`. */
  count (at: number): number {
    this.prune(at)
    return this.total
  }

  /** Slots held now (bounded by the window in seconds, plus one). */
  get slots (): number {
    return this.buckets.length
  }

  private prune (at: number): void {
    // A slot leaves once its whole second is older than the window.
    const oldest = Math.floor((at - this.windowMs) / second)
    while (this.buckets.length > 0 && this.buckets[0][0] <= oldest - 1) {
      this.total -= this.buckets[0][1]
      this.buckets.shift()
    }
  }
}
