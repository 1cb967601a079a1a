import type { Move } from '../random-sequences.js'

/** The ko rules compared: simple ko, or positional superko (no earlier whole-board position may recur). */
export type KoRule = 'simple' | 'superko'

/** What replaying one sequence did. */
export interface ReplayResult {
  /** Moves and passes the library accepted. */
  applied: number
  /** Moves the library refused (the player to move stays the same). */
  rejected: number
  /** The final board, rows from the top ('X' black, 'O' white, '.' empty), when asked for. */
  rows?: string[]
}

/** One Go library behind the benchmark's common interface. */
export interface Adapter {
  /** Package name, as the table shows it. */
  readonly name: string
  /** Whether the library can enforce `ko` at all (a library without superko reports "n/a" there). */
  supports (ko: KoRule): boolean
  /** How the library is set up and called under `ko`, for the report. */
  describe (ko: KoRule): string
  /**
   * Plays `moves` from an empty `size` board, Black first, through the library's own validated
   * move API, and counts what it accepted and refused. `rows` asks for the final board too.
   */
  replay (moves: readonly Move[], size: number, ko: KoRule, rows?: boolean): ReplayResult
}

/** Board rows from a cell reader, in the shared 'X'/'O'/'.' form. */
export function boardRows (size: number, at: (x: number, y: number) => 'X' | 'O' | '.'): string[] {
  const rows: string[] = []
  for (let y = 0; y < size; y++) {
    let row = ''
    for (let x = 0; x < size; x++) row += at(x, y)
    rows.push(row)
  }
  return rows
}
