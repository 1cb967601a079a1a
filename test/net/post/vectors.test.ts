// The vectors of protocols/post.md: what the encoders write, what the decoders read back, and the
// offline challenge's accept and confirm making the stated game.
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { hex, readVectors, toHex } from '../../wire/helpers.js'
import { checkDirect, decodeAnswer, decodePayload, encodeAnswer, encodeDirect, encodePayload } from '../../../src/net/post/wire.js'
import { acceptOffer, completeAccept, confirmAccept } from '../../../src/net/post/offline-challenge.js'
import { decodeChallengeMessage, encodeChallengeMessage } from '../../../src/net/challenge/messages.js'
import { replyAddresses } from '../../../src/net/post/reply.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/post.md', import.meta.url), 'utf8'))
const v = (name: string): string => {
  const found = vectors.get(name)
  if (found == null) throw new Error(`no vector ${name}`)
  return found.value
}
const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b)
const alice = await generateKeyPairFromSeed('Ed25519', seed(0xa1))
const bob = await generateKeyPairFromSeed('Ed25519', seed(0xb0))
const A = peerIdFromPrivateKey(alice)
const B = peerIdFromPrivateKey(bob)
const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seed(0xd0)))
const now = 1796000000000
const day = 86_400_000

describe('protocols/post.md test vectors', () => {
  it('names the relay and Alice\'s reply address', () => {
    expect(v('relay-peer-id')).toBe(relay.toString())
    expect(v('reply-address')).toBe(`/ip4/198.51.100.7/tcp/4001/p2p/${relay.toString()}/p2p-circuit/p2p/${A.toString()}`)
  })

  it('encodes and decodes the payloads and the direct item', async () => {
    const reply = [multiaddr(v('reply-address')).bytes]
    expect(toHex(encodePayload({ kind: 'message', text: 'Back on Sunday. 9x9?', reply }))).toBe(v('message-payload'))
    expect(decodePayload('message', hex(v('message-payload')))).toEqual({ kind: 'message', text: 'Back on Sunday. 9x9?', reply })
    expect(replyAddresses(reply, A.toString()).map(String)).toEqual([v('reply-address')])
    // Another peer's address in Alice's item is not taken as hers.
    expect(replyAddresses(reply, B.toString())).toEqual([])
    const item = { from: A.toMultihash().bytes, to: B.toMultihash().bytes, kind: 'message' as const, at: now, expires: now + 7 * day, payload: hex(v('message-payload')) }
    expect(toHex(await encodeDirect(item, alice))).toBe(v('direct-message'))
    expect(await checkDirect(hex(v('direct-message')), { me: B.toMultihash().bytes, remote: A.toMultihash().bytes, now })).toEqual(item)
    const payload = decodePayload('challenge', hex(v('challenge-payload')))
    expect(payload).toMatchObject({ kind: 'challenge', reply })
    expect(toHex((payload as { msg: Uint8Array }).msg)).toBe(v('propose'))
  })

  it('makes the stated accept, confirm and game', async () => {
    const propose = decodeChallengeMessage(hex(v('propose')))
    if (propose.t !== 'propose') throw new Error('not a propose')
    const { t: _t, ...proposal } = propose
    expect(proposal).toMatchObject({ id: new Uint8Array(16).fill(7), name: 'Alice', color: 'black', expires: now + 7 * day, terms: { size: 9, tc: { kind: 'correspondence', perMoveMs: 3 * day, maxBankMs: 7 * day } } })
    const accept = await acceptOffer(proposal, { author: A.toMultihash().bytes, accepter: B.toMultihash().bytes }, { name: 'Bob' }, bob, now + 2 * day)
    expect(toHex(encodeChallengeMessage({ t: 'accept', ...accept }))).toBe(v('accept'))
    const { confirm, game } = await confirmAccept(proposal, A.toMultihash().bytes, B.toMultihash().bytes, accept, alice)
    expect(toHex(encodeChallengeMessage({ t: 'confirm', ...confirm }))).toBe(v('confirm'))
    expect(game.gameId.toString()).toBe(v('game-id'))
    expect((await completeAccept(proposal, A.toMultihash().bytes, B.toMultihash().bytes, accept, confirm)).gameId.toString()).toBe(v('game-id'))
  })

  it('encodes and decodes the answers', () => {
    expect(toHex(encodeAnswer({ t: 'ok' }))).toBe(v('answer-ok'))
    const refused = { t: 'refused' as const, reason: 'wrong-recipient', message: 'the item is addressed to another peer' }
    expect(toHex(encodeAnswer(refused))).toBe(v('answer-refused'))
    expect(decodeAnswer(hex(v('answer-refused')))).toEqual(refused)
  })
})
