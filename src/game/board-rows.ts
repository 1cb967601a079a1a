// The board as text, for records, tests and the benchmark's cross-check: printing stays out of
// the rules engine's hot class.
import { BLACK, WHITE } from './constants.js'

/** Rows from the top of a padded board of `size` (row length size + 2): 'X' black, 'O' white, '.' empty. */
export function boardRows (cells: Uint8Array, size: number): string[] {
  const width = size + 2
  const rows: string[] = []
  for (let y = 0; y < size; y++) {
    let row = ''
    for (let x = 0; x < size; x++) {
      const c = cells[(y + 1) * width + x + 1]
      row += c === BLACK ? 'X' : c === WHITE ? 'O' : '.'
    }
    rows.push(row)
  }
  return rows
}
