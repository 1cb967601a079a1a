import { describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { decodeMessage, encodeMessage } from '../../src/wire/envelope.js'
import { FrameTooLargeError, MalformedMessageError, UnknownVersionError } from '../../src/wire/errors.js'
import { hex } from './helpers.js'

const options = { maxBytes: 256, versions: [1, 2], types: ['move', 'resign'] as const }

describe('decodeMessage', () => {
  it('returns the version, the type and the whole map', () => {
    const message = decodeMessage(encodeMessage(1, 'move', { x: 3, y: 4 }), options)
    expect(message).toEqual({ v: 1, t: 'move', fields: { v: 1, t: 'move', x: 3, y: 4 } })
    const t: 'move' | 'resign' = message.t
    expect(t).toBe('move')
  })

  it('lets v and t in the fields be overridden by the envelope', () => {
    expect(encodeMessage(1, 'move', { v: 9, t: 'x' })).toEqual(encodeCanonical({ v: 1, t: 'move' }))
  })

  it.each<[string, Uint8Array, (new (...args: never[]) => Error), object]>([
    ['too large, before anything else', new Uint8Array(257).fill(0xff), FrameTooLargeError, { size: 257, limit: 256 }],
    ['not CBOR', hex('ff'), MalformedMessageError, { reason: 'not-cbor' }],
    ['not canonical', hex('a2617601617404'), MalformedMessageError, { reason: 'not-canonical' }],
    ['not a map', encodeCanonical([1, 'move']), MalformedMessageError, { reason: 'schema', path: '' }],
    ['without v', encodeCanonical({ t: 'move' }), MalformedMessageError, { reason: 'schema', path: 'v' }],
    ['with v as text', encodeCanonical({ v: '1', t: 'move' }), MalformedMessageError, { reason: 'schema', path: 'v' }],
    ['with v negative', encodeCanonical({ v: -1, t: 'move' }), MalformedMessageError, { reason: 'schema', path: 'v' }],
    ['an unknown version', encodeCanonical({ v: 3, t: 'move' }), UnknownVersionError, { got: 3, supported: [1, 2], reason: 'unknown-version' }],
    // The version is judged first: a newer version may well have types this node never heard of.
    ['an unknown version and type', encodeCanonical({ v: 3, t: 'teleport' }), UnknownVersionError, { got: 3 }],
    ['without t', encodeCanonical({ v: 1 }), MalformedMessageError, { reason: 'schema', path: 't' }],
    ['with t not text', encodeCanonical({ v: 1, t: 7 }), MalformedMessageError, { reason: 'schema', path: 't' }],
    ['with t too long', encodeCanonical({ v: 1, t: 'm'.repeat(65) }), MalformedMessageError, { reason: 'schema', path: 't' }],
    ['an unknown type', encodeCanonical({ v: 1, t: 'teleport' }), MalformedMessageError, { reason: 'unknown-type', path: 't' }]
  ])('refuses a message %s', (_name, bytes, type, fields) => {
    let caught: unknown
    try {
      decodeMessage(bytes, options)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(type)
    expect(caught).toMatchObject(fields)
  })

  it('says what went wrong in a sentence', () => {
    expect(() => decodeMessage(encodeCanonical({ v: 3, t: 'move' }), options)).toThrow('the peer speaks version 3 of this protocol; this node speaks 1, 2')
    expect(() => decodeMessage(encodeCanonical({ v: 1, t: 'teleport' }), options)).toThrow('the message type is not one this protocol knows at t: "teleport" is not one of move, resign')
  })
})
