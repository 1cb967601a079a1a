import { otherSide, type Act, type Side } from '../wire/game-messages.js'
import { ActRejectedError } from './errors.js'
import type { CID } from 'multiformats/cid'

/**
 * Checks that an act follows its author's chain as applied so far (`prev` links the last act,
 * `null` exactly for the first) and counts no more of the opponent's acts than were applied
 * (`seen`); throws ActRejectedError otherwise. `linkOf` gives an applied act's CID.
 */
export function checkLink (chains: Readonly<Record<Side, readonly Act[]>>, act: Act, linkOf: (act: Act) => CID): void {
  const chain = chains[act.by]
  const prev = chain[chain.length - 1]
  const expected = prev != null ? linkOf(prev) : null
  if ((expected == null) !== (act.prev == null) || (expected != null && act.prev != null && !expected.equals(act.prev))) {
    throw new ActRejectedError('broken-chain', `act ${act.n} does not follow act ${chain.length}`)
  }
  if (act.seen > chains[otherSide(act.by)].length) throw new ActRejectedError('out-of-order', `act ${act.n} refers to acts not yet received`)
}

/** Whether two acts are the same signed act (acts are compared by signature: a different act with the same number forks the chain). */
export function sameAct (a: Act | undefined, b: Act): boolean {
  if (a == null) return false
  const x = a.sig
  const y = b.sig
  return x.length === y.length && x.every((v, i) => v === y[i])
}
