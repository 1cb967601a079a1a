// Propagation paths: gossip does not carry them, so a node asks the peer that delivered an RNA
// where that peer got it. The peer answers for its own hop and, asked for depth, passes on the
// way the RNA reached it, tracing it from its own source the same way if it has not yet. A path
// is so rebuilt hop by hop back to the origin, each node talking only to the peer that gave it
// the RNA: bounded in depth (MAX_PATH_DEPTH), time, and rate (per asking peer).
// The protocol is specified in protocols/rna-path.md.
import { errorOf } from '../error-of.js'
import { PeerRateLimit } from '../peer-rate-limit.js'
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { decodeFrames, encodeFrame } from '../../wire/frame.js'
import { MAX_PATH_DEPTH, PATH_MAX_BYTES, PATH_PROTOCOL, PATH_QUERY_TIMEOUT, PATH_RATE_LIMIT, PATH_RATE_WINDOW } from './constants.js'
import { decodePathMessage, encodePathMessage, type WhereAnswer } from './path-messages.js'
import type { PathHop, PropagationPath } from './rna-store.js'
import type { CID } from 'multiformats/cid'
import type { Logger, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/** What this node holds about an RNA: when it had it, from whom (absent: published here), and its path once traced. */
export interface HeldRna { readonly at: number, readonly from?: string, readonly path?: PropagationPath }

/** What the path protocol needs of libp2p (the RNA service's own components). */
export interface PathComponents {
  readonly peerId: PeerId
  readonly registrar: Registrar
  readonly connectionManager: ConnectionManager
}

export interface PathServiceInit {
  readonly components: PathComponents
  /** This node's record of an RNA, if it holds it. */
  readonly held: (id: CID) => Promise<HeldRna | undefined>
  /** Keeps a path this node traced. */
  readonly save: (id: CID, path: PropagationPath) => Promise<void>
  /** A peer asked about an RNA this node holds: it found it useful. */
  readonly asked?: (peer: string, id: CID) => void
  readonly log: Logger
}

/** The path protocol: answers questions, asks them, and traces whole paths. */
export class PathService {
  private readonly init: PathServiceInit
  private readonly me: string
  private readonly limiter = new PeerRateLimit(PATH_RATE_LIMIT, PATH_RATE_WINDOW)
  /** Traces under way, so that questions arriving together cause one. */
  private readonly tracing = new Map<string, Promise<PropagationPath | undefined>>()

  constructor (init: PathServiceInit) {
    this.init = init
    this.me = init.components.peerId.toString()
  }

  async start (): Promise<void> {
    await this.init.components.registrar.handle(PATH_PROTOCOL, (stream, connection) => {
      this.answer(stream, connection.remotePeer).catch(err => {
        this.init.log('path question from %p failed - %e', connection.remotePeer, err)
        stream.abort(errorOf(err))
      })
    }, { runOnLimitedConnection: true })
  }

  async stop (): Promise<void> {
    await this.init.components.registrar.unhandle(PATH_PROTOCOL)
    this.limiter.clear()
  }

  /** Asks one peer where it got an RNA, and (depth > 0) how it reached it. */
  async ask (peer: PeerId, id: CID, depth: number, signal: AbortSignal): Promise<WhereAnswer> {
    const stream = await this.init.components.connectionManager.openStream(peer, PATH_PROTOCOL, { signal, runOnLimitedConnection: true })
    try {
      await send(stream, encodePathMessage({ t: 'where', rna: id, depth }), signal)
      await stream.close({ signal })
      const answer = await readOne(stream)
      if (answer == null || answer.t === 'where') throw new Error('the peer did not answer the question')
      if (answer.t === 'hop' && !answer.rna.equals(id)) throw new Error('the peer answered about another RNA')
      return answer
    } catch (err) {
      stream.abort(errorOf(err))
      throw err
    }
  }

  /**
   * This node's path for an RNA it holds, origin first, itself last: the one traced before if it
   * reaches the origin, else traced now through the peer that delivered it (up to `depth` hops
   * back). Undefined when this node does not hold it.
   */
  async pathOf (id: CID, depth: number = MAX_PATH_DEPTH, signal?: AbortSignal): Promise<PropagationPath | undefined> {
    const key = id.toString()
    const running = this.tracing.get(key)
    if (running != null) return running
    const trace = this.trace(id, depth, signal ?? AbortSignal.timeout(PATH_QUERY_TIMEOUT * (depth + 1)))
    this.tracing.set(key, trace)
    try {
      return await trace
    } finally {
      this.tracing.delete(key)
    }
  }

  private async trace (id: CID, depth: number, signal: AbortSignal): Promise<PropagationPath | undefined> {
    const held = await this.init.held(id)
    if (held == null) return undefined
    if (held.path?.complete === true) return held.path
    const me: PathHop = { peer: this.me, at: held.at }
    if (held.from == null) return this.saved(id, { hops: [me], complete: true })
    if (depth <= 0) return { hops: [me], complete: false }
    let answer: WhereAnswer
    try {
      answer = await this.ask(peerIdFromString(held.from), id, depth - 1, AbortSignal.any([signal, AbortSignal.timeout(PATH_QUERY_TIMEOUT * depth)]))
    } catch (err) {
      this.init.log('could not ask %s about %s - %e', held.from, id.toString(), err)
      return { hops: [me], complete: false }
    }
    if (answer.t !== 'hop' || !answer.known) return { hops: [me], complete: false }
    const upstream = answer.path != null ? toHops(answer.path) : undefined
    // What the source said of its own hop is first-hand; what came before it, the source's word.
    const sourceHop: PathHop = { peer: held.from, at: answer.at }
    const hops = upstream != null && upstream.length > 0 && upstream[upstream.length - 1].peer === held.from ? [...upstream, me] : [sourceHop, me]
    const complete = answer.from == null || (upstream != null && answer.complete === true && hops.length > 2)
    if (new Set(hops.map(h => h.peer)).size !== hops.length || hops.length > MAX_PATH_DEPTH + 1) return { hops: [sourceHop, me], complete: false }
    return this.saved(id, { hops, complete })
  }

  private async saved (id: CID, path: PropagationPath): Promise<PropagationPath> {
    await this.init.save(id, path).catch(err => { this.init.log('could not keep the path of %s - %e', id.toString(), err) })
    return path
  }

  private async answer (stream: Stream, peer: PeerId): Promise<void> {
    const question = await readOne(stream)
    if (question?.t !== 'where') throw new Error('expected a question')
    const signal = AbortSignal.timeout(PATH_QUERY_TIMEOUT * (question.depth + 1))
    if (!this.limiter.allow(peer.toString())) {
      await send(stream, encodePathMessage({ t: 'busy' }), signal)
    } else {
      const held = await this.init.held(question.rna)
      if (held != null) this.init.asked?.(peer.toString(), question.rna)
      const path = held != null && question.depth > 0 ? await this.pathOf(question.rna, question.depth, signal) : undefined
      const from = held?.from != null ? peerIdFromString(held.from).toMultihash().bytes : undefined
      await send(stream, encodePathMessage(held == null
        ? { t: 'hop', rna: question.rna, known: false }
        : {
            t: 'hop',
            rna: question.rna,
            known: true,
            at: held.at,
            ...(from != null ? { from } : {}),
            ...(path != null ? { path: path.hops.map(h => ({ peer: peerIdFromString(h.peer).toMultihash().bytes, at: h.at })), complete: path.complete } : {})
          }), signal)
    }
    await stream.close({ signal })
  }

}

/** Wire hops as peer ID text; undefined if any peer ID does not parse. */
function toHops (path: ReadonlyArray<{ peer: Uint8Array, at: number }>): PathHop[] | undefined {
  const out: PathHop[] = []
  for (const h of path) {
    try {
      out.push({ peer: peerIdFromMultihash(Digest.decode(h.peer)).toString(), at: h.at })
    } catch {
      return undefined
    }
  }
  return out
}

async function send (stream: Stream, message: Uint8Array, signal: AbortSignal): Promise<void> {
  if (!stream.send(encodeFrame(message, { maxBytes: PATH_MAX_BYTES }))) await stream.onDrain({ signal })
}

/** The first message on a stream, or undefined if it ended first. */
async function readOne (stream: Stream): Promise<ReturnType<typeof decodePathMessage> | undefined> {
  for await (const frame of decodeFrames(stream, { maxBytes: PATH_MAX_BYTES })) return decodePathMessage(frame)
  return undefined
}
