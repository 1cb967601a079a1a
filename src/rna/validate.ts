// Validation of an RNA as gossip delivers it, in the order every decoder here follows: size,
// envelope, origin signature, date, then the kind's own checks. Each kind is registered below.
import { equals } from 'multiformats/bytes'
import { decodeRna, kindOf, rnaIdOf, verifyRna, type Rna } from './rna.js'
import { decodeMrna, replayMrna, type MrnaBody, type MrnaGame } from './mrna.js'
import { InvalidRnaError } from './errors.js'
import type { CID } from 'multiformats/cid'

/** A kind of RNA this node knows. */
export type RnaKind = 'mrna'

/** The kinds this node validates; any other is ignored (neither forwarded nor held against anyone). */
export const RNA_KINDS: readonly RnaKind[] = ['mrna']

/** An RNA that passed every check. */
export interface ValidRna {
  readonly id: CID
  readonly rna: Rna
  readonly kind: 'mrna'
  readonly body: MrnaBody
  readonly game: MrnaGame
}

/**
 * Checks an RNA as it arrives: envelope, origin signature and date, then its kind. An mRNA's
 * origin must be one of the game's players, both players must have signed its start, and the
 * game must replay exactly (`replayMrna`). Throws InvalidRnaError with the reason; an unknown
 * kind is 'unknown-kind' (the caller ignores it rather than rejects it).
 */
export async function validateRna (data: Uint8Array, now: number): Promise<ValidRna> {
  const rna = decodeRna(data)
  const kind = kindOf(rna.body)
  if (!(RNA_KINDS as readonly string[]).includes(kind)) throw new InvalidRnaError('unknown-kind', `"${kind}"`)
  await verifyRna(rna, now)
  const body = decodeMrna(rna.body)
  if (!equals(rna.origin, body.start.black) && !equals(rna.origin, body.start.white)) throw new InvalidRnaError('not-a-player')
  const game = await replayMrna(body)
  return { id: rnaIdOf(rna.body), rna, kind: 'mrna', body, game }
}
