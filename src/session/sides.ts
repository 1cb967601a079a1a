import { BLACK, WHITE } from '../game/constants.js'
import type { Color } from '../game/color.js'
import type { Side } from '../wire/game-messages.js'

/** The stone colour a side plays. */
export const colorOf = (s: Side): Color => (s === 'B' ? BLACK : WHITE)
