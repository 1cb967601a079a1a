import { MAX_SIZE } from './constants.js'

/** A board point: x is the column from the left, y the row from the top, both from 0 (SGF's order). */
export interface Vertex {
  readonly x: number
  readonly y: number
}

const letters = 'abcdefghijklmnopqrstuvwxyz'
/** GTP and most Go software skip the letter I in column names. */
const gtpLetters = 'ABCDEFGHJKLMNOPQRSTUVWXYZ'

/** True when the vertex lies on a board of `size`. */
export function onBoard (v: Vertex, size: number): boolean {
  return Number.isInteger(v.x) && Number.isInteger(v.y) && v.x >= 0 && v.y >= 0 && v.x < size && v.y < size
}

/** SGF point text ('dd'), for boards up to 26. */
export function toSgfPoint (v: Vertex): string {
  return letters[v.x] + letters[v.y]
}

/** Parses an SGF point ('dd'); undefined for anything not two lowercase letters. */
export function fromSgfPoint (text: string): Vertex | undefined {
  if (text.length !== 2) return undefined
  const x = letters.indexOf(text[0])
  const y = letters.indexOf(text[1])
  if (x < 0 || y < 0) return undefined
  return { x, y }
}

/** GTP vertex text ('D4': column letter without I, row counted from the bottom). */
export function toGtpVertex (v: Vertex, size: number): string {
  return gtpLetters[v.x] + String(size - v.y)
}

/** Parses a GTP vertex ('D4', case-insensitive); undefined when malformed or off a board of `size`. */
export function fromGtpVertex (text: string, size: number): Vertex | undefined {
  const m = /^([A-HJ-Za-hj-z])(\d{1,2})$/.exec(text.trim())
  if (m == null) return undefined
  const x = gtpLetters.indexOf(m[1].toUpperCase())
  const y = size - Number(m[2])
  const v = { x, y }
  return size <= MAX_SIZE && onBoard(v, size) ? v : undefined
}
