// The version 2 vectors of protocols/lobby.md: the valid ones decode to the stated values, pass
// every check and are what the encoder writes; the refused ones are refused for the stated reason.
import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { LobbyMessageError } from '../../../../src/net/lobby/errors.js'
import { checkLobbyV2, decodeLobbyV2, encodeLobbyV2, type UnsignedLobbyV2Message } from '../../../../src/net/lobby/v2/messages.js'
import { checkSyncAnswer, decodeSyncRequest, encodeSyncAnswer, encodeSyncRequest } from '../../../../src/net/lobby/v2/sync-messages.js'
import { WireError } from '../../../../src/wire/errors.js'
import { hex, readVectors, toHex } from '../../../wire/helpers.js'

const doc = await readFile(new URL('../../../../protocols/lobby.md', import.meta.url), 'utf8')
const gameDoc = await readFile(new URL('../../../../protocols/game.md', import.meta.url), 'utf8')
const v1Part = doc.slice(0, doc.indexOf('## Version 2'))
const all = readVectors(doc)
const v2 = [...all.values()].filter(v => v.name.startsWith('v2-'))

function bytesOf (name: string): Uint8Array {
  const v = all.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/lobby.md`)
  return hex(v.value)
}

function textOf (name: string): string {
  const v = all.get(name)
  if (v?.kind !== 'text') throw new Error(`no text vector ${name} in protocols/lobby.md`)
  return v.value
}

const now = Number(textOf('now'))
const maxTtl = Number(textOf('v2-max-ttl'))
const signerId = peerIdFromString(textOf('signer-peer-id'))
const otherId = peerIdFromString(textOf('other-peer-id'))
const signer = signerId.toMultihash().bytes
const other = otherId.toMultihash().bytes
const signerKey = await generateKeyPairFromSeed('Ed25519', Uint8Array.from({ length: 32 }, (_, i) => i))
const id = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)
const presence = { t: 'presence', peer: signer, name: 'Alice', sizes: [9, 19], ratings: { 9: { mu: 29.396, sigma: 7.171 } }, expires: now + 90_000, seq: 7 } as const

/** The values the document states for its valid vectors, without their signatures (checked apart). */
const expected: Record<string, UnsignedLobbyV2Message> = {
  'v2-presence': presence,
  'v2-presence-addressed': { ...presence, record: bytesOf('presence-addressed-record'), reach: 'relayed' },
  'v2-seek': {
    t: 'seek',
    peer: signer,
    id,
    terms: { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } },
    color: 'random',
    range: { min: 20, max: 35 },
    expires: now + 90_000,
    seq: 8
  },
  'v2-cancel': { t: 'cancel', peer: signer, id, seq: 9 },
  'v2-leave': { t: 'leave', peer: signer, seq: 10 },
  'v2-census': { t: 'census', peer: signer, state: 'open', sizes: [9, 19], period: Math.floor(now / 60_000), p: 0.125 },
  'v2-live': {
    t: 'live',
    peer: signer,
    game: CID.parse(/```text game-id\n(\S+)\n```/.exec(gameDoc)?.[1] ?? ''),
    size: 9,
    black: signer,
    white: other,
    names: { B: 'Alice', W: 'Bob' },
    ratings: { B: { mu: 29.396, sigma: 7.171 }, W: { mu: 27.5, sigma: 4.25 } },
    ply: 42,
    watchers: 3,
    expires: now + 90_000,
    seq: 11
  }
}

/** Checks bytes as received by gossip from the signer at `now`: 'ok', or the reason they are refused for. */
async function receive (bytes: Uint8Array, from = signerId): Promise<string> {
  const checked = await checkLobbyV2(bytes, now, { from, maxTtl })
  return 'error' in checked ? checked.error.reason : 'ok'
}

describe('protocols/lobby.md version 2 test vectors', () => {
  it('has the vectors these tests read, and version 1\'s part has none of them', () => {
    expect(v2.map(v => v.name).sort()).toEqual([
      'v2-cancel', 'v2-cancel-unsigned', 'v2-census', 'v2-census-ahead', 'v2-census-p-above-one', 'v2-census-p-zero', 'v2-census-stale',
      'v2-leave', 'v2-leave-extra-key', 'v2-leave-wrong-domain', 'v2-live', 'v2-live-not-player', 'v2-live-other-key', 'v2-max-ttl', 'v2-presence', 'v2-presence-addressed', 'v2-presence-bad-sig',
      'v2-presence-expired', 'v2-presence-extra-key', 'v2-presence-other', 'v2-presence-other-key', 'v2-presence-status', 'v2-presence-too-far',
      'v2-seek', 'v2-sync-answer', 'v2-sync-request'
    ])
    expect(readVectors(v1Part).has('v2-presence')).toBe(false)
  })

  it('signs with the conventions\' test key', () => {
    expect(peerIdFromPrivateKey(signerKey).equals(signerId)).toBe(true)
  })

  it.each(Object.keys(expected))('%s decodes to the stated values, is accepted, and is what the encoder writes', async (name) => {
    const bytes = bytesOf(name)
    const { sig, ...fields } = decodeLobbyV2(bytes)
    expect(fields).toEqual(expected[name])
    expect(sig).toHaveLength(64)
    expect(await receive(bytes)).toBe('ok')
    // Ed25519 is deterministic: the encoder signs the same bytes into the same signature.
    expect(toHex(await encodeLobbyV2(expected[name], signerKey))).toBe(toHex(bytes))
  })

  it.each(v2.filter(v => v.expect != null).map(v => [v.name, v.expect] as const))('%s is refused as %s', async (name, reason) => {
    expect(await receive(bytesOf(name))).toBe(reason)
  })

  it('v2-presence-other speaks for the other peer and is accepted without a gossip sender (handed on), or from that peer', async () => {
    const bytes = bytesOf('v2-presence-other')
    expect(toHex(decodeLobbyV2(bytes).peer)).toBe(toHex(other))
    expect(await checkLobbyV2(bytes, now, { maxTtl })).not.toHaveProperty('error')
    expect(await receive(bytes, otherId)).toBe('ok')
  })

  it('v2-live-not-player is refused at its author, who is not one of the game\'s players', async () => {
    const checked = await checkLobbyV2(bytesOf('v2-live-not-player'), now, { maxTtl })
    expect('error' in checked && checked.error instanceof WireError && checked.error.message).toMatch(/at peer: the author of a live entry is one of the game's players/)
  })

  it('v2-presence received by gossip from the other peer is refused as wrong-peer', async () => {
    expect(await receive(bytesOf('v2-presence'), otherId)).toBe('wrong-peer')
  })

  it('version 1\'s presence-minimal is refused as unknown-version', async () => {
    expect(await receive(bytesOf('presence-minimal'))).toBe('unknown-version')
  })

  it('a message of 4,097 bytes is refused as too-large before it is decoded', async () => {
    const big = new Uint8Array(4097)
    big.set(bytesOf('v2-presence'))
    expect(await receive(big)).toBe('too-large')
  })

  it('v2-sync-request and v2-sync-answer decode to the stated values, and are what the encoders write', async () => {
    const request = bytesOf('v2-sync-request')
    expect(decodeSyncRequest(request)).toEqual({ t: 'sync-request', size: 19, bucket: 7, mu: 29.396 })
    expect(toHex(encodeSyncRequest({ size: 19, bucket: 7, mu: 29.396 }))).toBe(toHex(request))
    const answer = bytesOf('v2-sync-answer')
    const checked = await checkSyncAnswer(answer, now, { maxTtl })
    if ('error' in checked) throw checked.error
    expect(checked.answer.presences.map(e => toHex(e.bytes))).toEqual([toHex(bytesOf('v2-presence'))])
    expect(checked.answer.seeks.map(e => toHex(e.bytes))).toEqual([toHex(bytesOf('v2-seek'))])
    expect(checked.answer.refused).toEqual([])
    const encoded = encodeSyncAnswer([{ t: 'presence', bytes: bytesOf('v2-presence') }, { t: 'seek', bytes: bytesOf('v2-seek') }])
    expect(toHex(encoded.bytes)).toBe(toHex(answer))
  })

  it('states the MAX_TTL of its vectors as 3 × 30 s + 5 min', () => {
    expect(maxTtl).toBe(3 * 30_000 + 5 * 60_000)
    expect(doc).toContain('the vectors use 390,000 ms')
  })

  it('keeps the refusals typed: every reason is a WireError\'s or a LobbyMessageError\'s', async () => {
    for (const v of v2.filter(v => v.expect != null)) {
      const checked = await checkLobbyV2(bytesOf(v.name), now, { from: signerId, maxTtl })
      expect('error' in checked && (checked.error instanceof WireError || checked.error instanceof LobbyMessageError)).toBe(true)
    }
  })
})
