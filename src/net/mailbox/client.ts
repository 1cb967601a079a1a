// The asking side of `/p2pgo/mailbox/1.0.0` (protocols/mailbox.md): a sender deposits an envelope
// with a holder; a recipient collects what a holder keeps for it and has it deleted. Each call is
// one stream; the answers are checked as the protocol says, a refusal is thrown with its words.
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { errorOf } from '../error-of.js'
import { decodeMailboxAnswer, encodeMailboxRequest, type MailboxAnswer, type MailboxRequest } from './wire/messages.js'
import { ANSWER_MAX_BYTES, MAILBOX_PROTOCOL, REQUEST_MAX_BYTES, STREAM_DEADLINE } from './wire/limits.js'
import { HOLDER_TIMEOUT } from './constants.js'
import type { Refusal } from './wire/errors.js'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A holder's refusal, with its reason and sentence. */
export class MailboxRefusedError extends Error {
  readonly reason: Refusal
  readonly holder: string
  constructor (holder: string, reason: Refusal, message: string) {
    super(`holder ${holder} refused: ${message}`)
    this.name = 'MailboxRefusedError'
    this.reason = reason
    this.holder = holder
  }
}

/** Where a holder is: its peer ID, and addresses to dial when the peer store has none (those in the recipient's circuit addresses). */
export interface HolderAddress {
  readonly peer: PeerId
  readonly addrs?: readonly Multiaddr[]
}

/** Sends one request to a holder and reads its answers up to the last (`end`, `deposited`, `deleted` or `refused`). */
export async function ask (connections: ConnectionManager, holder: HolderAddress, request: MailboxRequest, options: AbortOptions = {}): Promise<MailboxAnswer[]> {
  const signal = AbortSignal.any([AbortSignal.timeout(HOLDER_TIMEOUT), ...(options.signal != null ? [options.signal] : [])])
  const target = holder.addrs != null && holder.addrs.length > 0 && connections.getConnections(holder.peer).length === 0 ? [...holder.addrs] : holder.peer
  const connection = await connections.openConnection(target, { signal })
  const stream = await connection.newStream(MAILBOX_PROTOCOL, { signal, runOnLimitedConnection: true })
  const answers: MailboxAnswer[] = []
  const deadline = setTimeout(() => { stream.abort(new Error(`holder ${holder.peer.toString()} did not answer within ${STREAM_DEADLINE / 1000} s`)) }, STREAM_DEADLINE)
  try {
    if (!stream.send(encodeFrame(encodeMailboxRequest(request), { maxBytes: REQUEST_MAX_BYTES }))) await stream.onDrain({ signal })
    for await (const frame of decodeFrames(stream, { maxBytes: ANSWER_MAX_BYTES })) {
      deadline.refresh()
      const answer = decodeMailboxAnswer(frame)
      answers.push(answer)
      if (answer.t === 'refused') throw new MailboxRefusedError(holder.peer.toString(), answer.reason, answer.message)
      if (answer.t !== 'items') return answers
    }
    throw new Error(`holder ${holder.peer.toString()} ended the stream before its answer`)
  } catch (err) {
    stream.abort(errorOf(err))
    throw err
  } finally {
    clearTimeout(deadline)
    if (stream.status === 'open') await stream.close().catch(() => {})
  }
}

/** Deposits an envelope with a holder: its ID as the holder names it. */
export async function deposit (connections: ConnectionManager, holder: HolderAddress, envelope: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array> {
  const answers = await ask(connections, holder, { t: 'deposit', envelope }, options)
  const last = answers[answers.length - 1]
  if (last.t !== 'deposited') throw new Error(`holder ${holder.peer.toString()} answered a deposit with "${last.t}"`)
  return last.id
}

/** Every envelope a holder keeps for this node, as stored there (unchecked). */
export async function collect (connections: ConnectionManager, holder: HolderAddress, options: AbortOptions = {}): Promise<Uint8Array[]> {
  const answers = await ask(connections, holder, { t: 'collect' }, options)
  const last = answers[answers.length - 1]
  if (last.t !== 'end') throw new Error(`holder ${holder.peer.toString()} answered a collection with "${last.t}"`)
  return answers.flatMap(a => a.t === 'items' ? a.envelopes : [])
}

/** Has a holder drop envelopes it keeps for this node: how many it had. */
export async function remove (connections: ConnectionManager, holder: HolderAddress, ids: readonly Uint8Array[], options: AbortOptions = {}): Promise<number> {
  let count = 0
  for (let i = 0; i < ids.length; i += 256) {
    const answers = await ask(connections, holder, { t: 'delete', ids: ids.slice(i, i + 256) }, options)
    const last = answers[answers.length - 1]
    if (last.t !== 'deleted') throw new Error(`holder ${holder.peer.toString()} answered a delete with "${last.t}"`)
    count += last.count
  }
  return count
}
