import { BLACK, WHITE } from './constants.js'
import { colorLetter, type Color } from './color.js'

/** How a game ended. */
export type GameResult =
  | { readonly kind: 'score', readonly winner: Color | null, readonly margin: number }
  | { readonly kind: 'resign' | 'time' | 'forfeit', readonly winner: Color }
  | { readonly kind: 'no-result' }

/**
 * The result as SGF RE writes it and players say it: 'B+3.5', 'W+R', 'B+T', 'W+F',
 * '0' for jigo (a draw) and 'Void' for no result.
 */
export function formatResult (r: GameResult): string {
  switch (r.kind) {
    case 'score':
      return r.winner == null || r.margin === 0 ? '0' : `${colorLetter(r.winner)}+${Math.abs(r.margin)}`
    case 'resign':
      return `${colorLetter(r.winner)}+R`
    case 'time':
      return `${colorLetter(r.winner)}+T`
    case 'forfeit':
      return `${colorLetter(r.winner)}+F`
    case 'no-result':
      return 'Void'
  }
}

/** A sentence for people: 'Black wins by 3.5 points', 'White wins by resignation', 'Jigo (draw)'. */
export function describeResult (r: GameResult): string {
  const name = (c: Color): string => (c === BLACK ? 'Black' : 'White')
  switch (r.kind) {
    case 'score':
      return r.winner == null || r.margin === 0 ? 'Jigo (draw)' : `${name(r.winner)} wins by ${Math.abs(r.margin)} point${Math.abs(r.margin) === 1 ? '' : 's'}`
    case 'resign':
      return `${name(r.winner)} wins by resignation`
    case 'time':
      return `${name(r.winner)} wins on time`
    case 'forfeit':
      return `${name(r.winner)} wins by forfeit`
    case 'no-result':
      return 'No result'
  }
}

/**
 * Parses an SGF RE value. Accepts the FF[4] forms ('B+3.5', 'W+R', 'B+Resign', 'B+T', 'B+Time',
 * 'W+F', 'B+Forfeit', '0', 'Draw', 'Jigo', 'Void'); undefined for anything else ('?', 'B+', junk),
 * so a caller can keep the raw text.
 */
export function parseResult (text: string): GameResult | undefined {
  const t = text.trim()
  if (/^(0|draw|jigo)$/i.test(t)) return { kind: 'score', winner: null, margin: 0 }
  if (/^void$/i.test(t)) return { kind: 'no-result' }
  const m = /^([BW])\+(.*)$/i.exec(t)
  if (m == null) return undefined
  const winner: Color = m[1].toUpperCase() === 'B' ? BLACK : WHITE
  const how = m[2].trim()
  if (/^(r|resign)$/i.test(how)) return { kind: 'resign', winner }
  if (/^(t|time)$/i.test(how)) return { kind: 'time', winner }
  if (/^(f|forfeit)$/i.test(how)) return { kind: 'forfeit', winner }
  if (/^\d+(\.\d+)?$/.test(how)) return { kind: 'score', winner, margin: Number(how) }
  return undefined
}
