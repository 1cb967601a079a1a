import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { engineText, identifyEngine } from '../../src/bot/engine-identity.js'
import { GtpEngineClosedError } from '../../src/gtp/errors.js'
import { checkEngineInfo } from '../../src/wire/game-start.js'

const GNUGO = '/usr/games/gnugo'

/** A GTP engine in this Node binary that answers `name` with NAME and `version` with VERSION, or '?' for either when unset. */
function fakeEngine (name: string | undefined, version: string | undefined): { command: string, args: string[] } {
  const script = String.raw`
const replies = JSON.parse(process.argv[1])
require('node:readline').createInterface({ input: process.stdin }).on('line', line => {
  const [, id, cmd] = /^(\d*) ?(\S+)/.exec(line)
  const reply = replies[cmd]
  if (cmd === 'quit') { process.stdout.write('=' + id + '\n\n'); process.exit(0) }
  process.stdout.write(reply == null ? '?' + id + ' unknown command\n\n' : '=' + id + ' ' + reply + '\n\n')
})`
  return { command: process.execPath, args: ['-e', script, JSON.stringify({ name, version })] }
}

describe('engine identity', () => {
  it.each<[string, string, number, string]>([
    ['plain text', 'GNU Go', 64, 'GNU Go'],
    ['controls become spaces, runs of space one', ' Leela\tZero\u001b[0m  ', 64, 'Leela Zero [0m'],
    ['cut on a character boundary', 'é'.repeat(40), 64, 'é'.repeat(32)],
    ['no trailing space after the cut', 'ab cd', 3, 'ab'],
    ['empty stays empty', '  ', 64, '']
  ])('engineText: %s', (_name, input, max, expected) => {
    expect(engineText(input, max)).toBe(expected)
  })

  it('asks the engine its name and version', async () => {
    const { command, args } = fakeEngine('Fake Go', '1.2.3-beta')
    expect(await identifyEngine(command, args)).toEqual({ name: 'Fake Go', version: '1.2.3-beta' })
  })

  it('an engine without `version` has an empty version; one without `name` is named after its program', async () => {
    const noVersion = fakeEngine('Fake Go', undefined)
    expect(await identifyEngine(noVersion.command, noVersion.args)).toEqual({ name: 'Fake Go', version: '' })
    const nothing = fakeEngine(undefined, undefined)
    const info = await identifyEngine(nothing.command, nothing.args)
    expect(info).toEqual({ name: 'node', version: '' })
  })

  it('what it makes of a long or odd answer is always a valid declaration', async () => {
    const { command, args } = fakeEngine('\u0007' + 'X'.repeat(100), 'v'.repeat(100))
    const info = await identifyEngine(command, args)
    expect(checkEngineInfo(info, 'engine')).toEqual(info)
    expect(info).toEqual({ name: 'X'.repeat(64), version: 'v'.repeat(64) })
  })

  it('an engine that cannot start is an error', async () => {
    await expect(identifyEngine('/nonexistent/engine', [])).rejects.toBeInstanceOf(GtpEngineClosedError)
  })

  it.skipIf(!existsSync(GNUGO))('GNU Go says it is GNU Go 3.8', async () => {
    expect(await identifyEngine(GNUGO, ['--mode', 'gtp'])).toEqual({ name: 'GNU Go', version: expect.stringMatching(/^3\.\d+/) })
  })
})
