// What a Sybil of the scale benchmark posts and stores: lobby messages that are wrong, forged or
// garbage, or validly signed but absurd, and rating records forged for honest players. Built
// with p2pgo's own codec and signing (the bytes a real attacker would craft), so each one meets
// the receivers' real checks.
import { randomBytes } from 'node:crypto'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { encodeCanonical, sign } from '../../src/wire/index.js'
import { lobbyV2Domain } from '../../src/net/lobby/v2/sign.js'
import { lobbyV2Fields, type UnsignedLobbyV2Message } from '../../src/net/lobby/v2/messages.js'
import { CENSUS_PERIOD } from '../../src/net/lobby/v2/limits.js'
import { encodeRatingRecord, signRatingRecord } from '../../src/rating/rating-record.js'
import type { PrivateKey } from '@libp2p/interface'
import type { GameTerms } from '../../src/wire/game-start.js'

/** The kinds of junk, posted in turn. */
export const JUNK_KINDS = ['garbage', 'forged-presence', 'absurd-presence', 'far-presence', 'absurd-seek', 'census-inflate', 'replay'] as const
export type JunkKind = typeof JUNK_KINDS[number]

const year = 365 * 24 * 3600_000
const TERMS: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'none' } }

/** Signs `msg` with `key` whoever it names as author (encodeLobbyV2 refuses to: a forger does not ask). */
async function signAny (msg: UnsignedLobbyV2Message, key: PrivateKey): Promise<Uint8Array> {
  return encodeCanonical(await sign(key, lobbyV2Domain(msg.t), lobbyV2Fields(msg)))
}

/**
 * One junk lobby message of `kind` from the Sybil whose key is `key`: the topic it goes on and
 * its bytes. `victim` is an honest peer to speak for; `heard` a real message the Sybil received
 * (replayed under its own gossip signature); `seq` grows with each call.
 */
export async function junkMessage (kind: JunkKind, key: PrivateKey, victim: string, heard: Uint8Array | undefined, seq: number, topic: string, censusTopic: string): Promise<{ topic: string, data: Uint8Array }> {
  const me = peerIdFromPrivateKey(key).toMultihash().bytes
  const now = Date.now()
  switch (kind) {
    case 'garbage':
      return { topic, data: randomBytes(100 + (seq * 37) % 500) }
    case 'forged-presence':
      // Speaks for an honest player, with a rating it does not have: only the victim's key could sign it.
      return { topic, data: await signAny({ t: 'presence', peer: peerIdFromString(victim).toMultihash().bytes, name: 'forged', sizes: [9], ratings: { 9: { mu: 45, sigma: 0.5 } }, expires: now + 60_000, seq: now + seq }, key) }
    case 'absurd-presence':
      // Its own, validly signed: a master's rating on the newcomers' topic, a name of control characters.
      return { topic, data: await signAny({ t: 'presence', peer: me, name: '\u0007\u0008'.repeat(8), sizes: [9], ratings: { 9: { mu: 90, sigma: 0.1 } }, expires: now + 60_000, seq: now + seq }, key) }
    case 'far-presence':
      // Its own, validly signed, claiming to stay listed for a year.
      return { topic, data: await signAny({ t: 'presence', peer: me, name: 'forever', sizes: [9], expires: now + year, seq: now + seq }, key) }
    case 'absurd-seek':
      // Validly signed: a seek for a year, with a rating range no one is in.
      return { topic, data: await signAny({ t: 'seek', peer: me, id: randomBytes(8), terms: TERMS, color: 'random', range: { min: 999, max: 1000 }, expires: now + year, seq: now + seq }, key) }
    case 'census-inflate':
      // Validly signed: sent with probability one in a million, so a receiver counts it as a million players.
      return { topic: censusTopic, data: await signAny({ t: 'census', peer: me, state: 'open', sizes: [9], period: Math.floor(now / CENSUS_PERIOD), p: 1e-6 }, key) }
    case 'replay':
      return { topic, data: heard ?? randomBytes(64) }
  }
}

/**
 * A rating record for `victim` that would win if it were believed: a far higher sequence and a
 * master's 9x9 rating, signed by the Sybil's key (not the victim's, which it does not have).
 */
export async function forgedRatingRecord (key: PrivateKey, victim: string): Promise<Uint8Array> {
  const now = Date.now()
  const record = await signRatingRecord(key, {
    peer: peerIdFromString(victim).toMultihash().bytes,
    seq: now + 1e9,
    updated: now,
    expires: now + 24 * 3600_000,
    sizes: { 9: { rating: { mu: 45_000, sigma: 500 }, games: 0, cited: [] } },
    relay: { delivered: 0, failed: 0, served: 0 }
  })
  return encodeRatingRecord(record)
}
