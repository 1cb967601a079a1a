/**
 * Rulesets as data. Each differs only in a handful of choices; the engine reads these fields
 * and never the ruleset's name.
 */
export interface Ruleset {
  /** Stable identifier, used on the wire and in SGF RU. */
  readonly id: RulesetId
  /** Name for people. */
  readonly name: string
  /** Area: stones + surrounded points. Territory: surrounded points + prisoners, nothing in seki. */
  readonly scoring: 'area' | 'territory'
  /**
   * simple: no immediate recapture of a single-stone ko.
   * positional: no move may recreate any earlier board position.
   * situational: no move may recreate an earlier position with the same player to move.
   */
  readonly ko: 'simple' | 'positional' | 'situational'
  /** Whether suicide of more than one stone is legal (single-stone suicide never is: it changes nothing). */
  readonly multiStoneSuicide: boolean
  /** AGA: passing hands the opponent a prisoner, and White must make the last pass. */
  readonly passStones: boolean
  /** Points White receives per handicap stone under area scoring: 'n' (Chinese), 'n-1' (AGA), or none. */
  readonly whiteHandicapBonus: 'none' | 'n' | 'n-1'
  /** Simple-ko rulesets: the same whole-board position recurring ends the game with no result (Japanese rules, triple ko). */
  readonly repetitionNoResult: boolean
  /** Komi that goes with the ruleset for an even game. */
  readonly defaultKomi: number
}

export type RulesetId = 'chinese' | 'japanese' | 'tromp-taylor' | 'aga' | 'new-zealand'

export const CHINESE: Ruleset = Object.freeze({
  id: 'chinese',
  name: 'Chinese',
  scoring: 'area',
  ko: 'positional',
  multiStoneSuicide: false,
  passStones: false,
  whiteHandicapBonus: 'n',
  repetitionNoResult: false,
  defaultKomi: 7.5
})

export const JAPANESE: Ruleset = Object.freeze({
  id: 'japanese',
  name: 'Japanese',
  scoring: 'territory',
  ko: 'simple',
  multiStoneSuicide: false,
  passStones: false,
  whiteHandicapBonus: 'none',
  repetitionNoResult: true,
  defaultKomi: 6.5
})

export const TROMP_TAYLOR: Ruleset = Object.freeze({
  id: 'tromp-taylor',
  name: 'Tromp-Taylor',
  scoring: 'area',
  ko: 'positional',
  multiStoneSuicide: true,
  passStones: false,
  whiteHandicapBonus: 'none',
  repetitionNoResult: false,
  defaultKomi: 7.5
})

export const AGA: Ruleset = Object.freeze({
  id: 'aga',
  name: 'AGA',
  scoring: 'area',
  ko: 'situational',
  multiStoneSuicide: false,
  passStones: true,
  whiteHandicapBonus: 'n-1',
  repetitionNoResult: false,
  defaultKomi: 7.5
})

export const NEW_ZEALAND: Ruleset = Object.freeze({
  id: 'new-zealand',
  name: 'New Zealand',
  scoring: 'area',
  ko: 'situational',
  multiStoneSuicide: true,
  passStones: false,
  whiteHandicapBonus: 'none',
  repetitionNoResult: false,
  defaultKomi: 7
})

/**
 * What replaying an SGF that names no rules uses: simple ko, no suicide, area count.
 * Not one of the four offered for new games.
 */
export const SIMPLE_KO: Ruleset = Object.freeze({
  ...JAPANESE,
  name: 'simple ko',
  scoring: 'area',
  repetitionNoResult: false
})

export const RULESETS: Readonly<Record<RulesetId, Ruleset>> = Object.freeze({
  chinese: CHINESE,
  japanese: JAPANESE,
  'tromp-taylor': TROMP_TAYLOR,
  aga: AGA,
  'new-zealand': NEW_ZEALAND
})

/** Finds a ruleset by its id or by the names SGF RU uses; undefined when unknown. */
export function rulesetByName (name: string): Ruleset | undefined {
  const n = name.trim().toLowerCase().replace(/[\s_]+/g, '-')
  switch (n) {
    case 'chinese': case 'cn': case 'china':
      return CHINESE
    case 'japanese': case 'jp': case 'japan': case 'korean':
      return JAPANESE
    case 'tromp-taylor': case 'tromptaylor': case 'tt':
      return TROMP_TAYLOR
    case 'aga': case 'american': case 'bga':
      return AGA
    case 'nz': case 'new-zealand': case 'newzealand':
      return NEW_ZEALAND
    default:
      return undefined
  }
}
