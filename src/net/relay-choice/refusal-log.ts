import { REFUSAL_MEMORY } from './constants.js'

/** Reservation refusals (and failed reservations) met per relay, forgotten after `memory` ms. */
export class RefusalLog {
  private readonly at = new Map<string, number[]>()
  private readonly now: () => number
  private readonly memory: number

  constructor (now: () => number, memory = REFUSAL_MEMORY) {
    this.now = now
    this.memory = memory
  }

  /** One more refusal by this relay, now. */
  add (peer: string): void {
    this.at.set(peer, [...this.recent(peer), this.now()])
  }

  /** Refusals by this relay within the memory. */
  count (peer: string): number {
    return this.recent(peer).length
  }

  /** The relays with a refusal within the memory. */
  peers (): string[] {
    return [...this.at.keys()].filter(peer => this.count(peer) > 0)
  }

  private recent (peer: string): number[] {
    const since = this.now() - this.memory
    const kept = (this.at.get(peer) ?? []).filter(t => t > since)
    if (kept.length === 0) this.at.delete(peer)
    else this.at.set(peer, kept)
    return kept
  }
}
