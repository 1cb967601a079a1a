// The coordinator's side of churn: which node is where and whether it is up (the fleet), and the
// schedule by which a fraction of the nodes leave and as many fresh ones join, spread over the
// measured run. Half of those who leave stop gracefully (the lobby's `leave`, the DHT's stop),
// half as if their process died (every connection reset, no goodbye: bench/scale/churn-worker.ts).
import type { Worker } from './fleet.js'

/** One honest node of the run: its worker and index there, its peer ID, whether it is up. */
export interface Seat {
  readonly w: Worker
  readonly i: number
  readonly peer: string
  up: boolean
  /** When it joined (ms since the epoch); 0 for the nodes started before the run. */
  readonly joinedAt: number
}

export class Fleet {
  readonly seats: Seat[] = []

  /** Seats up now. */
  live (): Seat[] {
    return this.seats.filter(s => s.up)
  }

  /** The seat of `w`'s node `i`. */
  at (w: Worker, i: number): Seat | undefined {
    return this.seats.find(s => s.w === w && s.i === i)
  }

  /** The seat of a peer ID. */
  of (peer: string): Seat | undefined {
    return this.seats.find(s => s.peer === peer)
  }
}

/** One step of churn, `at` ms after the window opens. */
export interface ChurnStep { readonly at: number, readonly kind: 'leave' | 'join', readonly abrupt: boolean }

/**
 * `count` leaves and `count` joins spread evenly over `windowMs`: leave k at (k + 1/4) of its
 * slot, join k at (k + 3/4), every other leave abrupt.
 */
export function churnPlan (count: number, windowMs: number): ChurnStep[] {
  const steps: ChurnStep[] = []
  const slot = windowMs / Math.max(1, count)
  for (let k = 0; k < count; k++) {
    steps.push({ at: Math.round(slot * (k + 0.25)), kind: 'leave', abrupt: k % 2 === 1 })
    steps.push({ at: Math.round(slot * (k + 0.75)), kind: 'join', abrupt: false })
  }
  return steps
}

/** What churn did, as the report counts it. */
export interface ChurnCounts { left: number, leftAbruptly: number, joined: number, failures: string[] }

/**
 * Runs `plan` from now on: a leaving node is picked among the live nodes started before the run
 * (a pseudo-random but repeatable order), a fresh node joins on the workers in turn through the
 * relays. `protect` names peers that must stay (the quick matchers, say). Resolves when done.
 */
export async function runChurn (fleet: Fleet, workers: readonly Worker[], plan: readonly ChurnStep[], bootstrap: string[], firstIndex: number, protect: () => ReadonlySet<string>, stopped: () => boolean): Promise<ChurnCounts> {
  const counts: ChurnCounts = { left: 0, leftAbruptly: 0, joined: 0, failures: [] }
  const began = Date.now()
  let pick = 7
  for (const step of plan) {
    const wait = began + step.at - Date.now()
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    if (stopped()) break
    try {
      if (step.kind === 'leave') {
        const keep = protect()
        const candidates = fleet.live().filter(s => s.joinedAt === 0 && !keep.has(s.peer))
        if (candidates.length === 0) continue
        pick = (pick * 1103515245 + 12345) % 2147483648
        const seat = candidates[pick % candidates.length]
        seat.up = false
        await seat.w.ask({ t: 'leave', node: seat.i, abrupt: step.abrupt }, 'left', 60_000)
        counts.left++
        if (step.abrupt) counts.leftAbruptly++
      } else {
        const w = workers[counts.joined % workers.length]
        const r = await w.ask({ t: 'join', index: firstIndex + counts.joined, bootstrap }, 'joined', 60_000)
        fleet.seats.push({ w, i: r.node, peer: r.peer, up: true, joinedAt: Date.now() })
        counts.joined++
      }
    } catch (err) {
      counts.failures.push(`${step.kind}: ${(err as Error).message}`)
    }
  }
  return counts
}
