import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { getNetConfig } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { BackgroundErrorLog, backgroundErrorSink, backgroundErrorText, describeBackgroundError, keepRunningOnBackgroundErrors, type BackgroundErrorReport, type BackgroundOrigin } from '../../src/bin/background-errors.js'

/** The error a callback throws, caught where it is thrown so its stack is the real one. */
function thrownBy (run: (callback: () => void) => void, body: () => void): Promise<unknown> {
  return new Promise(resolve => {
    run(() => {
      try { body() } catch (err) { resolve(err) }
    })
  })
}

const libraryThrow = (): void => { getNetConfig(multiaddr('/webrtc/p2p/12D3KooWRRZbmGTLFmxRLq5jSiGQKbRQfxxyfe2tS21KZpuafjYg/p2p-circuit')) }

describe('describeBackgroundError', () => {
  it('says what ran (event listener, timer, promise) and which libraries were on the stack, from real stacks', async () => {
    const target = new EventTarget()
    const fromListener = await thrownBy(cb => { target.addEventListener('x', cb); target.dispatchEvent(new Event('x')) }, libraryThrow)
    const fromEmitter = await thrownBy(cb => { const e = new EventEmitter(); e.on('x', cb); e.emit('x') }, libraryThrow)
    const fromTimer = await thrownBy(cb => { setTimeout(cb, 0) }, () => { throw new TypeError('a timer of ours') })
    const cases: Array<[unknown, BackgroundOrigin, Partial<BackgroundErrorReport>]> = [
      [fromListener, 'uncaughtException', { source: 'event listener', name: 'InvalidParametersError' }],
      [fromEmitter, 'uncaughtException', { source: 'event listener', name: 'InvalidParametersError' }],
      [fromTimer, 'uncaughtException', { source: 'timer', name: 'TypeError', message: 'a timer of ours', packages: [] }],
      [new Error('rejected'), 'unhandledRejection', { source: 'promise' }],
      ['a string', 'unhandledRejection', { source: 'promise', name: 'string', message: 'a string', at: 'an unknown place (no stack)' }]
    ]
    for (const [err, origin, expected] of cases) expect(describeBackgroundError(err, origin)).toMatchObject(expected)
    const report = describeBackgroundError(fromListener, 'uncaughtException')
    expect(report.message).toMatch(/was not an IPv4, IPv6, DNS/)
    expect(report.packages[0]).toBe('@libp2p/utils')
    expect(report.at).toMatch(/getNetConfig .*node_modules\/@libp2p\/utils\//)
  })

  it('reads as a sentence with the error, the place and the stack; a repeat is one line with its count', async () => {
    const err = await thrownBy(cb => { setTimeout(cb, 0) }, libraryThrow)
    const first = backgroundErrorText(describeBackgroundError(err, 'uncaughtException'))
    expect(first.split('\n')[0]).toBe('p2pgo: an error was thrown in the background by a timer (libraries on its stack: @libp2p/utils), and nothing caught it. ' +
      'This node keeps running and keeps its games (README, "When a library throws").')
    expect(first.split('\n')[1]).toMatch(/^ {2}InvalidParametersError: Multiaddr \/webrtc\/p2p\/\S+ was not an IPv4/)
    expect(first.split('\n')[2]).toMatch(/^ {2}thrown at getNetConfig /)
    const again = backgroundErrorText(describeBackgroundError(err, 'uncaughtException', 4))
    expect(again).toMatch(/^p2pgo: the same background error again \(4 times now\), still running: InvalidParametersError: .* at getNetConfig /)
    expect(again.includes('\n')).toBe(false)
  })
})

describe('BackgroundErrorLog', () => {
  it('writes an error of one name and place on its 1st, 2nd, 4th, 8th... occurrence, and each new place at once', () => {
    const written: BackgroundErrorReport[] = []
    const log = new BackgroundErrorLog(r => { written.push(r) })
    const same = new Error('same place')
    for (let i = 0; i < 20; i++) log.record(same, 'uncaughtException')
    expect(written.map(r => r.count)).toEqual([1, 2, 4, 8, 16])
    log.record(new RangeError('elsewhere'), 'uncaughtException')
    expect(written.at(-1)).toMatchObject({ name: 'RangeError', count: 1 })
  })
})

describe('keepRunningOnBackgroundErrors', () => {
  it('logs and keeps the process running; exits only when its own output is gone (EPIPE); uninstalls', () => {
    const proc = Object.assign(new EventEmitter(), { exits: [] as number[], exit (code: number) { this.exits.push(code) } })
    const written: BackgroundErrorReport[] = []
    const uninstall = keepRunningOnBackgroundErrors(r => { written.push(r) }, proc)
    proc.emit('uncaughtException', new Error('from a listener'), 'uncaughtException')
    proc.emit('uncaughtException', new Error('from a promise'), 'unhandledRejection')
    expect(written.map(r => [r.message, r.source])).toEqual([['from a listener', 'callback'], ['from a promise', 'promise']])
    expect(proc.exits).toEqual([])
    proc.emit('uncaughtException', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }), 'uncaughtException')
    expect(proc.exits).toEqual([1])
    uninstall()
    expect(proc.listenerCount('uncaughtException')).toBe(0)
  })

  it('keeps running when writing the log itself fails', () => {
    const proc = Object.assign(new EventEmitter(), { exit: () => { throw new Error('must not exit') } })
    keepRunningOnBackgroundErrors(() => { throw new Error('stderr is gone') }, proc)
    expect(() => proc.emit('uncaughtException', new Error('x'), 'uncaughtException')).not.toThrow()
  })
})

describe('backgroundErrorSink', () => {
  const homeOf = (flag: string | undefined): string => {
    if (flag === '') throw new Error('--home needs a directory')
    return flag ?? '/root/.p2pgo'
  }
  it('JSON lines for the bootstrap relay, a file in the home for the terminal client, stderr for the rest', () => {
    const cases: Array<[string[], boolean, ReturnType<typeof backgroundErrorSink>]> = [
      [['bootstrap', '--home', '/srv/boot'], false, { kind: 'json' }],
      [['play'], true, { kind: 'file', path: '/root/.p2pgo/background-errors.log' }],
      [['play', '--home', '/tmp/h', '--local'], true, { kind: 'file', path: '/tmp/h/background-errors.log' }],
      [['play', '--home=/tmp/h2'], true, { kind: 'file', path: '/tmp/h2/background-errors.log' }],
      [[], true, { kind: 'file', path: '/root/.p2pgo/background-errors.log' }],
      [[], false, { kind: 'stderr' }],
      [['play', '--home', ''], true, { kind: 'stderr' }],
      [['bot', '--home', '/tmp/b'], false, { kind: 'stderr' }],
      [['peers'], true, { kind: 'stderr' }]
    ]
    for (const [argv, interactive, expected] of cases) expect(backgroundErrorSink(argv, interactive, homeOf), argv.join(' ')).toEqual(expected)
  })
})
