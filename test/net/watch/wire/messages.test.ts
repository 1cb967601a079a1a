// The stream's messages (protocols/watch.md, "Stream"): round trips, and every refusal with the
// field it names, in the order of checks (size, CBOR, canonical form, version, type, schema,
// the game, signatures).
import { describe, expect, it } from 'vitest'
import { decodeCanonical, encodeCanonical } from '../../../../src/wire/cbor.js'
import { FrameTooLargeError, MalformedMessageError, UnknownVersionError, WireError } from '../../../../src/wire/errors.js'
import {
  ANSWER_MAX_ACTS, ANSWER_MAX_BYTES, REQUEST_MAX_BYTES, WatchMessageError, checkWatchAnswer, decodeWatchAnswer, decodeWatchRequest, encodeWatchActs,
  encodeWatchActsFrames, encodeWatchRefused, encodeWatchRequest, encodeWatchStart, pathOf, refusalOf
} from '../../../../src/net/watch/wire/index.js'
import { toHex } from '../../../wire/helpers.js'
import { actBytes, gameBytes, gameId, players, ratedGameId } from './fixtures.js'

/** The refusal a call throws, as `[class name, reason, path]`. */
async function refusedAs (call: () => unknown): Promise<[string, string, string]> {
  try {
    await call()
  } catch (err) {
    if (err instanceof WireError) return [err.name, err.reason, pathOf(err)]
    throw err
  }
  throw new Error('accepted')
}

const request = { v: 1, t: 'watch', game: gameId, have: { B: 3, W: 2 }, follow: false }
const context = { game: gameId, players }

describe('watch-request', () => {
  it('round-trips', () => {
    const decoded = decodeWatchRequest(encodeWatchRequest({ game: gameId, have: { B: 2000, W: 0 }, follow: true }))
    expect(decoded.game.equals(gameId)).toBe(true)
    expect([decoded.have, decoded.follow]).toEqual([{ B: 2000, W: 0 }, true])
  })

  it.each([
    ['an extra key', { ...request, seed: 1 }, 'schema', 'seed'],
    ['no game', { ...request, game: undefined }, 'schema', 'game'],
    ['a game that is not a CID', { ...request, game: 'bafy' }, 'schema', 'game'],
    ['have without W', { ...request, have: { B: 1 } }, 'schema', 'have.W'],
    ['have with a third side', { ...request, have: { B: 1, W: 1, X: 1 } }, 'schema', 'have.X'],
    ['have.W above 2000', { ...request, have: { B: 1, W: 2001 } }, 'schema', 'have.W'],
    ['have.B negative', { ...request, have: { B: -1, W: 0 } }, 'schema', 'have.B'],
    ['follow not a bool', { ...request, follow: 1 }, 'schema', 'follow'],
    ['another type', { ...request, t: 'watch-start' }, 'unknown-type', 't']
  ])('refuses %s', async (_name, value, reason, path) => {
    const fields = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
    expect(await refusedAs(() => decodeWatchRequest(encodeCanonical(fields)))).toEqual(['MalformedMessageError', reason, path])
  })

  it('refuses another version as unknown-version (a newer peer, not a bad one)', async () => {
    const err = await refusedAs(() => decodeWatchRequest(encodeCanonical({ ...request, v: 2 })))
    expect(err).toEqual(['UnknownVersionError', 'unknown-version', ''])
    expect(refusalOf(new UnknownVersionError(2, [1]))).toBe('unknown-version')
  })

  it('refuses a request over 256 bytes before decoding it', async () => {
    const big = new Uint8Array(REQUEST_MAX_BYTES + 1).fill(0x81)
    expect(await refusedAs(() => decodeWatchRequest(big))).toEqual(['FrameTooLargeError', 'too-large', ''])
  })

  it('refuses bytes that are not canonical CBOR: keys out of order, a long integer, an indefinite map, trailing bytes', async () => {
    const valid = encodeCanonical(request)
    // Keys in the order written, not sorted.
    const unsorted = Buffer.concat([Buffer.from([0xa5]), ...['v', 't', 'game', 'have', 'follow'].map(k => {
      const entry = encodeCanonical({ [k]: (request as Record<string, unknown>)[k] })
      return Buffer.from(entry.subarray(1))
    })])
    expect(await refusedAs(() => decodeWatchRequest(unsorted))).toEqual(['MalformedMessageError', 'not-canonical', ''])
    const longInt = Buffer.from(toHex(valid).replace('617601', '61761801'), 'hex')
    expect((await refusedAs(() => decodeWatchRequest(longInt)))[1]).toMatch(/^not-(cbor|canonical)$/)
    const indefinite = Buffer.concat([Buffer.from([0xbf]), valid.subarray(1), Buffer.from([0xff])])
    expect(await refusedAs(() => decodeWatchRequest(indefinite))).toEqual(['MalformedMessageError', 'not-cbor', ''])
    expect(await refusedAs(() => decodeWatchRequest(Buffer.concat([valid, Buffer.from([0])])))).toEqual(['MalformedMessageError', 'not-cbor', ''])
  })

  it('refuses to encode what the answerer would refuse', () => {
    expect(() => encodeWatchRequest({ game: gameId, have: { B: 2001, W: 0 }, follow: false })).toThrow(MalformedMessageError)
  })
})

describe('answers', () => {
  it('round-trip: start, acts, end, refused', async () => {
    const start = await checkWatchAnswer(encodeWatchStart({ record: gameBytes('start'), following: false, watchers: 0 }), context)
    expect(start).toMatchObject({ t: 'watch-start', following: false, watchers: 0 })
    const acts = await checkWatchAnswer(encodeWatchActs(actBytes.slice(0, 2)), context)
    expect(acts.t === 'watch-acts' && acts.acts.map(a => a.act.kind)).toEqual(['move', 'pass'])
    for (const reason of ['unknown-game', 'rate', 'busy'] as const) {
      expect(await checkWatchAnswer(encodeWatchRefused({ reason, message: '' }), context)).toEqual({ t: 'watch-refused', reason, message: '' })
    }
  })

  it('without the players, takes acts on their decoding alone (signatures are checked once the start is known)', async () => {
    const forged = decodeCanonical(actBytes[0], { maxBytes: 4096 }) as Record<string, unknown>
    forged.sig = new Uint8Array(64)
    const answer = await checkWatchAnswer(encodeWatchActs([encodeCanonical(forged)]), { game: gameId })
    expect(answer.t === 'watch-acts' && answer.acts.length).toBe(1)
    const checked = await checkWatchAnswer(encodeWatchActs([encodeCanonical(forged)]), context)
    expect(checked.t === 'watch-acts' && [checked.acts.length, checked.refused?.reason, pathOf(checked.refused as WireError)]).toEqual([0, 'bad-signature', 'acts[0].sig'])
  })

  it.each([
    ['watch-start with an extra key', { v: 1, t: 'watch-start', start: new Uint8Array(1), following: true, watchers: 0, x: 1 }, 'schema', 'x'],
    ['watch-start without watchers', { v: 1, t: 'watch-start', start: new Uint8Array(1), following: true }, 'schema', 'watchers'],
    ['watch-start with an empty record', { v: 1, t: 'watch-start', start: new Uint8Array(0), following: true, watchers: 0 }, 'schema', 'start'],
    ['watch-start with a record over 2048 bytes', { v: 1, t: 'watch-start', start: new Uint8Array(2049), following: true, watchers: 0 }, 'schema', 'start'],
    ['watch-start with a record that is not one', { v: 1, t: 'watch-start', start: encodeCanonical({ v: 1, t: 'start' }), following: true, watchers: 0 }, 'schema', 'start.sigs'],
    ['watch-start with bytes that are not CBOR', { v: 1, t: 'watch-start', start: Uint8Array.of(0xff), following: true, watchers: 0 }, 'not-cbor', 'start'],
    ['watch-acts with an act that is not bytes', { v: 1, t: 'watch-acts', acts: [1] }, 'schema', 'acts[0]'],
    ['watch-acts with 65 acts', { v: 1, t: 'watch-acts', acts: Array(65).fill(actBytes[0]) }, 'schema', 'acts'],
    ['watch-acts with an empty act', { v: 1, t: 'watch-acts', acts: [new Uint8Array(0)] }, 'schema', 'acts[0]'],
    ['watch-end with an extra key', { v: 1, t: 'watch-end', game: gameId }, 'schema', 'game'],
    ['watch-refused with a message over 500 bytes', { v: 1, t: 'watch-refused', reason: 'busy', message: 'x'.repeat(501) }, 'schema', 'message'],
    ['watch-refused with a terminal escape in its message', { v: 1, t: 'watch-refused', reason: 'busy', message: 'busy\u001b[2J' }, 'schema', 'message'],
    ['watch-refused with a message of spaces', { v: 1, t: 'watch-refused', reason: 'rate', message: '  ' }, 'schema', 'message'],
    ['a request where an answer is due', request, 'unknown-type', 't']
  ])('refuses %s', async (_name, value, reason, path) => {
    const [, got, at] = await refusedAs(async () => await checkWatchAnswer(encodeCanonical(value), context))
    expect([got, at]).toEqual([reason, path])
  })

  it('refuses a start record of another game as wrong-game, at start', async () => {
    const err = await refusedAs(async () => await checkWatchAnswer(encodeWatchStart({ record: gameBytes('start'), following: true, watchers: 1 }), { game: ratedGameId }))
    expect(err).toEqual(['WatchMessageError', 'wrong-game', 'start'])
  })

  it('refuses a start record White did not sign, at start.sigs.W', async () => {
    const record = decodeCanonical(gameBytes('start'), { maxBytes: 4096 }) as { sigs: { W: Uint8Array } }
    record.sigs.W = new Uint8Array(64)
    const err = await refusedAs(async () => await checkWatchAnswer(encodeWatchStart({ record: encodeCanonical(record), following: true, watchers: 1 }), context))
    expect(err).toEqual(['WatchMessageError', 'bad-signature', 'start.sigs.W'])
  })

  it('takes the prefix up to an act that is not canonical, and names it', async () => {
    const move = Buffer.from(actBytes[1])
    // `n: 1` as `18 01`: the act's own decoder refuses it; the frame is still canonical (the act is a byte string).
    const bent = Buffer.from(toHex(move).replace('616e01', '616e1801'), 'hex')
    const answer = await checkWatchAnswer(encodeWatchActs([actBytes[0], bent, actBytes[2]]), context)
    if (answer.t !== 'watch-acts') throw new Error(answer.t)
    expect(answer.acts).toHaveLength(1)
    expect(answer.refused).toBeInstanceOf(MalformedMessageError)
    expect([answer.refused?.reason, pathOf(answer.refused as WireError)]).toEqual(['not-cbor', 'acts[1]'])
  })

  it('names the field of a malformed act inside the frame (acts[i].field) and keeps its detail', async () => {
    const act = decodeCanonical(actBytes[0], { maxBytes: 4096 }) as Record<string, unknown>
    act.x = 25
    const answer = decodeWatchAnswer(encodeWatchActs([encodeCanonical(act)]), context)
    if (answer.t !== 'watch-acts') throw new Error(answer.t)
    expect([answer.refused?.reason, pathOf(answer.refused as WireError)]).toEqual(['schema', 'acts[0].x'])
    expect(answer.refused?.message).toContain('expected a whole number from 0 to 24')
  })

  it('refuses an act of another version inside a frame as a schema fault of the frame, not a newer peer', async () => {
    const act = decodeCanonical(actBytes[0], { maxBytes: 4096 }) as Record<string, unknown>
    const answer = decodeWatchAnswer(encodeWatchActs([encodeCanonical({ ...act, v: 2 })]), context)
    expect(answer.t === 'watch-acts' && [answer.refused?.reason, pathOf(answer.refused as WireError)]).toEqual(['schema', 'acts[0].v'])
  })

  it('refuses a frame over 256 KiB before decoding it', async () => {
    const big = new Uint8Array(ANSWER_MAX_BYTES + 1).fill(0x81)
    expect(await refusedAs(async () => await checkWatchAnswer(big, context))).toEqual(['FrameTooLargeError', 'too-large', ''])
    expect(refusalOf(new FrameTooLargeError(ANSWER_MAX_BYTES + 1, ANSWER_MAX_BYTES))).toBe('too-large')
  })

  it('encodes at most 64 acts and 256 KiB a frame, and splits a long game into frames that decode back in order', async () => {
    expect(() => encodeWatchActs([])).toThrow(RangeError)
    expect(() => encodeWatchActs(Array(ANSWER_MAX_ACTS + 1).fill(actBytes[0]))).toThrow(RangeError)
    const many = Array.from({ length: 150 }, (_, i) => actBytes[i % 4])
    const frames = encodeWatchActsFrames(many)
    expect(frames.map(f => (decodeCanonical(f, { maxBytes: ANSWER_MAX_BYTES }) as { acts: unknown[] }).acts.length)).toEqual([64, 64, 22])
    // Acts of 16,000 bytes: 16 fit in 256 KiB.
    const large = Array.from({ length: 40 }, () => new Uint8Array(16_000).fill(7))
    const big = encodeWatchActsFrames(large)
    expect(big.every(f => f.length <= ANSWER_MAX_BYTES)).toBe(true)
    expect(big.flatMap(f => (decodeCanonical(f, { maxBytes: ANSWER_MAX_BYTES }) as { acts: Uint8Array[] }).acts)).toHaveLength(40)
    expect(big.length).toBe(Math.ceil(40 / Math.floor((ANSWER_MAX_BYTES - 32) / 16_003)))
  })

  it('gives each refusal the table\'s name and verdict', async () => {
    expect(refusalOf(new WatchMessageError('expired', 'at'))).toBe('expired')
    expect(refusalOf(new MalformedMessageError('not-canonical'))).toBe('malformed')
    expect(refusalOf(new MalformedMessageError('schema', 'x'))).toBe('schema')
  })
})
