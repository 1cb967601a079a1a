import { describe, expect, it } from 'vitest'
import { commandToString, parseCommandLine, parseResponse, responseToString, splitResponse } from '../../src/gtp/gtp-codec.js'
import { GtpProtocolError } from '../../src/gtp/errors.js'
import type { GtpCommand, GtpResponse } from '../../src/gtp/gtp-codec.js'

describe('commandToString', () => {
  const good: ReadonlyArray<[string, GtpCommand, string]> = [
    ['a bare command', { name: 'name' }, 'name\n'],
    ['an id', { id: 1, name: 'play', args: ['black', 'D4'] }, '1 play black D4\n'],
    ['id 0', { id: 0, name: 'clear_board' }, '0 clear_board\n'],
    ['a number', { name: 'boardsize', args: [19] }, 'boardsize 19\n'],
    ['a fraction and a negative', { name: 'komi', args: [-6.5] }, 'komi -6.5\n'],
    ['a pass', { name: 'play', args: ['white', 'pass'] }, 'play white pass\n'],
    ['a hyphenated extension', { id: 7, name: 'kgs-genmove_cleanup', args: ['b'] }, '7 kgs-genmove_cleanup b\n'],
    ['several vertices', { name: 'set_free_handicap', args: ['D4', 'Q16', 'D16'] }, 'set_free_handicap D4 Q16 D16\n']
  ]
  it.each(good)('%s', (_, command, text) => {
    expect(commandToString(command)).toBe(text)
  })

  const bad: ReadonlyArray<[string, GtpCommand]> = [
    ['an empty name', { name: '' }],
    ['a space in the name', { name: 'play black' }],
    ['a newline in the name', { name: 'name\nquit' }],
    ['a comment mark in the name', { name: 'na#me' }],
    ['an empty argument', { name: 'play', args: ['black', ''] }],
    ['a space in an argument', { name: 'play', args: ['black D4'] }],
    ['a newline in an argument (a second command smuggled in)', { name: 'play', args: ['black', 'D4\nquit'] }],
    ['a carriage return in an argument', { name: 'play', args: ['black', 'D4\r'] }],
    ['a tab in an argument', { name: 'play', args: ['black\tD4'] }],
    ['a comment mark in an argument', { name: 'komi', args: ['#6.5'] }],
    ['NaN', { name: 'komi', args: [Number.NaN] }],
    ['Infinity', { name: 'komi', args: [Number.POSITIVE_INFINITY] }],
    ['a negative id', { id: -1, name: 'name' }],
    ['a fractional id', { id: 1.5, name: 'name' }],
    ['an id beyond 2^53', { id: 2 ** 53, name: 'name' }]
  ]
  it.each(bad)('refuses %s', (_, command) => {
    expect(() => commandToString(command)).toThrow(GtpProtocolError)
  })
})

describe('parseResponse', () => {
  const good: ReadonlyArray<[string, string, GtpResponse]> = [
    ['empty success', '=\n\n', { ok: true, content: '' }],
    ['empty success with the separator', '= \n\n', { ok: true, content: '' }],
    ['a vertex', '= A1\n\n', { ok: true, content: 'A1' }],
    ['an id and a list', '=12 A1 B2\n\n', { id: 12, ok: true, content: 'A1 B2' }],
    ['id 0 and nothing else', '=0\n\n', { id: 0, ok: true, content: '' }],
    ['leading zeros in the id', '=007 x\n\n', { id: 7, ok: true, content: 'x' }],
    ['a failure', '? unknown command\n\n', { ok: false, content: 'unknown command' }],
    ['a failure with an id', '?3 illegal move\n\n', { id: 3, ok: false, content: 'illegal move' }],
    ['CRLF line ends', '=5 C3\r\n\r\n', { id: 5, ok: true, content: 'C3' }],
    ['several lines, the first empty (showboard)', '= \n   A B\n 2 . .\n\n', { ok: true, content: '\n   A B\n 2 . .' }],
    ['several lines with CRLF', '=1 first\r\nsecond\r\n\r\n', { id: 1, ok: true, content: 'first\nsecond' }],
    ['spaces after the separator are content', '=  x \n\n', { ok: true, content: ' x ' }]
  ]
  it.each(good)('%s', (_, text, response) => {
    expect(parseResponse(text)).toEqual(response)
  })

  const bad: ReadonlyArray<[string, string]> = [
    ['nothing', ''],
    ['a lone empty line', '\n\n'],
    ['no terminating empty line', '= A1\n'],
    ['no newline at all', '= A1'],
    ['a header without = or ?', 'A1\n\n'],
    ['an engine chatting on stdout', 'Hello, I am an engine\n\n'],
    ['a letter where the id goes', '=x A1\n\n'],
    ['a negative id', '=-1 A1\n\n'],
    ['digits running into text', '=12a\n\n'],
    ['a tab instead of the separator space', '=\tA1\n\n'],
    ['an id too large to be exact', '=99999999999999999999 x\n\n'],
    ['two responses at once', '= a\n\n= b\n\n'],
    ['an empty line before the header', '\n= A1\n\n'],
    ['an empty line inside the content', '= a\n\nb\n\n']
  ]
  it.each(bad)('refuses %s', (_, text) => {
    expect(() => parseResponse(text)).toThrow(GtpProtocolError)
  })

  it('keeps the offending text on the error', () => {
    const err = (() => {
      try {
        parseResponse('nonsense\n\n')
      } catch (e) {
        return e as GtpProtocolError
      }
    })()
    expect(err?.text).toBe('nonsense\n\n')
    expect(err?.code).toBe('ERR_GTP_PROTOCOL')
  })
})

describe('splitResponse', () => {
  const cases: ReadonlyArray<[string, string, [string, string] | undefined]> = [
    ['an empty buffer', '', undefined],
    ['half a response', '= A1\n', undefined],
    ['one response and the start of the next', '= A1\n\n=2 B', ['= A1\n\n', '=2 B']],
    ['a multi-line response', '= \nrow 1\nrow 2\n\nrest', ['= \nrow 1\nrow 2\n\n', 'rest']],
    ['stray blank lines before it', '\n\n\n=3 x\n\n', ['=3 x\n\n', '']],
    ['CRLF, split across the CR', '=1 y\r\n\r', undefined],
    ['CRLF', '=1 y\r\n\r\nnext', ['=1 y\n\n', 'next']]
  ]
  it.each(cases)('%s', (_, buffer, expected) => {
    expect(splitResponse(buffer)).toEqual(expected)
  })

  it('hands parseResponse exactly one response each time', () => {
    let buffer = '=1 a\n\n?2 b\n\n=3 c\nd\n\n'
    const out: GtpResponse[] = []
    for (let s = splitResponse(buffer); s != null; s = splitResponse(buffer)) {
      out.push(parseResponse(s[0]))
      buffer = s[1]
    }
    expect(out).toEqual([{ id: 1, ok: true, content: 'a' }, { id: 2, ok: false, content: 'b' }, { id: 3, ok: true, content: 'c\nd' }])
    expect(buffer).toBe('')
  })
})

describe('response size', () => {
  it('a response of 2 million characters is refused, one of 100,000 read', () => {
    expect(parseResponse('= ' + 'x'.repeat(100_000) + '\n\n').content).toHaveLength(100_000)
    expect(() => parseResponse('= ' + 'x'.repeat(2_000_000) + '\n\n')).toThrow(/more than \d+ characters/)
  })
})

describe('parseCommandLine (the engine side)', () => {
  const cases: ReadonlyArray<[string, string, ReturnType<typeof parseCommandLine>]> = [
    ['a bare command', 'name', { name: 'name', args: [] }],
    ['an id and arguments', '12 play black D4', { id: 12, name: 'play', args: ['black', 'D4'] }],
    ['tabs, extra spaces and CR', '  play\twhite   pass \r', { name: 'play', args: ['white', 'pass'] }],
    ['a comment', 'komi 6.5 # what the club uses', { name: 'komi', args: ['6.5'] }],
    ['control characters dropped', 'na\x01me', { name: 'name', args: [] }],
    ['an empty line', '', undefined],
    ['a comment alone', '# nothing', undefined],
    ['an id alone', '5', { id: 5, name: '', args: [] }]
  ]
  it.each(cases)('%s', (_, line, request) => {
    expect(parseCommandLine(line)).toEqual(request)
  })
})

describe('responseToString', () => {
  const cases: ReadonlyArray<[string, GtpResponse, string]> = [
    ['success, empty', { ok: true, content: '' }, '= \n\n'],
    ['success with an id', { id: 3, ok: true, content: 'D4' }, '=3 D4\n\n'],
    ['a failure', { id: 4, ok: false, content: 'illegal move' }, '?4 illegal move\n\n'],
    ['several lines, an empty one dropped', { ok: true, content: 'a\n\nb' }, '= a\nb\n\n'],
    ['a board starts below the header', { ok: true, content: '\n A B\n 1 .' }, '= \n A B\n 1 .\n\n']
  ]
  it.each(cases)('%s', (_, response, text) => {
    expect(responseToString(response)).toBe(text)
    // What p2pgo writes, its own client reads back.
    expect(parseResponse(text).ok).toBe(response.ok)
  })
})
