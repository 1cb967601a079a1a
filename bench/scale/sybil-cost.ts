// What the Sybils cost the honest nodes over the idle phase (pure arithmetic over the samples):
// the bytes the Sybils sent (every byte a Sybil sends lands on an honest node or another Sybil,
// so this bounds what honest nodes received from them), the lobby messages honest nodes refused,
// and what the Sybils posted and took. The whole cost, gossip's forwarding of what was not
// refused included, is the idle figure against a run without Sybils (README, "Scale").
import type { Rates, WorkerSample } from './figures.js'
import type { RatingCheck } from './checks.js'
import type { Reply } from './messages.js'

type SybilSample = Extract<Reply, { t: 'sybil-sample' }>

export interface SybilCost {
  /** Bytes the Sybils sent per honest node per second (an upper bound of what honest nodes took from them). */
  readonly sybilBytesOutPerHonestNodePerSec: number
  /** Of which on the DHT protocol (forged records pushed, lookups answered). */
  readonly sybilDhtBytesOutPerHonestNodePerSec: number
  /** What each Sybil took, bytes per second. */
  readonly bytesInPerSybilPerSec: number
  /** Honest nodes' idle bytes in per node per second in this run (compare with a run without Sybils). */
  readonly honestIdleBytesPerNodePerSec: number
  /** Lobby messages each honest node refused per second over the idle phase, and by reason over the whole run (all honest nodes). */
  readonly lobbyRefusalsPerHonestNodePerSec: number
  readonly refusedByReason: Record<string, number>
  /** Junk lobby messages the Sybils posted over the whole run, by kind (`kind:unsent`: publishing failed), and forged rating records they stored. */
  readonly posted: Record<string, number>
  readonly forgedRecords: number
  /** Sybil presences listed in honest views at the end (entries in all views together). */
  readonly sybilsShown: number
}

export function sybilCost (sybils: number, idle: Rates, from: SybilSample | undefined, to: SybilSample | undefined, idleFrom: readonly WorkerSample[], idleTo: readonly WorkerSample[], ratings: RatingCheck): SybilCost {
  let honest = 0
  let refused = 0
  idleTo.forEach((a, w) => {
    a.nodes.forEach((n, i) => {
      const o = idleFrom[w].nodes[i]
      if (o == null || n.up === false || o.up === false) return
      honest++
      refused += (n.lobbyRefused ?? 0) - (o.lobbyRefused ?? 0)
    })
  })
  const seconds = Math.max(1, idle.seconds)
  const perHonest = (x: number): number => Math.round(x / seconds / Math.max(1, honest))
  const out = from != null && to != null && sybils > 0
    ? { bytesOut: to.bytesOut - from.bytesOut, dhtOut: to.dhtOut - from.dhtOut, bytesIn: to.bytesIn - from.bytesIn, sybilSeconds: Math.max(1, (to.at - from.at) / 1000) }
    : { bytesOut: 0, dhtOut: 0, bytesIn: 0, sybilSeconds: 1 }
  return {
    sybilBytesOutPerHonestNodePerSec: perHonest(out.bytesOut),
    sybilDhtBytesOutPerHonestNodePerSec: perHonest(out.dhtOut),
    bytesInPerSybilPerSec: sybils > 0 ? Math.round(out.bytesIn / out.sybilSeconds / sybils) : 0,
    honestIdleBytesPerNodePerSec: idle.bytesIn,
    lobbyRefusalsPerHonestNodePerSec: Math.round(refused / seconds / Math.max(1, honest) * 1000) / 1000,
    refusedByReason: ratings.refused,
    posted: to?.sent ?? {},
    forgedRecords: to?.forgedRecords ?? 0,
    sybilsShown: ratings.sybilsShown
  }
}
