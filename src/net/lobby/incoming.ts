// The checks an incoming lobby message passes before the view sees it (protocols/lobby.md, the
// order of checks): it decodes, obeys the lobby's rules, and any peer record it carries is a
// valid signed record of its sender. Stateless, so the service only applies what passed.
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { UnknownVersionError, WireError } from '../../wire/index.js'
import { LobbyMessageError } from './errors.js'
import { checkLobbyMessage, decodeLobbyMessage } from './messages.js'
import { recordProblem } from './peer-record.js'
import type { LobbyMessage } from './messages.js'
import type { PeerId } from '@libp2p/interface'

/** A checked message, or the named error it was refused for. */
export type Checked = { readonly message: LobbyMessage } | { readonly error: WireError | LobbyMessageError }

/** Decodes and checks `data`, signed by `from`, as of `now`; a bug of ours (any other error) is thrown. */
export async function checkIncoming (data: Uint8Array, from: PeerId, now: number): Promise<Checked> {
  let message: LobbyMessage
  try {
    message = decodeLobbyMessage(data)
    checkLobbyMessage(message, { from: from.toMultihash().bytes, now })
  } catch (err) {
    if (err instanceof WireError || err instanceof LobbyMessageError) return { error: err }
    throw err
  }
  const record = message.t === 'presence' ? message.record : undefined
  if (record != null) {
    const why = await recordProblem(record, from)
    if (why != null) return { error: new LobbyMessageError('bad-record', why) }
  }
  return { message }
}

/**
 * What gossipsub is told of a refused message. A newer version, or an expiry outside this node's
 * window (which depends on its clock and the delay), is not held against the forwarder: `ignore`, not `reject`.
 */
export function refusalResult (err: WireError | LobbyMessageError): TopicValidatorResult {
  const blameless = err instanceof UnknownVersionError || err.reason === 'expired' || err.reason === 'expires-too-far'
  return blameless ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
}
