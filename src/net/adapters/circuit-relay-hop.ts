// The one place p2pgo reaches into @libp2p/circuit-relay-v2's (4.2.13) relay server
// (node_modules/@libp2p/circuit-relay-v2/dist/src/server/index.js). Three things, each public on
// the class but not in `CircuitRelayService`:
// - its hop handler, `onHop`, bound in the constructor and registered for
//   '/libp2p/circuit/relay/0.2.0/hop', so a node can add and remove the hop protocol itself
//   (relayServer "auto") and put a bound in front of it (src/net/relay-switch/);
// - `handleHopProtocol`, which answers a decoded request over a `pbStream`: wrapped so a CONNECT
//   says when its stream becomes a circuit (the handler unwraps the stream to pipe it), and so the
//   `limit` it sends is in seconds;
// - `stopHop`, which sends the destination the circuit's `limit`: wrapped for the same unit;
// - the reservation store's `maxReservations`, the limit the server enforces (its load report
//   says it, src/net/relay-load/).
// The wrapped pbStream also tells what the server answered a RESERVE (`onReserveAnswer`): a relay
// that is full answers RESERVATION_REFUSED, its connection gater PERMISSION_DENIED.
// The unit: circuit relay v2 (libp2p/specs relay/circuit-v2.md, and protocols/bootstrap-relay.md)
// sends `Limit.duration` in seconds, and the library's clients read it so (LimitTracker, utils.js).
// The server sends its `defaultDurationLimit` as given, and enforces that same number in
// milliseconds (createLimitedRelay: AbortSignal.timeout(limit.duration)): a relay must give it
// milliseconds to cut circuits at the right time, and then tells every client a duration 1000
// times too long (6 h read as 250 days). The wrappers convert what goes on the wire only.
// test/net/adapters/circuit-relay-hop.test.ts fails, naming the version, when an upgrade renames
// or unbinds any of them, or starts sending seconds itself.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, Stream } from '@libp2p/interface'

/** What the relay server does with an inbound hop stream. */
export type HopHandler = (stream: Stream, connection: Connection) => Promise<void>

/** The relay server's own hop handler (bound to the server), or a clear error when this circuit-relay-v2 has none. */
export function relayHopHandler (relay: CircuitRelayService): HopHandler {
  const onHop = (relay as unknown as { onHop?: HopHandler }).onHop
  if (typeof onHop !== 'function') throw new Error(`this @libp2p/circuit-relay-v2 has no hop handler (server.onHop) to gate: ${NEEDED}`)
  return onHop
}

const NEEDED = 'p2pgo needs @libp2p/circuit-relay-v2 4.2'

/** The stream limits the relay server registered its hop protocol with (undefined: libp2p's defaults). */
export function hopStreamLimits (relay: CircuitRelayService): { maxInboundStreams?: number, maxOutboundStreams?: number } {
  const server = relay as unknown as { maxInboundHopStreams?: number, maxOutboundHopStreams?: number }
  return {
    ...(server.maxInboundHopStreams != null ? { maxInboundStreams: server.maxInboundHopStreams } : {}),
    ...(server.maxOutboundHopStreams != null ? { maxOutboundStreams: server.maxOutboundHopStreams } : {})
  }
}

/** A circuit relay v2 `Limit` as the library holds it: `duration` in milliseconds (see above). */
interface Limit { readonly duration?: number, readonly data?: bigint }

/** The limit as the wire carries it: `duration` in whole seconds, rounded down (a client then expects the cut no later than it comes). */
export function limitOnWire<L extends Limit | undefined> (limit: L): L {
  if (limit?.duration == null) return limit
  return { ...limit, duration: Math.floor(limit.duration / 1000) } as L
}

/** HopMessage.Type.CONNECT as the library decodes it (protons decodes enums to their names). */
const CONNECT = 'CONNECT'

/** The part of `@libp2p/utils`' pbStream the server uses. */
interface PbStream {
  pb: (codec: unknown) => { read: (options?: unknown) => Promise<unknown>, write: (message: any, options?: unknown) => Promise<void>, writeV: (messages: any[], options?: unknown) => Promise<void>, unwrap: () => PbStream }
  unwrap: () => Stream
}

interface ServerInternals {
  handleHopProtocol?: (args: { stream: PbStream, request: { type?: string }, connection: Connection }, options?: unknown) => Promise<void>
  stopHop?: (args: { connection: Connection, request: { limit?: Limit } }, options?: unknown) => Promise<unknown>
  [hooked]?: true
}

const hooked = Symbol.for('p2pgo:relay-hop-hooks')

export interface HopHooks {
  /** A CONNECT request's stream now carries a circuit (the server pipes it to the destination). */
  readonly onCircuit: (stream: Stream) => void
  /** The server answered a RESERVE with this status ('OK', 'RESERVATION_REFUSED', 'PERMISSION_DENIED', ...). */
  readonly onReserveAnswer?: (status: string) => void
}

/** HopMessage.Type.RESERVE and STATUS as the library holds them. */
const RESERVE = 'RESERVE'
const STATUS = 'STATUS'

/** The reservations the relay server holds at most (its reservation store's limit), or a clear error when this circuit-relay-v2 keeps it elsewhere. */
export function reservationLimit (relay: CircuitRelayService): number {
  const max = (relay as unknown as { reservationStore?: { maxReservations?: unknown } }).reservationStore?.maxReservations
  if (typeof max !== 'number') throw new Error(`this @libp2p/circuit-relay-v2 has no reservationStore.maxReservations to report: ${NEEDED}`)
  return max
}

/**
 * Wraps the server's `handleHopProtocol` and `stopHop` on this instance (once): every `limit`
 * sent goes in seconds, and `hooks.onCircuit` hears of each stream that becomes a circuit.
 */
export function hookRelayServer (relay: CircuitRelayService, hooks: HopHooks): void {
  const server = relay as unknown as ServerInternals
  if (server[hooked] === true) return
  const handle = server.handleHopProtocol
  const stopHop = server.stopHop
  if (typeof handle !== 'function' || typeof stopHop !== 'function') throw new Error(`this @libp2p/circuit-relay-v2 has no handleHopProtocol or stopHop to adapt: ${NEEDED}`)
  server.handleHopProtocol = async (args, options) => {
    const type = args.request.type
    await handle.call(server, { ...args, stream: onWire(args.stream, type === CONNECT ? hooks.onCircuit : undefined, type === RESERVE ? hooks.onReserveAnswer : undefined) }, options)
  }
  server.stopHop = async (args, options) => await stopHop.call(server, { ...args, request: { ...args.request, limit: limitOnWire(args.request.limit) } }, options)
  server[hooked] = true
}

/**
 * `pbstr` writing every message's `limit` in seconds; `onCircuit` hears of the raw stream once the
 * server unwraps it to pipe; `onStatus` of each STATUS the server writes (its answer).
 */
function onWire (pbstr: PbStream, onCircuit?: (stream: Stream) => void, onStatus?: (status: string) => void): PbStream {
  const wrapped: PbStream = {
    pb: (codec) => {
      const inner = pbstr.pb(codec)
      const fix = (message: any): any => {
        if (onStatus != null && message?.type === STATUS && typeof message.status === 'string') {
          // A listener's fault must not cost the client its answer.
          try { onStatus(message.status) } catch {}
        }
        return message?.limit != null ? { ...message, limit: limitOnWire(message.limit) } : message
      }
      return {
        read: async (options) => await inner.read(options),
        write: async (message, options) => { await inner.write(fix(message), options) },
        writeV: async (messages, options) => { await inner.writeV(messages.map(fix), options) },
        unwrap: () => wrapped
      }
    },
    unwrap: () => {
      const stream = pbstr.unwrap()
      onCircuit?.(stream)
      return stream
    }
  }
  return wrapped
}
