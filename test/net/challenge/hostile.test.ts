import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHALLENGE_PROTOCOL, ChallengeProtocolError, type ChallengeInit } from '../../../src/net/challenge/index.js'
import { CHALLENGE_MAX_BYTES } from '../../../src/net/challenge/constants.js'
import { decodeChallengeMessage, encodeChallengeMessage, type ChallengeMessage, type Proposal } from '../../../src/net/challenge/messages.js'
import { signStart, startRecordOf } from '../../../src/net/challenge/start-record.js'
import { encodeCanonical } from '../../../src/wire/cbor.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { challengeNode, connect, nextEvent, rawNode, record, rejection, terms9, type ChallengeNode, type RawNode } from './nodes.js'
import type { PrivateKey, Stream } from '@libp2p/interface'

type Decide = NonNullable<ChallengeInit['decide']>

/** A fresh proposal as the raw side makes it. */
function proposal (overrides: Partial<Proposal> = {}): Proposal {
  return { id: crypto.getRandomValues(new Uint8Array(16)), terms: terms9, color: 'black', name: 'Mallory', expires: Date.now() + 60_000, ...overrides }
}

/** Sends bytes as they are (already framed, or deliberately not). */
async function sendRaw (stream: Stream, bytes: Uint8Array): Promise<void> {
  if (!stream.send(bytes)) await stream.onDrain()
}

/** Sends one message in one frame. */
async function send (stream: Stream, message: ChallengeMessage): Promise<void> {
  await sendRaw(stream, encodeFrame(encodeChallengeMessage(message)))
}

/** Reads until the other side ends the stream: the messages that came, and how it ended. */
async function readToEnd (stream: Stream): Promise<{ messages: ChallengeMessage[], ended: 'closed' | 'reset' }> {
  const messages: ChallengeMessage[] = []
  try {
    for await (const frame of decodeFrames(stream, { maxBytes: CHALLENGE_MAX_BYTES })) messages.push(decodeChallengeMessage(frame))
    return { messages, ended: 'closed' }
  } catch {
    return { messages, ended: 'reset' }
  }
}

/** The next message on a stream. */
async function readOne (stream: Stream): Promise<ChallengeMessage> {
  for await (const frame of decodeFrames(stream, { maxBytes: CHALLENGE_MAX_BYTES })) return decodeChallengeMessage(frame)
  throw new Error('the stream ended without a message')
}

describe('challenge: a peer that breaks the protocol, on the receiving side', () => {
  let raw: RawNode
  let rawKey: PrivateKey
  let b: ChallengeNode
  let decide: Decide = async () => ({ accept: true })

  beforeAll(async () => {
    rawKey = await generateKeyPair('Ed25519')
    raw = await rawNode({}, rawKey)
    b = await challengeNode({ decide: async (offer, options) => decide(offer, options) })
    await connect(raw, b)
  })

  afterAll(async () => {
    await Promise.all([raw?.stop(), b?.stop()])
  })

  async function open (): Promise<Stream> {
    return raw.dialProtocol(b.peerId, CHALLENGE_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
  }

  it.each([
    ['a frame of bytes that are not CBOR', encodeFrame(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff))],
    ['CBOR that is not a message', encodeFrame(encodeCanonical(['hello']))],
    ['a line of text with no framing at all', new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')]
  ])('%s: a rejected event, the stream ended, no game', async (_name, bytes) => {
    const games = record(b, 'game')
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    await sendRaw(stream, bytes)
    await stream.close()
    const event = await rejected
    expect(event.peer.equals(raw.peerId)).toBe(true)
    expect(event.reason).toBe('malformed')
    expect((await readToEnd(stream)).messages).toEqual([])
    expect(games).toEqual([])
  })

  it('an oversized length prefix: refused at once, before any body is sent', async () => {
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    // The varint for 1 MiB and nothing after it: the receiver must not wait for the body.
    await sendRaw(stream, Uint8Array.of(0x80, 0x80, 0x40))
    const event = await rejected
    expect(event).toMatchObject({ reason: 'too-large' })
    expect(event.message).toContain(`${CHALLENGE_MAX_BYTES}`)
    expect(await readToEnd(stream)).toEqual({ messages: [], ended: 'reset' })
  })

  it('a propose with bad terms: declined \'invalid-terms\' with the field at fault, and reported', async () => {
    const games = record(b, 'game')
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    const bad = proposal()
    await sendRaw(stream, encodeFrame(encodeCanonical({ v: 1, t: 'propose', id: bad.id, terms: { ...terms9, size: 50 }, color: 'black', name: 'Mallory', expires: bad.expires })))
    const { messages } = await readToEnd(stream)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ t: 'decline', id: bad.id, reason: 'invalid-terms' })
    expect(messages[0].t === 'decline' ? messages[0].message : '').toContain('terms.size')
    expect(await rejected).toMatchObject({ reason: 'invalid-terms' })
    expect(games).toEqual([])
  })

  it('a propose in a version this node does not speak: declined \'unsupported\', not held against the peer', async () => {
    const rejections = record(b, 'rejected')
    const stream = await open()
    const p = proposal()
    await sendRaw(stream, encodeFrame(encodeCanonical({ v: 2, t: 'propose', id: p.id, terms: terms9, color: 'black', name: 'Future', expires: p.expires })))
    const { messages } = await readToEnd(stream)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ t: 'decline', id: p.id, reason: 'unsupported' })
    expect(rejections).toEqual([])
  })

  it('a stream that starts with an accept instead of a propose: reported as unexpected', async () => {
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    await send(stream, { t: 'accept', id: new Uint8Array(16), created: Date.now(), name: 'Mallory', sig: new Uint8Array(64) })
    expect(await rejected).toMatchObject({ reason: 'unexpected' })
    expect((await readToEnd(stream)).messages).toEqual([])
  })

  it('a message out of turn while the offer is being considered: reported, and the decision is told to stop', async () => {
    const released = Promise.withResolvers<void>()
    const asked = Promise.withResolvers<void>()
    decide = async (_offer, { signal }) => {
      asked.resolve()
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => { released.resolve(); reject(signal.reason) }, { once: true })
      })
    }
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    await send(stream, { t: 'propose', ...proposal() })
    await asked.promise
    await send(stream, { t: 'propose', ...proposal() })
    expect(await rejected).toMatchObject({ reason: 'unexpected' })
    await released.promise
    expect((await readToEnd(stream)).ended).toBe('reset')
  })

  it('a confirm with a wrong signature: reported, and no game for the accepter', async () => {
    decide = async () => ({ accept: true, name: 'Bob' })
    const games = record(b, 'game')
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    const p = proposal()
    await send(stream, { t: 'propose', ...p })
    const accept = await readOne(stream)
    expect(accept).toMatchObject({ t: 'accept', id: p.id, name: 'Bob' })
    if (accept.t !== 'accept') throw new Error('no accept')
    // Signed by the right key, but over another record (a different creation time).
    const { record: other } = startRecordOf(p, { author: raw.peerId.toMultihash().bytes, accepter: b.peerId.toMultihash().bytes, accepterName: 'Bob', created: accept.created + 1 })
    await send(stream, { t: 'confirm', id: p.id, sig: await signStart(rawKey, other) })
    expect(await rejected).toMatchObject({ reason: 'bad-signature' })
    expect(games).toEqual([])
  })

  it('five proposals on one stream: the fifth is refused', async () => {
    decide = async () => ({ counter: { terms: terms9, color: 'white' } })
    const rejected = nextEvent(b, 'rejected')
    const stream = await open()
    await send(stream, { t: 'propose', ...proposal() })
    expect(await readOne(stream)).toMatchObject({ t: 'counter' })
    await send(stream, { t: 'counter', ...proposal() })
    expect(await readOne(stream)).toMatchObject({ t: 'counter' })
    await send(stream, { t: 'counter', ...proposal() })
    expect(await rejected).toMatchObject({ reason: 'too-many-proposals' })
  })
})

describe('challenge: a peer that breaks the protocol, on the proposing side', () => {
  let a: ChallengeNode
  let raw: RawNode
  let rawKey: PrivateKey
  /** What the raw node does with an incoming challenge stream, after reading the propose. */
  let respond: (stream: Stream, propose: Proposal) => Promise<void> = async () => {}

  beforeAll(async () => {
    a = await challengeNode()
    rawKey = await generateKeyPair('Ed25519')
    raw = await rawNode({}, rawKey)
    await raw.handle(CHALLENGE_PROTOCOL, async stream => {
      try {
        const first = await readOne(stream)
        if (first.t === 'propose') await respond(stream, first)
      } catch (err) {
        stream.abort(err as Error)
      }
    }, { runOnLimitedConnection: true })
    await connect(a, raw)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), raw?.stop()])
  })

  async function propose (): Promise<unknown> {
    return rejection(a.services.challenge.propose(raw.peerId, { terms: terms9, color: 'random', name: 'Ann' }, { signal: AbortSignal.timeout(20_000) }))
  }

  it('an accept with a wrong signature: ChallengeProtocolError bad-signature, a rejected event, no game', async () => {
    respond = async (stream, p) => {
      const created = Date.now()
      // A valid signature by the raw peer, but over a record with another name than the accept claims.
      const { record: other } = startRecordOf(p, { author: a.peerId.toMultihash().bytes, accepter: raw.peerId.toMultihash().bytes, accepterName: 'Someone else', created })
      await send(stream, { t: 'accept', id: p.id, created, name: 'Mallory', sig: await signStart(rawKey, other) })
      await readToEnd(stream)
    }
    const games = record(a, 'game')
    const rejected = nextEvent(a, 'rejected')
    const err = await propose()
    expect(err).toBeInstanceOf(ChallengeProtocolError)
    expect(err).toMatchObject({ reason: 'bad-signature' })
    expect(await rejected).toMatchObject({ reason: 'bad-signature' })
    expect(games).toEqual([])
  })

  it('an answer that is not CBOR: ChallengeProtocolError malformed', async () => {
    respond = async stream => { await sendRaw(stream, encodeFrame(Uint8Array.of(0xff, 0x00))) }
    const err = await propose()
    expect(err).toBeInstanceOf(ChallengeProtocolError)
    expect(err).toMatchObject({ reason: 'malformed' })
  })

  it('an oversized answer: ChallengeProtocolError too-large', async () => {
    respond = async stream => { await sendRaw(stream, Uint8Array.of(0x80, 0x80, 0x40)) }
    const err = await propose()
    expect(err).toMatchObject({ name: 'ChallengeProtocolError', reason: 'too-large' })
  })

  it('an accept naming another proposal: ChallengeProtocolError unexpected', async () => {
    respond = async (stream, p) => {
      await send(stream, { t: 'accept', id: p.id.map(x => x ^ 1), created: Date.now(), name: 'Mallory', sig: new Uint8Array(64) })
      await readToEnd(stream)
    }
    const err = await propose()
    expect(err).toMatchObject({ name: 'ChallengeProtocolError', reason: 'unexpected' })
  })

  it('a peer that closes without answering: ChallengeProtocolError closed, not reported as an offence', async () => {
    respond = async stream => { await stream.close() }
    const rejections = record(a, 'rejected')
    const err = await propose()
    expect(err).toMatchObject({ name: 'ChallengeProtocolError', reason: 'closed' })
    expect(rejections).toEqual([])
  })
})
