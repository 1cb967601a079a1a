import { describe, expect, it } from 'vitest'
import { errorOf } from '../../src/net/error-of.js'

describe('errorOf', () => {
  it('keeps an Error, unwraps an event\'s error, and turns a bare event or value into an Error', () => {
    const err = new Error('boom')
    expect(errorOf(err)).toBe(err)
    const withError = Object.assign(new Event('close'), { error: err })
    expect(errorOf(withError)).toBe(err)
    const bare = errorOf(new Event('close'))
    expect(bare).toBeInstanceOf(Error)
    expect(bare.message).toBe('the stream closed (close event)')
    expect(errorOf('text').message).toBe('text')
  })
})
