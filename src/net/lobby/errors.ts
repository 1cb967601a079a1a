import type { MalformedReason, SignatureReason } from '../../wire/index.js'

/** Why a well-formed lobby message was still refused (step 8 of the order of checks, plus gossipsub's envelope). */
export type LobbySemanticReason = 'unsigned' | 'wrong-peer' | 'expired' | 'expires-too-far' | 'bad-record'

/** Every reason a lobby message can be refused for, as the `rejected` event and the metrics label it. */
export type LobbyRejectReason = 'too-large' | 'unknown-version' | MalformedReason | LobbySemanticReason

/** Every reason a version 2 lobby message can be refused for: version 1's, and its own signature's (InvalidSignatureError: `missing`, `malformed`, `wrong`). */
export type LobbyV2RejectReason = LobbyRejectReason | SignatureReason

const sentences: Record<LobbySemanticReason, string> = {
  unsigned: 'the lobby message is not signed by its origin',
  'wrong-peer': 'the lobby message speaks for another peer than the one that signed it',
  expired: 'the lobby message has already expired',
  'expires-too-far': 'the lobby message expires too far in the future',
  'bad-record': 'the presence carries a peer record that is not a valid signed record of its sender'
}

/** A lobby message that decoded but breaks the lobby's rules (subject, expiry, signing). */
export class LobbyMessageError extends Error {
  static readonly code = 'ERR_LOBBY_MESSAGE'
  readonly code = LobbyMessageError.code
  readonly reason: LobbySemanticReason

  constructor (reason: LobbySemanticReason, detail?: string) {
    super(detail == null ? sentences[reason] : `${sentences[reason]}: ${detail}`)
    this.name = 'LobbyMessageError'
    this.reason = reason
  }
}

/** A presence or seek this node was asked to publish that other peers would refuse; `path` names the field. */
export class InvalidLobbyEntryError extends Error {
  static readonly code = 'ERR_INVALID_LOBBY_ENTRY'
  readonly code = InvalidLobbyEntryError.code
  /** The offending field, as `terms.tc.mainMs`; empty for the entry as a whole. */
  readonly path: string

  constructor (message: string, path: string) {
    super(message)
    this.name = 'InvalidLobbyEntryError'
    this.path = path
  }
}
