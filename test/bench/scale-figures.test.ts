// The scale harness's arithmetic: per-node rates between two samples of several workers.
import { describe, expect, it } from 'vitest'
import { percentile, ratesBetween, type WorkerSample } from '../../bench/scale/figures.js'

const node = (bytesIn: number, bytesOut: number): WorkerSample['nodes'][number] => ({ bytesIn, bytesOut, gossipIn: bytesIn / 2, gossipOut: 0, dhtIn: 0, dhtOut: 0, lobbyFirstIn: bytesIn / 4, censusFirstIn: 0, view: 0, connections: 0, lobbyPeers: 0, lobbyMesh: 0 })

describe('scale figures', () => {
  it('averages bytes per node per second over every worker\'s nodes, and CPU per node as % of a core', () => {
    const before: WorkerSample[] = [
      { at: 0, cpuMicros: 0, rssBytes: 0, lagMs: 0, nodes: [node(0, 0), node(100, 100)] },
      { at: 0, cpuMicros: 0, rssBytes: 0, lagMs: 0, nodes: [node(0, 0)] }
    ]
    const after: WorkerSample[] = [
      { at: 10_000, cpuMicros: 2e6, rssBytes: 0, lagMs: 0, nodes: [node(1000, 500), node(2100, 100)] },
      { at: 10_000, cpuMicros: 1e6, rssBytes: 0, lagMs: 0, nodes: [node(3000, 600)] }
    ]
    // In: 100 + 200 + 300 B/s over 3 nodes; out: 50 + 0 + 60; CPU: 0.3 s per s over 3 nodes.
    expect(ratesBetween(before, after)).toEqual({ bytesIn: 200, bytesOut: 37, gossipIn: 100, dhtIn: 0, lobbyFirstIn: 50, censusFirstIn: 0, cpuPct: 10, seconds: 10 })
  })

  it('takes percentiles by nearest rank, and has none of nothing', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3)
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5)
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95)
    expect(percentile([], 0.5)).toBeNull()
  })
})
