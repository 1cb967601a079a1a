import { minute } from '../../units.js'

/**
 * Bytes a HOP stream may deliver before it carries a circuit: the request (a RESERVE is 2 bytes,
 * a CONNECT about 40 plus any addresses) and nothing else. go-libp2p reads circuit v2 messages
 * with the same 4 KiB bound (p2p/protocol/circuitv2/relay: maxMessageSize); the library reads
 * one HOP message of up to 4 MiB and holds it until the hop timeout.
 */
export const HOP_MAX_BYTES = 4096

/** How far back a relay counts the reservation requests it refused (its load report's `refused`): long enough to span a few of a client's re-evaluations, short enough to forget a burst. */
export const REFUSAL_WINDOW = 10 * minute
