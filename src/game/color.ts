import { BLACK, WHITE } from './constants.js'

/** A stone colour: 1 black, 2 white (the values stored on the board). */
export type Color = typeof BLACK | typeof WHITE

/** The other colour. */
export function opponent (color: Color): Color {
  return (3 - color) as Color
}

/** 'B' or 'W', as SGF and results write it. */
export function colorLetter (color: Color): 'B' | 'W' {
  return color === BLACK ? 'B' : 'W'
}

/** Parses 'B'/'W' (any case, or 'black'/'white'); undefined for anything else. */
export function parseColor (text: string): Color | undefined {
  const t = text.trim().toLowerCase()
  if (t === 'b' || t === 'black') return BLACK
  if (t === 'w' || t === 'white') return WHITE
  return undefined
}

export { BLACK, WHITE }
