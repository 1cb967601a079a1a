// A hostile player's transcript: the corpus game's acts changed (kind, point, ply, clock, dead
// stones, anything a value edit reaches), then signed again by their real author and chained
// again, so every signature and link holds and only the game itself is wrong. Published as an
// mRNA, this drives the replay behind RNA validation with acts a cheating player could sign.
import fc from 'fast-check'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { ACT_DOMAIN, ACT_FIELDS } from '../../src/wire/game-messages.js'
import { sign } from '../../src/wire/signing.js'
import { applyEdit, valueEdit, type ValueEdit } from './mutate.js'
import { valueOf, type Corpus } from './corpus.js'

/** Edits of acts in the corpus game's chains: which side, which entry, what change. */
export interface ChainEdits {
  readonly edits: ReadonlyArray<{ readonly side: 'B' | 'W', readonly index: number, readonly edit: ValueEdit | { readonly key: string, readonly value: unknown } }>
  /** Entries cut off the end of each chain (a transcript that stops early). */
  readonly cut: { readonly B: number, readonly W: number }
}

/** A field of an act set to a value of its own type, in range or just out of it: what a cheating client would send. */
const fieldSet: fc.Arbitrary<{ readonly key: string, readonly value: unknown }> = fc.oneof(
  fc.record({ key: fc.constantFrom('x', 'y'), value: fc.integer({ min: 0, max: 24 }) }),
  fc.record({ key: fc.constantFrom('ply', 'seen', 'n'), value: fc.integer({ min: 0, max: 60 }) }),
  fc.record({ key: fc.constantFrom('clock', 'at'), value: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ key: fc.constant('kind'), value: fc.constantFrom('move', 'pass', 'resign', 'abort', 'mark', 'accept', 'resume', 'undo-request', 'undo-reply', 'result') }),
  fc.record({ key: fc.constant('dead'), value: fc.array(fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 24 })), { maxLength: 6 }) }),
  fc.record({ key: fc.constant('ok'), value: fc.boolean() }),
  fc.record({ key: fc.constant('result'), value: fc.constantFrom('B+R', 'W+R', 'B+T', 'W+T', 'B+0.5', 'W+99.5', '0', 'Void', '') })
)

/** A generic edit (any place, any value) or a field set to a plausible value. */
const actEdit: fc.Arbitrary<ValueEdit | { readonly key: string, readonly value: unknown }> = fc.oneof(valueEdit, fieldSet, fieldSet)

const COMMON = ['v', 't', 'game', 'by', 'n', 'prev', 'seen', 'at', 'kind', 'sig']

function edited (act: unknown, edit: ValueEdit | { readonly key: string, readonly value: unknown }): unknown {
  if ('steps' in edit) return applyEdit(act, edit)
  if (!isMap(act)) return act
  if (edit.key !== 'kind') return Object.hasOwn(act, edit.key) ? { ...act, [edit.key]: edit.value } : act
  // Another kind of act: its own fields, kept where the old kind had them, else plausible ones.
  const kind = edit.value as keyof typeof ACT_FIELDS
  const defaults: Record<string, unknown> = { ply: 0, x: 0, y: 0, clock: 0, dead: [], ok: true, result: 'B+R', final: act.game, text: '', proof: [] }
  const out: Record<string, unknown> = Object.fromEntries(COMMON.filter(k => Object.hasOwn(act, k)).map(k => [k, act[k]]))
  for (const key of ACT_FIELDS[kind]) out[key] = Object.hasOwn(act, key) ? act[key] : defaults[key]
  return { ...out, kind }
}

export const chainEdits: fc.Arbitrary<ChainEdits> = fc.record({
  edits: fc.array(fc.record({ side: fc.constantFrom('B' as const, 'W' as const), index: fc.nat(40), edit: actEdit }), { minLength: 1, maxLength: 3 }),
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
      for (const { edit } of e.edits.filter(x => x.side === side && x.index % entries.length === i)) act = edited(act, edit)
      if (!isMap(act)) { chain.push(entry); continue }
      const { sig: _sig, ...fields } = act
      const unsigned = { ...fields, prev: prevLink }
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
