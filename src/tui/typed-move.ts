// What a player types at the board's move prompt (`:`): a point (`D4`), `pass` or `resign`.
// Pure; an answer the player can read when the text is none of these.
import { fromGtpVertex, type Vertex } from '../game/vertex.js'

export type TypedMove =
  | { readonly kind: 'play', readonly vertex: Vertex }
  | { readonly kind: 'pass' }
  | { readonly kind: 'resign' }
  | { readonly kind: 'invalid', readonly message: string }

const LAST_LETTER = 'ABCDEFGHJKLMNOPQRSTUVWXYZ'

export function parseTypedMove (text: string, size: number): TypedMove {
  const t = text.trim().toLowerCase()
  if (t === 'pass' || t === 'p') return { kind: 'pass' }
  if (t === 'resign') return { kind: 'resign' }
  if (t === '') return { kind: 'invalid', message: 'type a point such as D4, or pass' }
  const vertex = fromGtpVertex(t, size)
  if (vertex != null) return { kind: 'play', vertex }
  if (/^i\d+$/.test(t)) return { kind: 'invalid', message: 'Go boards have no column I: the letters run A to H, then J' }
  return { kind: 'invalid', message: `"${text.trim()}" is not a point on this ${size}x${size} board: columns A to ${LAST_LETTER[size - 1]} (no I), rows 1 to ${size}` }
}
