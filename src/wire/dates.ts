// Times on the wire are whole ms since the epoch, up to 2^53 - 1; a JS Date holds only ±8.64e15
// (ECMA-262, Time Values). A peer may send any of them, so words about a time never assume a Date.

/** The latest time a JS Date can hold, ms since the epoch. */
export const MAX_DATE_MS = 8.64e15

/** A time as ISO 8601 text, or as a count of ms when it is past what a Date can show. */
export function timeText (ms: number): string {
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : `${ms} ms after the epoch`
}

/** The day (YYYY-MM-DD) of a time, or undefined when it is past what a Date can show. */
export function dayOf (ms: number): string | undefined {
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString().slice(0, 10) : undefined
}
