// The census of lobby version 2: every node says "I am here" on one topic once a period with
// probability p = min(1, C / N̂), so the topic carries about C messages a period at any size of
// the network, and every node estimates how many are online (census-estimate.ts).
import { CENSUS_PERIOD } from './limits.js'
import { CensusEstimator, censusDraw, type CensusCounts } from './census-estimate.js'
import type { CensusState, CensusV2, UnsignedLobbyV2Message } from './messages.js'
import type { LobbySize } from '../messages.js'
import type { Logger, PeerId } from '@libp2p/interface'

/** What the census needs from the lobby service. */
export interface CensusInit {
  readonly peerId: PeerId
  readonly log: Logger
  readonly now: () => number
  readonly random?: () => number
  readonly sign: (msg: UnsignedLobbyV2Message) => Promise<Uint8Array>
  readonly publish: (bytes: Uint8Array) => Promise<void>
  /** What this node is doing now, and the sizes it plays. */
  readonly state: () => { readonly state: CensusState, readonly sizes: readonly LobbySize[] }
  /** Period length, ms (tests shorten it). Default CENSUS_PERIOD. */
  readonly period?: number
}

/** Sends this node's sampled census message each period and counts the others'. */
export class Census {
  private readonly init: CensusInit
  private readonly random: () => number
  private readonly period: number
  private readonly estimator = new CensusEstimator()
  private timer?: ReturnType<typeof setTimeout>
  private running = false

  constructor (init: CensusInit) {
    this.init = init
    this.random = init.random ?? Math.random
    this.period = init.period ?? CENSUS_PERIOD
  }

  start (): void {
    this.running = true
    this.scheduleIn(this.init.now())
  }

  stop (): void {
    this.running = false
    clearTimeout(this.timer)
    this.estimator.clear()
  }

  /** The current period number of this node's clock. */
  current (): number {
    return Math.floor(this.init.now() / this.period)
  }

  /** Counts another node's checked census message; false when it was a repeat or outside the window. */
  receive (msg: CensusV2, sender: PeerId): boolean {
    return this.estimator.record({ sender: sender.toString(), period: msg.period, p: msg.p, draw: censusDraw(msg.peer, msg.period), state: msg.state, sizes: msg.sizes }, this.current())
  }

  /** How many are online, by state and size, as estimated now. */
  counts (): CensusCounts {
    return this.estimator.estimate(this.current())
  }

  /** Sends at a random moment of the period after the one `now` falls in, so senders do not bunch at period starts. */
  private scheduleIn (now: number): void {
    if (!this.running) return
    const next = (Math.floor(now / this.period) + 1) * this.period
    const at = next + Math.floor(this.random() * this.period * 0.9)
    this.timer = setTimeout(() => { void this.maybeSend() }, Math.max(0, at - now))
    this.timer.unref?.()
  }

  private async maybeSend (): Promise<void> {
    const now = this.init.now()
    try {
      const period = this.current()
      const p = this.estimator.probability(period)
      const me = this.init.peerId.toMultihash().bytes
      // Drawn from the peer ID and the period, so every receiver can check this node was drawn.
      const draw = censusDraw(me, period)
      if (draw >= p) return
      const { state, sizes } = this.init.state()
      const msg: UnsignedLobbyV2Message = { t: 'census', peer: me, state, sizes, period, p }
      // Gossip does not deliver a node's own messages: it counts itself here.
      this.estimator.record({ sender: this.init.peerId.toString(), period, p, draw, state, sizes }, period)
      await this.init.publish(await this.init.sign(msg))
    } catch (err) {
      this.init.log('could not send the census message - %e', err)
    } finally {
      this.scheduleIn(now)
    }
  }
}
