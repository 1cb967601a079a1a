import type { Act, Side } from '../wire/game-messages.js'

export interface SessionEvents {
  /** An act (either player's) took effect. */
  act: CustomEvent<{ act: Act, mine: boolean }>
  /** The game ended; `cosigned` once both result signatures are in. */
  ended: CustomEvent<{ result: string, cosigned: boolean }>
  chat: CustomEvent<{ from: Side, text: string }>
  /** The opponent proposed a marking or asked for an undo: the screen asks the player. */
  proposal: CustomEvent<{ kind: 'mark' | 'undo-request', act: Act }>
}

/** Raises one of the session's events. */
export type Emit = <K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]['detail']) => void
