// A hostile player's transcript: the corpus game's acts changed (kind, point, ply, clock, dead
// stones, anything a value edit reaches), then signed again by their real author and chained
// again, so every signature and link holds and only the game itself is wrong. Published as an
// mRNA, this drives the replay behind RNA validation with acts a cheating player could sign.
import fc from 'fast-check'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { ACT_DOMAIN } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import { applyEdit, valueEdit, type ValueEdit } from './mutate.js'
import { valueOf, type Corpus } from './corpus.js'

/** Edits of acts in the corpus game's chains: which side, which entry, what change. */
export interface ChainEdits {
  readonly edits: ReadonlyArray<{ readonly side: 'B' | 'W', readonly index: number, readonly edit: ValueEdit }>
  /** Entries cut off the end of each chain (a transcript that stops early). */
  readonly cut: { readonly B: number, readonly W: number }
}

export const chainEdits: fc.Arbitrary<ChainEdits> = fc.record({
  edits: fc.array(fc.record({ side: fc.constantFrom('B' as const, 'W' as const), index: fc.nat(40), edit: valueEdit }), { minLength: 1, maxLength: 3 }),
  cut: fc.record({ B: fc.nat(3), W: fc.nat(3) })
})

function isMap (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

/** The corpus mRNA body with the edits made and every act re-linked and re-signed by its author. */
export async function resignedBody (c: Corpus, e: ChainEdits): Promise<Uint8Array> {
  const body = valueOf(c.mrna) as Record<string, unknown>
  const out: Record<string, unknown> = { ...body }
  for (const side of ['B', 'W'] as const) {
    const entries = (body[side] as unknown[]).slice(0, Math.max(0, (body[side] as unknown[]).length - e.cut[side]))
    const chain: unknown[] = []
    let prevLink: unknown = null
    for (const [i, entry] of entries.entries()) {
      if (!(entry instanceof Uint8Array)) {
        // A redacted chat: its CID is the next act's link.
        chain.push(entry)
        prevLink = isMap(entry) ? entry.cid : null
        continue
      }
      let act: unknown = valueOf(entry)
      for (const { edit } of e.edits.filter(x => x.side === side && x.index % entries.length === i)) act = applyEdit(act, edit)
      if (!isMap(act)) { chain.push(entry); continue }
      const unsigned = { ...act, prev: prevLink }
      delete unsigned.sig
      let signed: Record<string, unknown>
      try {
        signed = await sign(c.keys[side], ACT_DOMAIN, unsigned)
        chain.push(encodeCanonical(signed))
      } catch {
        // No canonical form (a mutation made one impossible): the entry stays as it was.
        chain.push(entry)
        continue
      }
      prevLink = cidOf(signed)
    }
    out[side] = chain
  }
  return encodeCanonical(out)
}
