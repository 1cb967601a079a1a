// This node's own lobby messages: built from what the player set, and run through the receivers'
// decoder before they are sent, so what others would refuse never leaves. Pure.
import { WireError } from '../../wire/index.js'
import { InvalidLobbyEntryError } from './errors.js'
import { decodeLobbyMessage, encodeLobbyMessage } from './messages.js'
import type { OwnSeek, PresenceInput } from './index.js'
import type { LobbyMessage, PresenceMessage, SeekMessage } from './messages.js'
import type { Reach } from '../rung.js'

/** What every message of this node carries: its peer ID (multihash bytes), its expiry and its sequence number. */
export interface Stamp {
  readonly peer: Uint8Array
  readonly expires: number
  readonly seq: number
}

/** This node's presence, with its signed peer record and reach when known. */
export function presenceMessage (p: PresenceInput, stamp: Stamp, self: { readonly record?: Uint8Array, readonly reach?: Reach }): PresenceMessage {
  return {
    t: 'presence',
    peer: stamp.peer,
    name: p.name,
    sizes: p.sizes,
    ...(p.ratings != null ? { ratings: p.ratings } : {}),
    status: p.status,
    expires: stamp.expires,
    seq: stamp.seq,
    ...(self.record != null ? { record: self.record } : {}),
    ...(self.reach != null ? { reach: self.reach } : {})
  }
}

/** One of this node's seeks. */
export function seekMessage (s: OwnSeek, stamp: Stamp): SeekMessage {
  return { t: 'seek', peer: stamp.peer, id: s.id, terms: s.terms, color: s.color, ...(s.range != null ? { range: s.range } : {}), expires: stamp.expires, seq: stamp.seq }
}

/**
 * Encodes a message of this node and runs the receivers' decoder on it. Returns the bytes and
 * what they decode to; throws `InvalidLobbyEntryError` for what others would refuse.
 */
export function checked<M extends LobbyMessage> (msg: M): { bytes: Uint8Array, msg: M } {
  try {
    const bytes = encodeLobbyMessage(msg)
    // The type travels in `t`, so what comes back is the same kind of message.
    return { bytes, msg: decodeLobbyMessage(bytes) as M }
  } catch (err) {
    if (err instanceof WireError) throw new InvalidLobbyEntryError(err.message, 'path' in err ? String(err.path) : '')
    if (err instanceof TypeError) throw new InvalidLobbyEntryError(err.message, '')
    throw err
  }
}
