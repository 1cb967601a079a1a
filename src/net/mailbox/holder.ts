// The holding side of `/p2pgo/mailbox/1.0.0` (protocols/mailbox.md): a sender deposits an
// envelope for a recipient this holder knows; the recipient collects what waits for it and has
// it deleted. One request per stream; every refusal is answered in words, and what only a broken
// or hostile peer sends costs it reputation.
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { WireError } from '../../wire/errors.js'
import { errorOf } from '../error-of.js'
import { PeerRateLimit } from '../peer-rate-limit.js'
import { minute } from '../../units.js'
import { checkDeposit } from './wire/envelope.js'
import { PENALISED, refusalOf, type Refusal } from './wire/errors.js'
import { decodeMailboxRequest, encodeMailboxAnswer, itemsFrames } from './wire/messages.js'
import { ANSWER_MAX_BYTES, MAILBOX_PROTOCOL, REQUEST_MAX_BYTES, STREAM_DEADLINE, STREAMS_PER_CONNECTION } from './wire/limits.js'
import { peerText, type HolderStore } from './holder-store.js'
import { FLOOD_RATE, REQUEST_RATE } from './constants.js'
import type { MailboxAnswer, MailboxRequest } from './wire/messages.js'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/** What the holder needs from the service. */
export interface HolderHooks {
  readonly log: Logger
  readonly now: () => number
  readonly store: HolderStore
  /** Whether this holder takes envelopes for `recipient` (peer ID text): it knows it. */
  readonly knows: (recipient: string) => boolean
  /** A refusal that costs the peer (`mailbox:<reason>`). */
  readonly penalize: (peer: PeerId, reason: string) => void
}

/** Each refusal's sentence, for the sender's screen. */
const SENTENCES: Record<Refusal, string> = {
  'too-large': 'the request is larger than this holder accepts',
  malformed: 'the request or its envelope is malformed',
  'unknown-version': 'this holder speaks version 1 of the mailbox protocol',
  'bad-signature': 'the envelope\'s signature does not check with its sender\'s key',
  'bad-peer': 'the envelope names a peer ID without an Ed25519 key',
  'wrong-sender': 'a sender deposits its own envelopes only',
  expired: 'the envelope has expired (or expires before it was made)',
  'too-long': 'an envelope may ask to be kept 30 days at most',
  'from-future': 'the envelope is dated ahead of this holder\'s clock: check the sender\'s clock',
  'unknown-recipient': 'this holder does not know the recipient (it has held no reservation for it and it has not collected here in the last 30 days)',
  conflict: 'this holder already holds another envelope with the same number from this sender to this recipient',
  'quota-sender': 'this sender already has as many envelopes held here as a sender may',
  'quota-recipient': 'this holder already holds as many envelopes for this recipient as it may',
  'quota-pair': 'this holder already holds as many envelopes from this sender for this recipient as it may',
  full: 'this holder\'s storage for held envelopes is full',
  rate: `more than ${REQUEST_RATE} mailbox requests a minute: wait a minute`,
  'not-holder': 'this node does not hold envelopes for others'
}

export class MailboxHolder {
  private readonly registrar: Registrar
  private readonly hooks: HolderHooks
  private readonly limiter = new PeerRateLimit(REQUEST_RATE, minute)
  private readonly flood = new PeerRateLimit(FLOOD_RATE, minute)

  constructor (registrar: Registrar, hooks: HolderHooks) {
    this.registrar = registrar
    this.hooks = hooks
  }

  async start (): Promise<void> {
    await this.registrar.handle(MAILBOX_PROTOCOL, this.answer, { maxInboundStreams: STREAMS_PER_CONNECTION, runOnLimitedConnection: true })
  }

  async stop (): Promise<void> {
    this.limiter.clear()
    this.flood.clear()
    await this.registrar.unhandle(MAILBOX_PROTOCOL)
  }

  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    const peer = connection.remotePeer
    const deadline = setTimeout(() => { stream.abort(new Error(`no mailbox request within ${STREAM_DEADLINE / 1000} s`)) }, STREAM_DEADLINE)
    try {
      let request: MailboxRequest
      try {
        let frame: Uint8Array | undefined
        for await (const f of decodeFrames(stream, { maxBytes: REQUEST_MAX_BYTES })) { frame = f; break }
        clearTimeout(deadline)
        if (frame == null) throw new Error('the stream ended before a request')
        request = decodeMailboxRequest(frame)
      } catch (err) {
        if (!(err instanceof WireError)) throw err
        await this.refuse(stream, peer, refusalOf(err), err.message)
        return
      }
      if (!this.flood.allow(peer.toString())) this.hooks.penalize(peer, 'flood')
      if (!this.limiter.allow(peer.toString())) {
        await this.refuse(stream, peer, 'rate')
        return
      }
      for (const a of await this.handle(request, peer)) await this.send(stream, a)
      await stream.close({ signal: AbortSignal.timeout(STREAM_DEADLINE) })
    } catch (err) {
      clearTimeout(deadline)
      this.hooks.log('mailbox request from %p failed - %e', peer, err)
      stream.abort(errorOf(err))
    }
  }

  /** The answers to one request; a refusal is one `refused` (and its penalty, where due). */
  private async handle (request: MailboxRequest, peer: PeerId): Promise<Uint8Array[]> {
    const me = peer.toString()
    if (request.t === 'collect') {
      await this.hooks.store.markKnown(me, this.hooks.now())
      return [...itemsFrames(await this.hooks.store.list(me)), encodeMailboxAnswer({ t: 'end' })]
    }
    if (request.t === 'delete') {
      return [encodeMailboxAnswer({ t: 'deleted', count: await this.hooks.store.remove(me, request.ids) })]
    }
    let received
    try {
      received = await checkDeposit(request.envelope, this.hooks.now())
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      return [this.refusal(peer, refusalOf(err), err.message)]
    }
    const from = peerText(received.envelope.from)
    if (from !== me) return [this.refusal(peer, 'wrong-sender', `the envelope is from ${from}`)]
    const to = peerText(received.envelope.to)
    if (!this.hooks.knows(to)) return [this.refusal(peer, 'unknown-recipient')]
    const put = await this.hooks.store.put(received, from, to)
    if (put === 'held' || put === 'already') return [encodeMailboxAnswer({ t: 'deposited', id: received.id })]
    return [this.refusal(peer, put)]
  }

  private refusal (peer: PeerId, reason: Refusal, detail?: string): Uint8Array {
    if (PENALISED.has(reason)) this.hooks.penalize(peer, reason)
    this.hooks.log('refused a mailbox request from %p: %s%s', peer, reason, detail != null ? ` (${detail})` : '')
    const message = `${SENTENCES[reason]}${detail != null ? `: ${detail}` : ''}`
    return encodeMailboxAnswer({ t: 'refused', reason, message: truncate(message) })
  }

  private async refuse (stream: Stream, peer: PeerId, reason: Refusal, detail?: string): Promise<void> {
    await this.send(stream, this.refusal(peer, reason, detail))
    await stream.close({ signal: AbortSignal.timeout(STREAM_DEADLINE) })
  }

  private async send (stream: Stream, answer: Uint8Array): Promise<void> {
    if (!stream.send(encodeFrame(answer, { maxBytes: ANSWER_MAX_BYTES }))) await stream.onDrain({ signal: AbortSignal.timeout(STREAM_DEADLINE) })
  }
}

/** A sentence cut to the refusal's 500 bytes (on a character boundary). */
function truncate (text: string): string {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= 500) return text
  return new TextDecoder().decode(bytes.subarray(0, 497)).replace(/\uFFFD$/, '') + '...'
}

export type { MailboxAnswer }
