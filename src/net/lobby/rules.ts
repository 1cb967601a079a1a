// Two rules both lobby versions share: a node's own message is checked with the receivers'
// decoder before anything is sent, and a refused message's gossip verdict (blame the forwarder or
// not). Version 2's fields are version 1's, so version 1's codec checks a version 2 entry's fields.
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { UnknownVersionError, WireError } from '../../wire/index.js'
import { InvalidLobbyEntryError } from './errors.js'
import { decodeLobbyMessage, encodeLobbyMessage } from './messages.js'
import type { LobbyMessageError } from './errors.js'
import type { LobbyMessage } from './messages.js'

/**
 * Encodes my message and runs the receivers' decoder on it: what others would refuse is never
 * sent. Returns the bytes and what they decode to.
 */
export function checkedMessage<M extends LobbyMessage> (msg: M): { bytes: Uint8Array, msg: M } {
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

/**
 * What gossipsub is told of a refused message. A newer version, or an expiry outside this node's
 * window (which depends on its clock and the delay), is not held against the forwarder: `ignore`, not `reject`.
 */
export function refusalResult (err: WireError | LobbyMessageError): TopicValidatorResult {
  const blameless = err instanceof UnknownVersionError || err.reason === 'expired' || err.reason === 'expires-too-far'
  return blameless ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
}
