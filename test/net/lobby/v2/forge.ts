// Lobby version 2 messages as a hostile peer makes them: signed with whatever key, holding
// whatever fields, without the checks encodeLobbyV2 runs on an honest node's own messages.
import { encodeCanonical, sign } from '../../../../src/wire/index.js'
import { lobbyV2Fields, type UnsignedLobbyV2Message } from '../../../../src/net/lobby/v2/messages.js'
import { lobbyV2Domain } from '../../../../src/net/lobby/v2/sign.js'
import type { PrivateKey } from '@libp2p/interface'
import type { CborMap } from '../../../../src/wire/index.js'

/** `msg` signed by `key` (its author's or not) and encoded, unchecked. */
export async function forgeV2 (msg: UnsignedLobbyV2Message, key: PrivateKey): Promise<Uint8Array> {
  return encodeCanonical(await sign(key, lobbyV2Domain(msg.t), lobbyV2Fields(msg) as CborMap))
}
