/** Why a move was refused. Each has a plain sentence in `illegalMoveMessage`. */
export type IllegalMoveReason =
  | 'occupied'
  | 'suicide'
  | 'ko'
  | 'superko'
  | 'out-of-bounds'
  | 'not-your-turn'
  | 'game-over'

const messages: Record<IllegalMoveReason, string> = {
  occupied: 'that point already has a stone on it',
  suicide: 'the stone would have no liberties and captures nothing (suicide)',
  ko: 'retaking the ko at once is not allowed; play elsewhere first',
  superko: 'the move would repeat an earlier whole-board position (superko)',
  'out-of-bounds': 'that point is not on the board',
  'not-your-turn': 'it is not your turn',
  'game-over': 'the game is not in play'
}

/** A plain-language explanation of an illegal move reason, for the screen and the network. */
export function illegalMoveMessage (reason: IllegalMoveReason): string {
  return messages[reason]
}

/** A move that the rules refuse, with the reason. */
export class IllegalMoveError extends Error {
  static readonly code = 'ERR_ILLEGAL_MOVE'
  readonly code = IllegalMoveError.code
  readonly reason: IllegalMoveReason

  constructor (reason: IllegalMoveReason, detail?: string) {
    super(detail == null ? illegalMoveMessage(reason) : `${illegalMoveMessage(reason)}: ${detail}`)
    this.name = 'IllegalMoveError'
    this.reason = reason
  }
}

/** An operation that does not fit the game's current phase (e.g. marking dead stones during play). */
export class GamePhaseError extends Error {
  static readonly code = 'ERR_GAME_PHASE'
  readonly code = GamePhaseError.code
  readonly phase: string

  constructor (phase: string, message: string) {
    super(message)
    this.name = 'GamePhaseError'
    this.phase = phase
  }
}

/** A game setting (size, handicap, komi, time control) outside what the game accepts. */
export class InvalidSettingError extends Error {
  static readonly code = 'ERR_INVALID_SETTING'
  readonly code = InvalidSettingError.code
  readonly setting: string

  constructor (setting: string, message: string) {
    super(message)
    this.name = 'InvalidSettingError'
    this.setting = setting
  }
}

/** An SGF file that cannot be read, with where (line:column or node path) and why. */
export class SgfError extends Error {
  static readonly code = 'ERR_SGF'
  readonly code = SgfError.code
  readonly where: string

  constructor (where: string, message: string) {
    super(`${where}: ${message}`)
    this.name = 'SgfError'
    this.where = where
  }
}
