// The post protocol's pure parts (protocols/post.md): payloads, direct items and their refusals,
// and an offline challenge's accept and confirm over the live protocol's start record.
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { day } from '../../../src/units.js'
import { checkDirect, decodePayload, encodeDirect, encodePayload, checkText } from '../../../src/net/post/wire.js'
import { acceptOffer, completeAccept, confirmAccept } from '../../../src/net/post/offline-challenge.js'
import { PostRefusedError } from '../../../src/net/post/errors.js'
import { encodeMessage } from '../../../src/wire/envelope.js'
import type { Proposal } from '../../../src/net/challenge/messages.js'

const alice = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0xa1))
const bob = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0xb0))
const carol = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(0xc0))
const A = peerIdFromPrivateKey(alice).toMultihash().bytes
const B = peerIdFromPrivateKey(bob).toMultihash().bytes
const C = peerIdFromPrivateKey(carol).toMultihash().bytes
const now = 1_796_000_000_000
const proposal: Proposal = {
  id: new Uint8Array(16).fill(7),
  terms: { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } },
  color: 'black',
  name: 'Alice',
  expires: now + 7 * day
}

async function refusal (p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    if (err instanceof PostRefusedError) return err.reason
    throw err
  }
  throw new Error('not refused')
}

describe('message text', () => {
  it('takes one line of up to 500 characters and refuses the rest in words', () => {
    expect(checkText('back on Sunday')).toBe('back on Sunday')
    expect(checkText('é'.repeat(500))).toHaveLength(500)
    expect(() => checkText('x'.repeat(501))).toThrow('a message is at most 500 characters (2000 bytes); this one has 501 characters')
    expect(() => checkText('')).toThrow('a message needs some text')
    expect(() => checkText('two\nlines')).toThrow('no line breaks or control characters')
  })

  it('a payload carrying an oversized text is refused as malformed', async () => {
    const forged = encodeMessage(1, 'message', { text: 'x'.repeat(501), reply: [] })
    expect(await refusal(Promise.resolve().then(() => decodePayload('message', forged)))).toBe('malformed')
    const ok = encodePayload({ kind: 'message', text: 'hello', reply: [] })
    expect(decodePayload('message', ok)).toEqual({ kind: 'message', text: 'hello', reply: [] })
    // A payload of one kind is not taken as the other.
    expect(await refusal(Promise.resolve().then(() => decodePayload('challenge', ok)))).toBe('malformed')
  })
})

describe('a direct item', () => {
  const item = { from: A, to: B, kind: 'message' as const, at: now, expires: now + day, payload: encodePayload({ kind: 'message', text: 'hello', reply: [] }) }

  it('is taken by its recipient from its sender', async () => {
    const bytes = await encodeDirect(item, alice)
    expect(await checkDirect(bytes, { me: B, remote: A, now })).toEqual(item)
  })

  it('is refused when it is for another peer, from another peer, badly signed or expired', async () => {
    const bytes = await encodeDirect(item, alice)
    expect(await refusal(checkDirect(bytes, { me: C, remote: A, now }))).toBe('wrong-recipient')
    expect(await refusal(checkDirect(bytes, { me: B, remote: C, now }))).toBe('wrong-sender')
    // Signed by Carol in Alice's name.
    expect(await refusal(checkDirect(await encodeDirect(item, carol), { me: B, remote: A, now }))).toBe('bad-signature')
    // One byte of the text changed after signing.
    const altered = Uint8Array.from(bytes)
    altered[altered.indexOf(0x68, 40)] ^= 1
    expect(['bad-signature', 'malformed']).toContain(await refusal(checkDirect(altered, { me: B, remote: A, now })))
    expect(await refusal(checkDirect(bytes, { me: B, remote: A, now: now + 2 * day }))).toBe('expired')
    expect(await refusal(checkDirect(new Uint8Array(9000), { me: B, remote: A, now }))).toBe('too-large')
  })
})

describe('an offline challenge', () => {
  it('becomes one co-signed game on both sides from propose, accept and confirm', async () => {
    const accept = await acceptOffer(proposal, { author: A, accepter: B }, { name: 'Bob' }, bob, now + day)
    const { confirm, game: aliceGame } = await confirmAccept(proposal, A, B, accept, alice)
    const bobGame = await completeAccept(proposal, A, B, accept, confirm)
    expect(aliceGame.gameId.equals(bobGame.gameId)).toBe(true)
    expect(aliceGame.me).toBe('B')
    expect(bobGame.me).toBe('W')
    expect(bobGame.start.names).toEqual({ B: 'Alice', W: 'Bob' })
    expect(bobGame.start.created).toBe(now + day)
  })

  it('refuses an accept made after the offer lapsed, or one signed by someone else', async () => {
    expect(await refusal(acceptOffer(proposal, { author: A, accepter: B }, { name: 'Bob' }, bob, proposal.expires))).toBe('expired')
    const late = await acceptOffer({ ...proposal, expires: proposal.expires + day }, { author: A, accepter: B }, { name: 'Bob' }, bob, proposal.expires + 3_600_000)
    expect(await refusal(confirmAccept(proposal, A, B, late, alice))).toBe('expired')
    const forged = await acceptOffer(proposal, { author: A, accepter: B }, { name: 'Bob' }, carol, now)
    expect(await refusal(confirmAccept(proposal, A, B, forged, alice))).toBe('bad-signature')
    const accept = await acceptOffer(proposal, { author: A, accepter: B }, { name: 'Bob' }, bob, now)
    const { confirm } = await confirmAccept(proposal, A, B, accept, alice)
    expect(await refusal(completeAccept(proposal, A, B, accept, { ...confirm, sig: accept.sig }))).toBe('bad-signature')
  })
})
