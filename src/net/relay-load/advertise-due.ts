// When a relay provides its key again in one DHT: a pure rule of what it knew then and knows now.
import { ADVERTISE_INTERVAL, ADVERTISE_REGROW_GAP } from './constants.js'

/** The last provide a DHT took: when, and how many peers its routing table held then. */
export interface LastAdvertised {
  readonly at: number
  readonly size: number
}

/**
 * A DHT is due when it knows someone and never took the record, took it ADVERTISE_INTERVAL ago,
 * or has at least doubled its routing table since (at most every ADVERTISE_REGROW_GAP).
 */
export function advertiseDue (last: LastAdvertised | undefined, size: number, at: number): boolean {
  if (size === 0) return false
  if (last == null) return true
  const since = at - last.at
  return since >= ADVERTISE_INTERVAL || (size >= 2 * last.size && since >= ADVERTISE_REGROW_GAP)
}
