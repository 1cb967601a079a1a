import { describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DeliveryTracker, newDeliveryState } from '../../../src/net/game/delivery-tracker.js'
import { newStoredProgress } from '../../../src/net/game/game-persistence.js'
import { RTT_WEIGHT } from '../../../src/net/game/constants.js'
import { FakeTime, sessionPair } from '../../helpers/sessions.js'
import type { ActiveGame } from '../../../src/net/game/active-game.js'
import type { Metrics } from '@libp2p/interface'

/** A Metrics stand-in that records what the tracker registers and reports. */
function recordingMetrics (): { metrics: Metrics, counts: Record<string, number>, observed: Array<Record<string, number>>, names: string[] } {
  const counts: Record<string, number> = {}
  const observed: Array<Record<string, number>> = []
  const names: string[] = []
  const add = (key: string, by: number): void => { counts[key] = (counts[key] ?? 0) + by }
  const metrics = {
    registerCounterGroup: (name: string) => { names.push(name); return { increment: (values: Record<string, number | true>) => { for (const [k, v] of Object.entries(values)) add(`${name}{${k}}`, v === true ? 1 : v) }, reset: () => {} } },
    registerCounter: (name: string) => { names.push(name); return { increment: (by = 1) => { add(name, by) }, reset: () => {} } },
    registerHistogramGroup: (name: string) => { names.push(name); return { observe: (values: Record<string, number>) => { observed.push(values) }, reset: () => {}, timer: () => () => {} } }
  } as unknown as Metrics
  return { metrics, counts, observed, names }
}

async function activeGame (): Promise<ActiveGame> {
  const { black } = await sessionPair()
  const { generateKeyPair } = await import('@libp2p/crypto/keys')
  const opponent = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return { session: black, opponent, path: { streams: new Map(), retryMs: 1000, rung: 'relayed' }, delivery: newDeliveryState(), stored: newStoredProgress({ B: [], W: [] }, 0) }
}

describe('the delivery tracker', () => {
  it('smooths round trips, keeps per-peer statistics and raises delivery events, with or without metrics', async () => {
    for (const withMetrics of [false, true]) {
      const time = new FakeTime()
      const events: Array<{ ok: boolean, latencyMs?: number, method: string }> = []
      const recorded = recordingMetrics()
      const tracker = new DeliveryTracker({ now: time.now, dispatch: (type, detail) => { if (type === 'delivery') events.push(detail as never) }, ...(withMetrics ? { metrics: recorded.metrics } : {}) })
      const game = await activeGame()
      await game.session.move({ x: 4, y: 4 })
      await game.session.chat('hello')
      tracker.noteSent(game, 1)
      time.advance(100)
      tracker.noteSent(game, 2)
      expect(tracker.wasSent(game, 2)).toBe(true)
      time.advance(300)
      game.session.acknowledge(2)
      tracker.noteAcked(game)
      tracker.noteFailure(game, 'no route')
      const stats = tracker.byPeer.get(game.opponent.toString())
      expect(stats).toMatchObject({ sent: 2, acked: 2, failures: 1, lastMethod: 'relayed' })
      expect(stats?.srttMs).toBe(400 + RTT_WEIGHT * (300 - 400))
      expect(events).toEqual([
        { peer: game.opponent, gameId: game.session.gameId, method: 'relayed', ok: true, latencyMs: 400 },
        { peer: game.opponent, gameId: game.session.gameId, method: 'relayed', ok: true, latencyMs: 300 },
        { peer: game.opponent, gameId: game.session.gameId, method: 'relayed', ok: false, error: 'no route' }
      ])
      expect(tracker.wasSent(game, 2)).toBe(false)
      if (withMetrics) {
        expect(recorded.names).toEqual(['p2pgo_game_acts_total', 'p2pgo_game_delivery_failures_total', 'p2pgo_game_ack_latency_seconds'])
        expect(recorded.counts).toEqual({ 'p2pgo_game_acts_total{sent}': 2, 'p2pgo_game_acts_total{acked}': 2, p2pgo_game_delivery_failures_total: 1 })
        expect(recorded.observed).toEqual([{ relayed: 0.4 }, { relayed: 0.3 }])
      } else {
        expect(recorded.names).toEqual([])
      }
    }
  })

  it('credits the opponent at most a second of round trip', async () => {
    const time = new FakeTime()
    const tracker = new DeliveryTracker({ now: time.now, dispatch: () => {} })
    const game = await activeGame()
    expect(tracker.lagMs(game)).toBe(0)
    game.delivery.srtt = 250
    expect(tracker.lagMs(game)).toBe(250)
    game.delivery.srtt = 5000
    expect(tracker.lagMs(game)).toBe(1000)
  })
})
