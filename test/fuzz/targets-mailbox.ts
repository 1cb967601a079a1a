// Fuzz targets of store-and-forward (protocols/mailbox.md): the stream's requests (a deposit's
// envelope checked as a holder checks it), its answers (each collected envelope checked and
// opened as the recipient does), and envelopes alone. Random bytes rarely pass a signature, so
// the envelope target also has the sender re-sign whatever map the broken bytes still hold: the
// checks behind the signature (the clock, the recipient, the sealed box) get fuzzed too.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeCanonical, encodeCanonical } from '../../src/wire/cbor.js'
import { WireError } from '../../src/wire/errors.js'
import { sign } from '../../src/wire/signing.js'
import {
  ANSWER_MAX_BYTES, ENVELOPE_DOMAIN, ENVELOPE_MAX_BYTES, REQUEST_MAX_BYTES, checkCollected, checkDeposit, decodeMailboxAnswer, decodeMailboxRequest, openEnvelope
} from '../../src/net/mailbox/wire/index.js'
import { hex, readVectors } from '../wire/helpers.js'
import { hostileBytes } from './mutate.js'
import type { FuzzTarget } from './harness.js'
import type { PrivateKey } from '@libp2p/interface'

const vectors = readVectors(readFileSync(new URL('../../protocols/mailbox.md', import.meta.url), 'utf8'))
const vector = (name: string): Uint8Array => hex(vectors.get(name)!.value)
const envelopes = [vector('envelope-1'), vector('envelope-2')]
const NOW = Number(vectors.get('now')!.value)

/** Alice (the sender) and Bob (the recipient) of the document's vectors, made once. */
let keys: Promise<{ alice: PrivateKey, bob: PrivateKey }> | undefined
const keysOf = async (): Promise<{ alice: PrivateKey, bob: PrivateKey }> => {
  keys ??= (async () => ({
    alice: await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0xa1)),
    bob: await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0xb0))
  }))()
  return await keys
}

const envelopeValue = fc.constantFrom(...envelopes.map(e => decodeCanonical(e, { maxBytes: ENVELOPE_MAX_BYTES })))

/** Valid-shaped requests: deposits of the document's envelopes, collections, deletes. */
const requestArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...envelopes).map(envelope => ({ v: 1, t: 'deposit', envelope })),
  fc.constant({ v: 1, t: 'collect' }),
  fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 4 }).map(ids => ({ v: 1, t: 'delete', ids }))
)

/** Valid-shaped answers. */
const answerArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.constantFrom(...envelopes), { maxLength: 3 }).map(list => ({ v: 1, t: 'items', envelopes: list })),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map(id => ({ v: 1, t: 'deposited', id })),
  fc.constant({ v: 1, t: 'end' }),
  fc.nat(256).map(count => ({ v: 1, t: 'deleted', count })),
  fc.constantFrom('quota-sender', 'full', 'rate').map(reason => ({ v: 1, t: 'refused', reason, message: 'no' }))
)

/** The recipient's whole check of one collected envelope: decode, signature, recipient, box. */
async function collectAsBob (bytes: Uint8Array): Promise<void> {
  const { bob } = await keysOf()
  const r = await checkCollected(bytes, peerIdFromPrivateKey(bob).toMultihash().bytes)
  openEnvelope(r.envelope, bob)
}

/** The map `bytes` decode to, signed again by Alice; undefined when there is none. */
async function resigned (bytes: Uint8Array): Promise<Uint8Array | undefined> {
  let value: unknown
  try { value = decodeCanonical(bytes, { maxBytes: ENVELOPE_MAX_BYTES }) } catch { return undefined }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return undefined
  try {
    return encodeCanonical(await sign((await keysOf()).alice, ENVELOPE_DOMAIN, value as Record<string, unknown>))
  } catch {
    return undefined
  }
}

export function mailboxTargets (): FuzzTarget[] {
  const show = (bytes: Uint8Array): string => `hex:${Buffer.from(bytes).toString('hex').slice(0, 400)}`
  return [
    {
      name: 'mailbox-request',
      decoder: 'decodeMailboxRequest + checkDeposit (/p2pgo/mailbox/1.0.0 requests, as a holder reads them)',
      input: hostileBytes(requestArb, REQUEST_MAX_BYTES),
      run: async (bytes: Uint8Array) => {
        const request = decodeMailboxRequest(bytes)
        if (request.t === 'deposit') await checkDeposit(request.envelope, NOW)
      },
      allowed: [WireError],
      show
    },
    {
      name: 'mailbox-answer',
      decoder: 'decodeMailboxAnswer + each collected envelope checked and opened (as a recipient reads a holder)',
      input: hostileBytes(answerArb, ANSWER_MAX_BYTES),
      run: async (bytes: Uint8Array) => {
        const answer = decodeMailboxAnswer(bytes)
        if (answer.t === 'items') for (const e of answer.envelopes) await collectAsBob(e)
      },
      allowed: [WireError],
      show
    },
    {
      name: 'mailbox-envelope',
      decoder: 'checkDeposit and the recipient\'s check and opening of an envelope, also re-signed by its sender',
      input: hostileBytes(envelopeValue, ENVELOPE_MAX_BYTES, envelopes),
      run: async (bytes: Uint8Array) => {
        let first: unknown
        try { await checkDeposit(bytes, NOW) } catch (err) { first = err }
        try { await collectAsBob(bytes) } catch (err) { first ??= err }
        const signed = await resigned(bytes)
        if (signed != null) {
          try { await checkDeposit(signed, NOW) } catch (err) { first ??= err }
          await collectAsBob(signed)
        }
        if (first !== undefined) throw first
      },
      allowed: [WireError],
      show
    }
  ]
}
