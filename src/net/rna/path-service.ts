// Tracing an RNA's propagation path: gossip does not carry paths, so a node asks the peer that
// delivered an RNA where it got it, then that peer's source, and so on back to the origin,
// bounded in depth, time and (on the answering side) rate. Each hop speaks only for itself.
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { RateLimiter } from '@libp2p/utils'
import * as Digest from 'multiformats/hashes/digest'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { MAX_PATH_DEPTH, PATH_MAX_BYTES, PATH_PROTOCOL, PATH_QUERY_TIMEOUT, PATH_RATE_LIMIT, PATH_RATE_WINDOW } from './constants.js'
import { decodePathMessage, encodePathMessage, type WhereAnswer } from './path-messages.js'
import type { PathHop, PropagationPath } from './rna-store.js'
import type { CID } from 'multiformats/cid'
import type { Libp2p, Logger, PeerId, Stream } from '@libp2p/interface'

/** What this node holds about an RNA, for answering: when it had it and from whom (absent: published here). */
export interface HeldRna { readonly at: number, readonly from?: string }

export interface PathServiceInit {
  readonly libp2p: Libp2p
  /** This node's record of an RNA, if it holds it. */
  readonly held: (id: CID) => Promise<HeldRna | undefined>
  /** A peer asked about an RNA this node holds: it found it useful. */
  readonly asked?: (peer: string, id: CID) => void
  readonly log: Logger
}

/** The path protocol: answers questions, asks them, and traces whole paths. */
export class PathService {
  private readonly init: PathServiceInit
  private readonly limiter = new RateLimiter({ points: PATH_RATE_LIMIT, duration: PATH_RATE_WINDOW / 1000 })

  constructor (init: PathServiceInit) {
    this.init = init
  }

  async start (): Promise<void> {
    await this.init.libp2p.handle(PATH_PROTOCOL, (stream, connection) => {
      this.answer(stream, connection.remotePeer).catch(err => {
        this.init.log('path question from %p failed - %e', connection.remotePeer, err)
        stream.abort(err as Error)
      })
    }, { runOnLimitedConnection: true })
  }

  async stop (): Promise<void> {
    await this.init.libp2p.unhandle(PATH_PROTOCOL)
    this.limiter.memoryStorage.storage.forEach(record => { clearTimeout(record.timeoutId) })
    this.limiter.memoryStorage.storage.clear()
  }

  /** Asks one peer where it got an RNA. Throws when it cannot be reached or answers nonsense. */
  async ask (peer: PeerId, id: CID, signal: AbortSignal): Promise<WhereAnswer> {
    const stream = await this.init.libp2p.dialProtocol(peer, PATH_PROTOCOL, { signal, runOnLimitedConnection: true })
    try {
      await send(stream, encodePathMessage({ t: 'where', rna: id }), signal)
      await stream.close({ signal })
      const answer = await readOne(stream)
      if (answer == null || answer.t === 'where') throw new Error('the peer did not answer the question')
      if (answer.t === 'hop' && !answer.rna.equals(id)) throw new Error('the peer answered about another RNA')
      return answer
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
  }

  /**
   * Traces an RNA back from this node: `me` got it from `first.from` at `first.at`. Returns the
   * path origin first; incomplete when a hop did not know it, did not answer, looped, or the
   * depth limit was reached.
   */
  async trace (id: CID, me: string, first: HeldRna, signal: AbortSignal): Promise<PropagationPath> {
    const hops: PathHop[] = [{ peer: me, at: first.at }]
    const seen = new Set([me])
    let next = first.from
    while (next != null) {
      if (hops.length > MAX_PATH_DEPTH || seen.has(next)) return { hops: hops.reverse(), complete: false }
      seen.add(next)
      let answer: WhereAnswer
      try {
        answer = await this.ask(peerIdFromString(next), id, AbortSignal.any([signal, AbortSignal.timeout(PATH_QUERY_TIMEOUT)]))
      } catch (err) {
        this.init.log('path of %s stops at %s - %e', id.toString(), next, err)
        return { hops: hops.reverse(), complete: false }
      }
      if (answer.t !== 'hop' || !answer.known) return { hops: hops.reverse(), complete: false }
      hops.push({ peer: next, at: answer.at })
      next = answer.from != null ? peerText(answer.from) : undefined
      if (answer.from != null && next == null) return { hops: hops.reverse(), complete: false }
    }
    return { hops: hops.reverse(), complete: true }
  }

  private async answer (stream: Stream, peer: PeerId): Promise<void> {
    const signal = AbortSignal.timeout(PATH_QUERY_TIMEOUT)
    const question = await readOne(stream)
    if (question?.t !== 'where') throw new Error('expected a question')
    if (!this.allow(peer.toString())) {
      await send(stream, encodePathMessage({ t: 'busy' }), signal)
    } else {
      const held = await this.init.held(question.rna)
      if (held != null) this.init.asked?.(peer.toString(), question.rna)
      const from = held?.from != null ? peerIdFromString(held.from).toMultihash().bytes : undefined
      await send(stream, encodePathMessage(held == null
        ? { t: 'hop', rna: question.rna, known: false }
        : { t: 'hop', rna: question.rna, known: true, at: held.at, ...(from != null ? { from } : {}) }), signal)
    }
    await stream.close({ signal })
  }

  /** Counts a question against its peer's window (libp2p's rate limiter). */
  private allow (peer: string): boolean {
    try {
      this.limiter.consume(peer)
      return true
    } catch {
      return false
    }
  }
}

function peerText (multihash: Uint8Array): string | undefined {
  try {
    return peerIdFromMultihash(Digest.decode(multihash)).toString()
  } catch {
    return undefined
  }
}

async function send (stream: Stream, message: Uint8Array, signal: AbortSignal): Promise<void> {
  if (!stream.send(encodeFrame(message, { maxBytes: PATH_MAX_BYTES }))) await stream.onDrain({ signal })
}

/** The first message on a stream, or undefined if it ended first. */
async function readOne (stream: Stream): Promise<ReturnType<typeof decodePathMessage> | undefined> {
  for await (const frame of decodeFrames(stream, { maxBytes: PATH_MAX_BYTES })) return decodePathMessage(frame)
  return undefined
}
