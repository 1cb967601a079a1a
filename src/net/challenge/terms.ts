// Game terms as the network agrees them: the wire's shape (checkTerms) and the game core's own
// bounds (src/game/terms.ts), so a proposal, a counter or a lobby seek can only name terms a
// game can start from. Every decoder and every local offer goes through here.
import { InvalidSettingError } from '../../game/errors.js'
import { validateTerms } from '../../game/terms.js'
import { MalformedMessageError } from '../../wire/errors.js'
import { checkTerms } from '../../wire/game-start.js'
import { at } from '../../wire/schema.js'
import type { GameTerms } from '../../wire/game-start.js'
import type { CborMap } from '../../wire/schema.js'

/** Terms whose shape is right but which the game core refuses; `detail` is the core's sentence. */
export class InvalidTermsError extends MalformedMessageError {
  readonly detail: string

  constructor (path: string, detail: string) {
    super('schema', path, detail)
    this.detail = detail
  }
}

/** The field of the terms a game setting lives in: the clock is `tc` on the wire. */
function fieldOf (setting: string): string {
  return setting === 'time-control' ? 'tc' : setting
}

/**
 * Decodes terms at `path`: the wire's schema, then the game core's bounds. Throws
 * MalformedMessageError('schema') naming the field (`terms.komi`) with the core's sentence.
 */
export function checkAgreedTerms (map: CborMap, path: string): GameTerms {
  const terms = checkTerms(map, path)
  try {
    validateTerms(terms)
  } catch (err) {
    if (err instanceof InvalidSettingError) throw new InvalidTermsError(at(path, fieldOf(err.setting)), err.message)
    throw err
  }
  // The game core can play a free handicap, but the game protocol has no act that places the
  // stones (protocols/game.md): such a game would wait before its first move for ever.
  if (terms.placement === 'free' && terms.handicap >= 2) {
    throw new InvalidTermsError(at(path, 'placement'), 'free handicap placement cannot be played over the network yet: agree fixed placement')
  }
  return terms
}

/** Terms this node means to offer, checked as the peer will check them; InvalidSettingError names the field. */
export function localTerms (terms: GameTerms): GameTerms {
  try {
    return checkAgreedTerms(terms as unknown as CborMap, 'terms')
  } catch (err) {
    if (err instanceof MalformedMessageError) throw new InvalidSettingError(err.path, err.message)
    throw err
  }
}

/** A sentence for the peer whose terms were refused: which field, and why. */
export function termsRefusal (err: MalformedMessageError): string {
  return err instanceof InvalidTermsError ? `the terms cannot be played (${err.path}): ${err.detail}` : `the terms cannot be played: ${err.message}`
}

/** Whether a refusal is of the terms: a schema failure at `terms` or inside it. */
export function isTermsPath (path: string): boolean {
  return path === 'terms' || path.startsWith('terms.')
}
