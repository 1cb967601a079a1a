// The vectors of protocols/mailbox.md: the valid ones decode to the stated values, open with Bob's
// key and are what the encoders write; the refused ones are refused for the stated reason and path.
import { describe, expect, it } from 'vitest'
import { WireError, MalformedMessageError } from '../../../../src/wire/errors.js'
import {
  EnvelopeError, checkCollected, checkDeposit, decodeMailboxAnswer, decodeMailboxRequest, encodeEnvelope, encodeMailboxAnswer, encodeMailboxRequest,
  envelopeId, openEnvelope
} from '../../../../src/net/mailbox/wire/index.js'
import { toHex } from '../../../wire/helpers.js'
import { day, keys, mailboxBytes, mailboxText, mailboxVectors, now, peers, seed } from './fixtures.js'

const bob = peers.bob.toMultihash().bytes
const utf8 = new TextDecoder()

/** Each refused vector: how Bob (or a holder, for deposit checks) refuses it. */
const refused: Record<string, { reason: string, path: string, by: 'holder' | 'recipient' }> = {
  'envelope-altered': { reason: 'bad-signature', path: 'sig', by: 'recipient' },
  'envelope-carol': { reason: 'undecryptable', path: 'box', by: 'recipient' },
  'envelope-too-long': { reason: 'too-long', path: 'expires', by: 'holder' },
  'envelope-no-prev': { reason: 'schema', path: 'prev', by: 'recipient' },
  'envelope-extra-key': { reason: 'schema', path: 'note', by: 'recipient' },
  'envelope-for-carol': { reason: 'wrong-recipient', path: 'to', by: 'recipient' },
  'envelope-moved-box': { reason: 'undecryptable', path: 'box', by: 'recipient' }
}

async function refusal (name: string, by: 'holder' | 'recipient'): Promise<[string, string]> {
  try {
    if (by === 'holder') await checkDeposit(mailboxBytes(name), now)
    else openEnvelope((await checkCollected(mailboxBytes(name), bob)).envelope, keys.bob)
  } catch (err) {
    if (err instanceof EnvelopeError || err instanceof MalformedMessageError) return [err.reason, err.path]
    if (err instanceof WireError) return [err.reason, '']
    throw err
  }
  return ['accepted', '']
}

describe('protocols/mailbox.md test vectors', () => {
  it('names the keys the document says', () => {
    expect(mailboxText('alice-peer-id')).toBe(peers.alice.toString())
    expect(mailboxText('bob-peer-id')).toBe(peers.bob.toString())
  })

  it('opens envelope 1 with Bob\'s key to the payload, and its ID is the SHA-256 of its bytes', async () => {
    const r = await checkCollected(mailboxBytes('envelope-1'), bob)
    expect(toHex(r.id)).toBe(toHex(mailboxBytes('envelope-1-id')))
    expect(r.envelope).toMatchObject({ seq: 1, kind: 'message', at: now, expires: now + 7 * day })
    expect(r.envelope.prev).toBeUndefined()
    expect(utf8.decode(openEnvelope(r.envelope, keys.bob))).toBe('Your move: D4. See you tomorrow.')
    expect(toHex(mailboxBytes('payload'))).toBe(toHex(openEnvelope(r.envelope, keys.bob)))
    // A holder accepts it at "now".
    await expect(checkDeposit(mailboxBytes('envelope-1'), Number(mailboxText('now')))).resolves.toBeDefined()
  })

  it('chains envelope 2 to envelope 1', async () => {
    const r = await checkCollected(mailboxBytes('envelope-2'), bob)
    expect(toHex(r.envelope.prev!)).toBe(toHex(mailboxBytes('envelope-1-id')))
    expect(toHex(envelopeId(mailboxBytes('envelope-2')))).toBe(toHex(mailboxBytes('envelope-2-id')))
    expect(r.envelope).toMatchObject({ seq: 2, kind: 'challenge' })
    expect(utf8.decode(openEnvelope(r.envelope, keys.bob))).toBe('{"size":19}')
  })

  it('writes the envelopes byte for byte from the same inputs and ephemeral keys', async () => {
    const e1 = await encodeEnvelope({ to: bob, seq: 1, kind: 'message', at: now, expires: now + 7 * day, payload: mailboxBytes('payload') }, keys.alice, seed(0xe1))
    expect(toHex(e1)).toBe(toHex(mailboxBytes('envelope-1')))
    const e2 = await encodeEnvelope({ to: bob, seq: 2, prev: envelopeId(e1), kind: 'challenge', at: now + 60_000, expires: now + 3 * day, payload: new TextEncoder().encode('{"size":19}') }, keys.alice, seed(0xe2))
    expect(toHex(e2)).toBe(toHex(mailboxBytes('envelope-2')))
  })

  it('decodes the stream messages and encodes them back to the same bytes', () => {
    for (const name of ['deposit', 'collect', 'delete']) {
      expect(toHex(encodeMailboxRequest(decodeMailboxRequest(mailboxBytes(name)))), name).toBe(toHex(mailboxBytes(name)))
    }
    for (const name of ['deposited', 'items', 'end', 'deleted', 'refused']) {
      expect(toHex(encodeMailboxAnswer(decodeMailboxAnswer(mailboxBytes(name)))), name).toBe(toHex(mailboxBytes(name)))
    }
    const items = decodeMailboxAnswer(mailboxBytes('items'))
    expect(items.t === 'items' && items.envelopes.map(toHex)).toEqual([toHex(mailboxBytes('envelope-1')), toHex(mailboxBytes('envelope-2'))])
  })

  it.each(Object.entries(refused))('refuses %s', async (name, want) => {
    expect(await refusal(name, want.by)).toEqual([want.reason, want.path])
  })

  it('has exactly the vectors these tests read', () => {
    expect([...mailboxVectors.keys()].sort()).toEqual([
      'alice-peer-id', 'bob-peer-id', 'now', 'payload', 'envelope-1', 'envelope-1-id', 'envelope-2', 'envelope-2-id',
      'deposit', 'collect', 'delete', 'deposited', 'items', 'end', 'deleted', 'refused', ...Object.keys(refused)
    ].sort())
  })
})
