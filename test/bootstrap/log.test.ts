import { describe, expect, it } from 'vitest'
import { formatLine, Logger } from '../../bootstrap/log.js'

function collect (): { logger: Logger, lines: () => Array<Record<string, unknown>>, raw: string[] } {
  const raw: string[] = []
  const logger = new Logger({ write: line => { raw.push(line) }, now: () => Date.UTC(2026, 10, 3, 12, 0, 0) })
  return { logger, raw, lines: () => raw.map(line => JSON.parse(line) as Record<string, unknown>) }
}

describe('structured logs', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { logger, raw, lines } = collect()
    logger.info('listening', { port: 4001, addrs: ['/ip4/127.0.0.1/tcp/4001'] })
    logger.warn('reservation refused', { reason: 'per-ip' })
    logger.error('stun failed')
    expect(raw.every(line => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true)
    expect(lines()).toEqual([
      { t: '2026-11-03T12:00:00.000Z', level: 'info', msg: 'listening', port: 4001, addrs: ['/ip4/127.0.0.1/tcp/4001'] },
      { t: '2026-11-03T12:00:00.000Z', level: 'warn', msg: 'reservation refused', reason: 'per-ip' },
      { t: '2026-11-03T12:00:00.000Z', level: 'error', msg: 'stun failed' }
    ])
  })

  it('keeps its own keys when a field has the same name, and drops undefined fields', () => {
    expect(JSON.parse(formatLine(0, 'info', 'real', { msg: 'fake', level: 'error', t: 'x', gone: undefined, kept: null }))).toEqual({
      t: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'real', kept: null
    })
  })

  it('writes errors, bigints and nested values readably', () => {
    const err = Object.assign(new Error('dial failed'), { code: 'ECONNREFUSED' })
    expect(JSON.parse(formatLine(0, 'error', 'x', { err, limit: 64n * 1024n, nested: { big: 1n } }))).toMatchObject({
      err: { name: 'Error', message: 'dial failed', code: 'ECONNREFUSED' },
      limit: '65536',
      nested: { big: '1' }
    })
  })

  it('still writes a line for a circular field', () => {
    const loop: Record<string, unknown> = { a: 1 }
    loop.self = loop
    expect(JSON.parse(formatLine(0, 'warn', 'loop', { loop, n: 2 }))).toMatchObject({ msg: 'loop', n: 2, loop: '[object Object]' })
  })

  it('adds a child logger\'s fixed fields to every line; a line\'s own fields win', () => {
    const { logger, lines } = collect()
    const relay = logger.child({ component: 'relay', region: 'eu' })
    relay.info('reserved', { peer: '12D3KooW', region: 'us' })
    expect(lines()).toEqual([{ t: '2026-11-03T12:00:00.000Z', level: 'info', msg: 'reserved', component: 'relay', region: 'us', peer: '12D3KooW' }])
  })

  it('survives a write that throws', () => {
    const logger = new Logger({ write: () => { throw new Error('EPIPE') } })
    expect(() => { logger.error('gone') }).not.toThrow()
  })
})
