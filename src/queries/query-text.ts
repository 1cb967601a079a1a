// Small text helpers the query answers share: timestamps as ISO text, peers shortened, fixed decimals.
import { timeText } from '../wire/dates.js'

/** A timestamp (ms since the epoch) as ISO 8601 text; one a peer dated past what a Date holds, as a count of ms. */
export const iso = (ms: number): string => timeText(ms)

/** A peer ID shortened for a terminal line: its first 8 and last 6 characters. */
export const short = (peer: string): string => `${peer.slice(0, 8)}…${peer.slice(-6)}`

/** A number with a fixed count of decimals (3 unless told). */
export const fixed = (x: number, digits = 3): string => x.toFixed(digits)
