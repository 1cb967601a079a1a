import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { MAX_TTL, TTL } from '../../../src/net/lobby/constants.js'
import { recordProblem } from '../../../src/net/lobby/peer-record.js'
import { LobbyMessageError } from '../../../src/net/lobby/errors.js'
import { checkLobbyMessage, decodeLobbyMessage, encodeLobbyMessage, type LobbyMessage } from '../../../src/net/lobby/messages.js'
import { WireError } from '../../../src/wire/errors.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const doc = await readFile(new URL('../../../protocols/lobby.md', import.meta.url), 'utf8')
// Version 1's vectors only: version 2's section has its own (test/net/lobby/v2/vectors.test.ts).
const vectors = readVectors(doc.slice(0, doc.indexOf('## Version 2')))

/** A vector by name: hex as bytes. */
function bytesOf (name: string): Uint8Array {
  const v = vectors.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/lobby.md`)
  return hex(v.value)
}

/** A vector by name: its text. */
function textOf (name: string): string {
  const v = vectors.get(name)
  if (v?.kind !== 'text') throw new Error(`no text vector ${name} in protocols/lobby.md`)
  return v.value
}

const now = Number(textOf('now'))
const signer = peerIdFromString(textOf('signer-peer-id')).toMultihash().bytes
const id = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)

/** The values the document states for its valid vectors. */
const expected: Record<string, LobbyMessage> = {
  presence: { t: 'presence', peer: signer, name: 'Alice', sizes: [9, 19], ratings: { 9: { mu: 29.396, sigma: 7.171 } }, status: 'idle', expires: now + TTL, seq: 7 },
  'presence-minimal': { t: 'presence', peer: signer, name: 'Alice', sizes: [9, 19], status: 'idle', expires: now + TTL, seq: 7 },
  seek: {
    t: 'seek',
    peer: signer,
    id,
    terms: { size: 19, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 600_000, periodMs: 30_000, periods: 5 } },
    color: 'random',
    range: { min: 20, max: 35 },
    expires: now + TTL,
    seq: 8
  },
  cancel: { t: 'cancel', peer: signer, id, seq: 9 },
  'presence-addressed': { t: 'presence', peer: signer, name: 'Alice', sizes: [9, 19], status: 'idle', expires: now + TTL, seq: 7, record: bytesOf('presence-addressed-record'), reach: 'relayed' }
}

/** Decodes and checks bytes as received from the signer at `now`: 'ok', or the reason they are refused for. */
function receive (bytes: Uint8Array): string {
  try {
    checkLobbyMessage(decodeLobbyMessage(bytes), { from: signer, now })
    return 'ok'
  } catch (err) {
    if (err instanceof WireError || err instanceof LobbyMessageError) return err.reason
    throw err
  }
}

describe('protocols/lobby.md test vectors', () => {
  it('has the vectors these tests read', () => {
    expect([...vectors.keys()].sort()).toEqual([
      'cancel', 'chat', 'now', 'other-peer-id', 'presence', 'presence-addressed', 'presence-addressed-record', 'presence-expired', 'presence-extra-key', 'presence-minimal',
      'presence-name-escape', 'presence-sigma-zero', 'presence-size-7', 'presence-sizes-unsorted', 'presence-too-far',
      'presence-v2', 'presence-wrong-peer', 'seek', 'seek-id-short', 'seek-range-empty', 'seek-tc-extra',
      'signer-multihash', 'signer-peer-id'
    ])
  })

  it('names the conventions\' test key as the signer, and the other key from its seed', async () => {
    const conventions = readVectors(await readFile(new URL('../../../protocols/conventions.md', import.meta.url), 'utf8'))
    expect(textOf('signer-peer-id')).toBe(conventions.get('signing-peer-id')?.value)
    expect(toHex(signer)).toBe(toHex(bytesOf('signer-multihash')))
    const otherSeed = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i)
    expect(peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', otherSeed)).toString()).toBe(textOf('other-peer-id'))
  })

  it.each(Object.keys(expected))('%s decodes to the stated values, is accepted, and is what the encoder writes', (name) => {
    const bytes = bytesOf(name)
    expect(decodeLobbyMessage(bytes)).toEqual(expected[name])
    expect(receive(bytes)).toBe('ok')
    expect(toHex(encodeLobbyMessage(expected[name]))).toBe(toHex(bytes))
  })

  it.each([...vectors.values()].filter(v => v.expect != null).map(v => [v.name, v.expect] as const))('%s is refused as %s', (name, reason) => {
    expect(receive(bytesOf(name))).toBe(reason)
  })

  it('states the expiry window the code uses', () => {
    expect(doc).toContain(`now + ${TTL / 1000} s`)
    expect(doc).toContain(`now + ${MAX_TTL / 60_000} min`)
  })

  it('presence-addressed carries a record that opens, is the signer\'s, and lists the stated circuit address', async () => {
    const record = bytesOf('presence-addressed-record')
    expect(await recordProblem(record, peerIdFromString(textOf('signer-peer-id')))).toBeUndefined()
    // The same record in another peer's presence is refused (bad-record in the service).
    expect(await recordProblem(record, peerIdFromString(textOf('other-peer-id')))).toContain('another peer')
    const envelope = await RecordEnvelope.openAndCertify(record, PeerRecord.DOMAIN)
    const peerRecord = PeerRecord.createFromProtobuf(envelope.payload)
    expect(peerRecord.seqNumber).toBe(1767225600000n)
    expect(peerRecord.multiaddrs.map(String)).toEqual([`/ip4/203.0.113.10/tcp/4001/p2p/${textOf('other-peer-id')}/p2p-circuit`])
    // One flipped byte in the signature and it no longer opens.
    const bad = record.slice()
    bad[bad.length - 1] ^= 1
    expect(await recordProblem(bad, peerIdFromString(textOf('signer-peer-id')))).toContain('does not open')
  })

  it('presence-wrong-peer names the other peer', () => {
    const msg = decodeLobbyMessage(bytesOf('presence-wrong-peer'))
    expect(toHex(msg.peer)).toBe(toHex(peerIdFromString(textOf('other-peer-id')).toMultihash().bytes))
  })
})
