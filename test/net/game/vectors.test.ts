import { readFile } from 'node:fs/promises'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { GameSession } from '../../../src/session/index.js'
import { decodeCanonical, encodeCanonical } from '../../../src/wire/cbor.js'
import { cidOf, cidOfCanonical } from '../../../src/wire/cid.js'
import { MalformedMessageError, WireError } from '../../../src/wire/errors.js'
import { ACT_DOMAIN, START_DOMAIN, actMessage, actToSign, decodeGameMessage, encodeGameMessage, otherSide, type Act, type GameMessage } from '../../../src/wire/game-messages.js'
import { decodeStart, encodeStart, gameIdOf, startToSign } from '../../../src/wire/game-start.js'
import { sign, verify } from '../../../src/wire/signing.js'
import { decodeChallengeMessage } from '../../../src/net/challenge/messages.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/game.md', import.meta.url), 'utf8'))

/** A hex vector's bytes. */
function bytesOf (name: string): Uint8Array {
  const v = vectors.get(name)
  if (v?.kind !== 'hex') throw new Error(`no hex vector ${name} in protocols/game.md`)
  return hex(v.value)
}

/** A text vector. */
function textOf (name: string): string {
  const v = vectors.get(name)
  if (v?.kind !== 'text') throw new Error(`no text vector ${name} in protocols/game.md`)
  return v.value
}

/** Decodes a vector that must be a message of type `t`. */
function messageOf<T extends GameMessage['t']> (name: string, t: T): Extract<GameMessage, { t: T }> {
  const m = decodeGameMessage(bytesOf(name))
  if (m.t !== t) throw new Error(`${name} decoded as ${m.t}, not ${t}`)
  return m as Extract<GameMessage, { t: T }>
}

/** Decodes an act vector, without the message type. */
function actOf (name: string): Act {
  const { t: _t, ...act } = messageOf(name, 'act')
  return act
}

/** An act (or any message) with its CIDs as text and its signatures left out, for comparing. */
function plain (value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'sig') continue
    const c = CID.asCID(v)
    out[k] = c != null ? c.toString() : k === 'proof' ? (v as Act[]).map(p => plain({ ...p })) : v
  }
  return out
}

const black = await generateKeyPairFromSeed('Ed25519', bytesOf('black-seed'))
const white = await generateKeyPairFromSeed('Ed25519', bytesOf('white-seed'))
const keyOf = { B: black, W: white } as const
const publicKeys = { B: black.publicKey, W: white.publicKey }
const gameId = textOf('game-id')

const ACTS = ['move', 'pass', 'resign', 'result', 'timeout-claim'] as const

describe('protocols/game.md test vectors', () => {
  it('has the vectors these tests read', () => {
    expect([...vectors.keys()].sort()).toEqual([
      'ack', 'black-peer-id', 'black-seed', 'claim-proof-claim', 'claim-three-proofs', 'final-cid', 'final-summary',
      'game-id', 'game-id-engine', 'game-id-rated', 'hello', 'move', 'move-cid', 'move-extra-key', 'move-first-with-prev', 'move-missing-x', 'move-n-zero',
      'move-unknown-type', 'move-v2', 'pass', 'pass-cid', 'reject', 'reject-long-reason', 'resign', 'resign-cid', 'result',
      'start', 'start-engine', 'start-rated', 'timeout-claim', 'white-peer-id', 'white-seed'
    ])
  })

  it('the seeds make the peer IDs named', () => {
    expect(peerIdFromPrivateKey(black).toString()).toBe(textOf('black-peer-id'))
    expect(peerIdFromPrivateKey(white).toString()).toBe(textOf('white-peer-id'))
  })

  it('start: decodes to the record described and encodes back to the same bytes', () => {
    const start = decodeStart(bytesOf('start'))
    expect(start.terms).toEqual({ size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 300_000, periodMs: 30_000, periods: 3 } })
    expect(start.black).toEqual(peerIdFromPrivateKey(black).toMultihash().bytes)
    expect(start.white).toEqual(peerIdFromPrivateKey(white).toMultihash().bytes)
    expect(toHex(start.nonce)).toBe('00112233445566778899aabbccddeeff')
    expect(start.created).toBe(1_700_000_000_000)
    expect(start.names).toEqual({ B: 'Bob', W: 'Alice' })
    expect(toHex(encodeStart(start))).toBe(toHex(bytesOf('start')))
  })

  it('start: both players\' signatures verify with the seeds\' keys, and each key makes exactly its own', async () => {
    const start = decodeStart(bytesOf('start'))
    const body = startToSign(start)
    await verify(publicKeys.B, START_DOMAIN, { ...body, sig: start.sigs.B })
    await verify(publicKeys.W, START_DOMAIN, { ...body, sig: start.sigs.W })
    await expect(verify(publicKeys.W, START_DOMAIN, { ...body, sig: start.sigs.B })).rejects.toMatchObject({ reason: 'wrong' })
    expect(toHex((await sign(black, START_DOMAIN, body)).sig)).toBe(toHex(start.sigs.B))
    expect(toHex((await sign(white, START_DOMAIN, body)).sig)).toBe(toHex(start.sigs.W))
  })

  it('start: the game ID is the CID of the record without signatures, the same as challenge.md\'s', async () => {
    const start = decodeStart(bytesOf('start'))
    expect(gameIdOf(start).toString()).toBe(gameId)
    const challenge = readVectors(await readFile(new URL('../../../protocols/challenge.md', import.meta.url), 'utf8'))
    expect(challenge.get('game-id')?.value).toBe(gameId)
  })

  it('start-rated: the same game with both claims, decoded and encoded back, signed by both', async () => {
    const start = decodeStart(bytesOf('start-rated'))
    const unrated = decodeStart(bytesOf('start'))
    const { ratings, sigs, ...rest } = start
    expect(ratings).toEqual({ B: { mu: 25_000, sigma: 8333 }, W: { mu: 29_396, sigma: 7171 } })
    expect(rest).toEqual((({ sigs: _s, ...r }) => r)(unrated))
    expect(unrated.ratings).toBeUndefined()
    expect(toHex(encodeStart(start))).toBe(toHex(bytesOf('start-rated')))
    const body = startToSign(start)
    await verify(publicKeys.B, START_DOMAIN, { ...body, sig: sigs.B })
    await verify(publicKeys.W, START_DOMAIN, { ...body, sig: sigs.W })
    expect(gameIdOf(start).toString()).toBe(textOf('game-id-rated'))
    const challenge = readVectors(await readFile(new URL('../../../protocols/challenge.md', import.meta.url), 'utf8'))
    expect(challenge.get('game-id-rated')?.value).toBe(textOf('game-id-rated'))
    expect(toHex(encodeCanonical(body))).toBe(challenge.get('start-record-rated')?.value)
  })

  it('start-engine: the same game with Black\'s engine only, decoded and encoded back, signed by both', async () => {
    const start = decodeStart(bytesOf('start-engine'))
    const plainStart = decodeStart(bytesOf('start'))
    const { engines, sigs, ...rest } = start
    expect(engines).toEqual({ B: { name: 'GNU Go', version: '3.8' } })
    expect(Object.hasOwn(engines!, 'W')).toBe(false)
    expect(rest).toEqual((({ sigs: _s, ...r }) => r)(plainStart))
    expect(Object.hasOwn(plainStart, 'engines')).toBe(false)
    expect(toHex(encodeStart(start))).toBe(toHex(bytesOf('start-engine')))
    const body = startToSign(start)
    await verify(publicKeys.B, START_DOMAIN, { ...body, sig: sigs.B })
    await verify(publicKeys.W, START_DOMAIN, { ...body, sig: sigs.W })
    expect(gameIdOf(start).toString()).toBe(textOf('game-id-engine'))
    const challenge = readVectors(await readFile(new URL('../../../protocols/challenge.md', import.meta.url), 'utf8'))
    expect(challenge.get('game-id-engine')?.value).toBe(textOf('game-id-engine'))
    expect(toHex(encodeCanonical(body))).toBe(challenge.get('start-record-engine')?.value)
    const accept = decodeChallengeMessage(hex(challenge.get('accept-engine')!.value))
    expect(accept.t === 'accept' && toHex(accept.sig)).toBe(toHex(sigs.B))
  })

  it('acts: decode to the fields described', () => {
    const common = { game: gameId }
    expect(plain({ ...actOf('move') })).toEqual({ ...common, by: 'B', n: 1, prev: null, seen: 0, at: 1_700_000_005_000, kind: 'move', ply: 0, x: 6, y: 2, clock: 385_000 })
    expect(plain({ ...actOf('pass') })).toEqual({ ...common, by: 'W', n: 1, prev: null, seen: 1, at: 1_700_000_012_000, kind: 'pass', ply: 1, clock: 383_000 })
    expect(plain({ ...actOf('resign') })).toEqual({ ...common, by: 'B', n: 2, prev: textOf('move-cid'), seen: 1, at: 1_700_000_020_000, kind: 'resign', ply: 2 })
    expect(plain({ ...actOf('result') })).toEqual({ ...common, by: 'B', n: 3, prev: textOf('resign-cid'), seen: 1, at: 1_700_000_020_000, kind: 'result', result: 'W+R', final: textOf('final-cid') })
    expect(plain({ ...actOf('timeout-claim') })).toEqual({
      ...common,
      by: 'W',
      n: 2,
      prev: textOf('pass-cid'),
      seen: 1,
      at: 1_700_000_400_000,
      kind: 'timeout-claim',
      ply: 2,
      proof: [plain({ ...actOf('move') }), plain({ ...actOf('pass') })]
    })
  })

  it.each(ACTS)('%s: encodes back to the same bytes; its signatures verify and the seed key makes exactly them', async name => {
    const act = actOf(name)
    expect(toHex(encodeGameMessage({ t: 'act', ...act }))).toBe(toHex(bytesOf(name)))
    for (const a of [act, ...(act.proof ?? [])]) {
      await verify(publicKeys[a.by], ACT_DOMAIN, actMessage(a))
      const { sig, ...unsigned } = a
      expect(toHex((await sign(keyOf[a.by], ACT_DOMAIN, actToSign(unsigned))).sig)).toBe(toHex(sig))
    }
    const other = otherSide(act.by)
    await expect(verify(publicKeys[other], ACT_DOMAIN, actMessage(act))).rejects.toMatchObject({ reason: 'wrong' })
  })

  it('acts: the CIDs named are those of the act messages as sent', () => {
    for (const name of ['move', 'pass', 'resign'] as const) {
      expect(cidOf(actMessage(actOf(name))).toString()).toBe(textOf(`${name}-cid`))
      expect(cidOfCanonical(bytesOf(name)).toString()).toBe(textOf(`${name}-cid`))
    }
  })

  it('final-summary: the map the result act\'s final names', () => {
    const summary = { game: CID.parse(gameId), result: 'W+R', turns: 2, last: CID.parse(textOf('pass-cid')) }
    expect(toHex(encodeCanonical(summary))).toBe(toHex(bytesOf('final-summary')))
    expect(cidOfCanonical(bytesOf('final-summary')).toString()).toBe(textOf('final-cid'))
    expect(actOf('result').final?.toString()).toBe(textOf('final-cid'))
  })

  it('the game replays under the session\'s rules: resigned, and the result act accepted', async () => {
    const start = decodeStart(bytesOf('start'))
    const session = new GameSession({ start, gameId: gameIdOf(start), me: 'W', key: white, keys: publicKeys, now: () => 1_700_000_030_000 })
    await session.replay({ B: [actOf('move'), actOf('resign'), actOf('result')], W: [actOf('pass')] })
    expect(session.end).toEqual({ result: 'W+R', turns: 2 })
    expect(session.results.B).toBeDefined()
    expect(cidOf({ ...session.finalSummary() }).toString()).toBe(textOf('final-cid'))
    expect(session.turnActs.map(a => cidOf(actMessage(a)).toString())).toEqual([textOf('move-cid'), textOf('pass-cid')])
  })

  it('the other ending replays too: Black\'s own clock agrees with the claim', async () => {
    const start = decodeStart(bytesOf('start'))
    const claim = actOf('timeout-claim')
    const session = new GameSession({ start, gameId: gameIdOf(start), me: 'B', key: black, keys: publicKeys, now: () => claim.at })
    await session.replay({ B: [actOf('move')], W: [actOf('pass'), claim] })
    expect(session.end).toEqual({ result: 'W+T', turns: 2 })
  })

  it('hello, ack and reject: their fields, and encoded back to the same bytes', () => {
    expect(plain({ ...messageOf('hello', 'hello') })).toEqual({ t: 'hello', game: gameId, have: 1, sent: 3 })
    expect(plain({ ...messageOf('ack', 'ack') })).toEqual({ t: 'ack', game: gameId, by: 'B', n: 3 })
    expect(plain({ ...messageOf('reject', 'reject') })).toEqual({ t: 'reject', game: gameId, n: 4, reason: 'game-over', message: 'the game is over' })
    for (const name of ['hello', 'ack', 'reject']) {
      expect(toHex(encodeGameMessage(decodeGameMessage(bytesOf(name))))).toBe(toHex(bytesOf(name)))
    }
  })

  const refused = [...vectors.values()].filter(v => v.expect != null).map(v => [v.name, v.expect] as const)

  it('has refused vectors', () => {
    expect(refused.length).toBe(9)
  })

  it.each(refused)('%s is refused as %s', (name, reason) => {
    let caught: unknown
    try {
      decodeGameMessage(bytesOf(name))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(WireError)
    expect(caught).toMatchObject({ reason })
  })

  it('the refused messages name the field at fault', () => {
    const pathOf = (name: string): string | undefined => {
      try {
        decodeGameMessage(bytesOf(name))
      } catch (err) {
        return err instanceof MalformedMessageError ? err.path : undefined
      }
      return undefined
    }
    expect(pathOf('move-unknown-type')).toBe('t')
    expect(pathOf('move-extra-key')).toBe('text')
    expect(pathOf('move-missing-x')).toBe('x')
    expect(pathOf('move-n-zero')).toBe('n')
    expect(pathOf('move-first-with-prev')).toBe('prev')
    expect(pathOf('claim-three-proofs')).toBe('proof')
    expect(pathOf('claim-proof-claim')).toBe('proof[0]')
    expect(pathOf('reject-long-reason')).toBe('reason')
  })

  it('the refused acts are signed as they stand: only the stated fault refuses them', async () => {
    for (const [name] of refused.filter(([n]) => n !== 'reject-long-reason')) {
      const map = decodeCanonical(bytesOf(name), { maxBytes: 1 << 16 }) as Record<string, unknown>
      await verify(publicKeys[map.by as 'B' | 'W'], ACT_DOMAIN, map)
    }
  })
})
