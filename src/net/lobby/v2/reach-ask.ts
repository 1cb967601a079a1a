// How a peer says it is reached, asked directly (`/p2pgo/reach/1.0.0`): a player in a game has
// left the lobby, so its presence no longer tells its opponent that a UPnP mapping made it
// reachable mid-game (identify push carries the new address, not how it is reached). The
// opponent asks when the peer's addresses change; the answer names the rung of the direct path.
import { decodeFrames, encodeFrame } from '../../../wire/frame.js'
import { decodeMessage, encodeMessage, field, noExtraKeys, oneOf, optional } from '../../../wire/index.js'
import { errorOf } from '../../error-of.js'
import { PeerRateLimit } from '../../peer-rate-limit.js'
import { minute, second } from '../../../units.js'
import type { Reach } from '../../rung.js'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export const REACH_PROTOCOL = '/p2pgo/reach/1.0.0'

/** Largest answer: one short field. */
export const REACH_MAX_BYTES = 64

/** How long a question may take. */
export const REACH_TIMEOUT = 2 * second

/** Questions a peer may ask a minute: it asks when the addresses of a peer it plays change. */
export const REACH_RATE = 10

const REACHES = ['public', 'upnp', 'relayed'] as const

/** `{ v: 1, t: "reach", ? reach: "public" / "upnp" / "relayed" }`: absent while the node does not know yet. */
export function encodeReach (reach: Reach | undefined): Uint8Array {
  return encodeMessage(1, 'reach', reach != null ? { reach } : {})
}

/** Decodes an answer (size, canonical CBOR, version, type, schema); throws a WireError. */
export function decodeReach (data: Uint8Array): Reach | undefined {
  const m = decodeMessage(data, { maxBytes: REACH_MAX_BYTES, versions: [1], types: ['reach'] })
  noExtraKeys(m.fields, ['v', 't', 'reach'], '')
  return optional(m.fields, 'reach', oneOf(...REACHES), '')
}

/** Serves this node's reach and asks others for theirs. */
export class ReachAsk {
  private readonly components: { readonly registrar: Registrar, readonly connectionManager: ConnectionManager }
  private readonly own: () => Reach | undefined
  private readonly log: Logger
  private readonly limiter = new PeerRateLimit(REACH_RATE, minute)

  constructor (components: { readonly registrar: Registrar, readonly connectionManager: ConnectionManager }, own: () => Reach | undefined, log: Logger) {
    this.components = components
    this.own = own
    this.log = log
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(REACH_PROTOCOL, this.answer, { maxInboundStreams: 4, runOnLimitedConnection: true })
  }

  async stop (): Promise<void> {
    this.limiter.clear()
    await this.components.registrar.unhandle(REACH_PROTOCOL)
  }

  /** Asks a connected peer how it is reached; throws when it cannot say (not connected, no answer in time, a bad answer). */
  async ask (peer: PeerId): Promise<Reach | undefined> {
    const connection = this.components.connectionManager.getConnections(peer).find(c => c.status === 'open')
    if (connection == null) throw new Error(`not connected to ${peer.toString()}`)
    const signal = AbortSignal.timeout(REACH_TIMEOUT)
    const stream = await connection.newStream(REACH_PROTOCOL, { signal, runOnLimitedConnection: true })
    try {
      await stream.close({ signal })
      for await (const frame of decodeFrames(stream, { maxBytes: REACH_MAX_BYTES })) return decodeReach(frame)
      throw new Error(`${peer.toString()} ended the stream without saying how it is reached`)
    } catch (err) {
      stream.abort(errorOf(err))
      throw err
    }
  }

  private readonly answer = async (stream: Stream, connection: Connection): Promise<void> => {
    if (!this.limiter.allow(connection.remotePeer.toString())) {
      stream.abort(new Error(`more than ${REACH_RATE} reach questions a minute`))
      return
    }
    try {
      const signal = AbortSignal.timeout(REACH_TIMEOUT)
      if (!stream.send(encodeFrame(encodeReach(this.own()), { maxBytes: REACH_MAX_BYTES }))) await stream.onDrain({ signal })
      await stream.close({ signal })
    } catch (err) {
      this.log('reach answer to %p failed - %e', connection.remotePeer, err)
      stream.abort(errorOf(err))
    }
  }
}
