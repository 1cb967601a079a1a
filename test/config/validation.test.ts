import { describe, expect, it } from 'vitest'
import { boolean, ConfigError, list, object, oneOf, validate, wholeNumber } from '../../src/config/validation.js'

const fields = { size: wholeNumber(1, 9, 'stones'), on: boolean, kind: oneOf(['a', 'b']), tags: list(oneOf(['x']), 'tags') }

function refusal (check: ReturnType<typeof object>, value: unknown): string[] {
  try {
    validate(check, value, 'test.json')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as ConfigError).problems.map(p => `${p.path}: ${p.message}`)
  }
  return []
}

describe('the settings validator', () => {
  it('collects every problem, in the document\'s order', () => {
    expect(refusal(object(fields, 'settings'), { tags: ['x', 'y'], colour: 1, size: 10, on: 'yes' })).toEqual([
      'tags[1]: expected one of "x", got "y"',
      'colour: unknown setting (known: size, on, kind, tags)',
      'size: must be a whole number from 1 to 9 (stones), got 10',
      'on: expected true or false, got "yes"'
    ])
  })

  it('can list unknown keys first, then the settings in their declared order', () => {
    expect(refusal(object(fields, 'settings', { unknownFirst: true }), { on: 'yes', sise: 3, size: 0 })).toEqual([
      'sise: unknown setting (did you mean "size"?)',
      'size: must be a whole number from 1 to 9 (stones), got 0',
      'on: expected true or false, got "yes"'
    ])
  })

  it('skips undefined (a flag not given) and names the whole document when it is no object', () => {
    expect(validate(object(fields, 'settings'), { size: undefined }, 'flags')).toEqual({ size: undefined })
    expect(() => validate(object(fields, 'a JSON object of settings'), [1], 'test.json')).toThrow('test.json: expected a JSON object of settings, got a list')
  })
})
