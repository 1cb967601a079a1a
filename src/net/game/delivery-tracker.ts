import { MAX_LAG_CREDIT_MS, RTT_WEIGHT } from './constants.js'
import type { Act } from '../../wire/game-messages.js'
import type { Rung } from '../rung.js'
import type { ActiveGame, Dispatch } from './active-game.js'
import type { Counter, CounterGroup, HistogramGroup, Metrics } from '@libp2p/interface'

/** Per-peer delivery statistics, for the screen and the ladder. */
export interface DeliveryStats {
  sent: number
  acked: number
  failures: number
  lastMethod?: Rung
  /** Smoothed ack round trip, ms. */
  srttMs?: number
}

/** One game's delivery state: when each of my acts was last sent, and the smoothed round trip. */
export interface DeliveryState {
  readonly sentAt: Map<number, number>
  srtt?: number
}

export function newDeliveryState (): DeliveryState {
  return { sentAt: new Map() }
}

export interface DeliveryTrackerInit {
  readonly now: () => number
  readonly dispatch: Dispatch
  /** libp2p's metrics, when the node has them (the bootstrap relay's Prometheus endpoint). */
  readonly metrics?: Metrics
}

/** Act events counted in `p2pgo_game_acts_total`. */
type ActEvent = 'sent' | 'acked'

/**
 * What was sent when and what came back: round trips (smoothed as TCP's SRTT), per-peer
 * statistics, `delivery` events and, when the node has metrics, the same through libp2p's
 * Metrics interface.
 */
export class DeliveryTracker {
  private readonly now: () => number
  private readonly dispatch: Dispatch
  private readonly stats = new Map<string, DeliveryStats>()
  private readonly acts?: CounterGroup<ActEvent>
  private readonly failures?: Counter
  private readonly latency?: HistogramGroup<Rung>

  constructor (init: DeliveryTrackerInit) {
    this.now = init.now
    this.dispatch = init.dispatch
    this.acts = init.metrics?.registerCounterGroup('p2pgo_game_acts_total', { label: 'event', help: 'Game acts sent (resends included) and acknowledged, by event' })
    this.failures = init.metrics?.registerCounter('p2pgo_game_delivery_failures_total', { help: 'Attempts to reach a game opponent that failed (no connection or no stream)' })
    // prom-client's default buckets (5 ms to 10 s): acks over a working path land well inside them.
    this.latency = init.metrics?.registerHistogramGroup('p2pgo_game_ack_latency_seconds', { label: 'rung', help: 'Act-to-acknowledgement round trip, by the rung the game was on' })
  }

  /** Delivery statistics per peer ID. */
  get byPeer (): ReadonlyMap<string, DeliveryStats> {
    return this.stats
  }

  /** Whether act `n` has gone out (and not been forgotten since). */
  wasSent (game: ActiveGame, n: number): boolean {
    return game.delivery.sentAt.has(n)
  }

  /** Act `n` goes out now. */
  noteSent (game: ActiveGame, n: number): void {
    game.delivery.sentAt.set(n, this.now())
    this.stat(game).sent++
    this.acts?.increment({ sent: true })
  }

  /** The opponent lacks these acts: they go again, as if never sent. */
  forget (game: ActiveGame, acts: readonly Act[]): void {
    for (const act of acts) game.delivery.sentAt.delete(act.n)
  }

  /** The session's acknowledged count moved: every act it covers is delivered, with its round trip. */
  noteAcked (game: ActiveGame): void {
    const { session, delivery } = game
    const now = this.now()
    const rung = game.path.rung
    for (const [n, at] of delivery.sentAt) {
      if (n > session.acked) continue
      delivery.sentAt.delete(n)
      const sample = now - at
      delivery.srtt = delivery.srtt == null ? sample : delivery.srtt + RTT_WEIGHT * (sample - delivery.srtt)
      const s = this.stat(game)
      s.acked++
      s.srttMs = delivery.srtt
      s.lastMethod = rung
      this.acts?.increment({ acked: true })
      this.latency?.observe({ [rung ?? 'direct']: sample / 1000 })
      this.dispatch('delivery', { peer: game.opponent, gameId: session.gameId, method: rung ?? 'direct', ok: true, latencyMs: sample })
    }
  }

  /** The opponent could not be reached. */
  noteFailure (game: ActiveGame, error: string): void {
    this.stat(game).failures++
    this.failures?.increment()
    this.dispatch('delivery', { peer: game.opponent, gameId: game.session.gameId, method: game.path.rung ?? 'direct', ok: false, error })
  }

  /** The network delay credited to the opponent's clock for an act arriving now. */
  lagMs (game: ActiveGame): number {
    return Math.min(game.delivery.srtt ?? 0, MAX_LAG_CREDIT_MS)
  }

  private stat (game: ActiveGame): DeliveryStats {
    const key = game.opponent.toString()
    let s = this.stats.get(key)
    if (s == null) {
      s = { sent: 0, acked: 0, failures: 0 }
      this.stats.set(key, s)
    }
    return s
  }
}
