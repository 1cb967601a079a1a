import { afterEach, describe, expect, it } from 'vitest'
import { GtpEngine } from '../../src/gtp/gtp-engine.js'
import { GtpEngineClosedError, GtpError, GtpProtocolError } from '../../src/gtp/errors.js'
import type { GtpEngineInit } from '../../src/gtp/gtp-engine.js'

/**
 * A scripted GTP engine run by this same Node binary. 'hold' is answered only once the
 * process gets SIGUSR2, so a test decides when an answer comes without waiting on a clock.
 */
const FAKE_ENGINE = String.raw`
const readline = require('node:readline')
const seen = []
let released = false
let held = null
function answer (id, mark, text) {
  process.stdout.write(mark + id + (text === '' ? '' : ' ' + text) + '\n\n')
}
process.on('SIGUSR2', () => {
  released = true
  if (held != null) answer(held, '=', 'held')
  held = null
})
readline.createInterface({ input: process.stdin }).on('line', line => {
  const [, id, name, rest] = /^(\d*) ?(\S+) ?(.*)$/.exec(line)
  seen.push(name)
  switch (name) {
    case 'echo': return answer(id, '=', rest)
    case 'fail': return answer(id, '?', 'no can do')
    case 'lines': return answer(id, '=', 'one\ntwo')
    case 'crlf': return process.stdout.write('=' + id + ' windows\r\n\r\n')
    case 'seen': return answer(id, '=', seen.join(' '))
    case 'hold': if (released) return answer(id, '=', 'held'); held = id; return
    case 'die': process.stderr.write('fatal: out of cheese\n'); process.exit(3)
    case 'wrongid': return answer(String(Number(id) + 100), '=', 'x')
    case 'chatter': return process.stdout.write('Thinking...\n\n')
    case 'flood': return process.stdout.write('=' + id + ' ' + 'x'.repeat(Number(rest)) + '\n\n')
    case 'quit':
      answer(id, '=', '')
      if (process.env.STUBBORN !== '1') process.exit(0)
      return
    default: return answer(id, '?', 'unknown command')
  }
})
`

const engines: GtpEngine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map(async e => await e.close({ signal: AbortSignal.abort() }).catch(() => {})))
})

function fake (init: Partial<GtpEngineInit> = {}): GtpEngine {
  const e = new GtpEngine({ command: process.execPath, args: ['-e', FAKE_ENGINE], ...init })
  engines.push(e)
  return e
}

/** A fake engine that has answered once, so its SIGUSR2 handler is in place. */
async function readyFake (init: Partial<GtpEngineInit> = {}): Promise<GtpEngine> {
  const e = fake(init)
  await e.send('echo', 'ready')
  return e
}

describe('GtpEngine', () => {
  it('answers commands in order, with arguments and multi-line and CRLF responses', async () => {
    const e = fake()
    const answers = await Promise.all([e.send('echo', 'a', 1), e.send('lines'), e.send('crlf'), e.send('echo', 'komi', -6.5)])
    expect(answers).toEqual(['a 1', 'one\ntwo', 'windows', 'komi -6.5'])
  })

  it("rejects with GtpError on '?', naming the command and the engine's words, and carries on", async () => {
    const e = fake()
    const err = await e.send('fail', 'x').catch((err: unknown) => err)
    expect(err).toBeInstanceOf(GtpError)
    expect(err).toMatchObject({ command: 'fail x', engineMessage: 'no can do', code: 'ERR_GTP_FAILURE' })
    expect(await e.send('echo', 'still', 'here')).toBe('still here')
  })

  it('refuses a command GTP cannot carry without sending anything', async () => {
    const e = fake()
    await expect(e.send('play', 'black', 'D4\nquit')).rejects.toThrow(GtpProtocolError)
    expect(await e.send('seen')).toBe('seen')
  })

  it('an abort of a command still queued means it is never sent', async () => {
    const e = await readyFake()
    const held = e.send('hold')
    const ac = new AbortController()
    const queued = e.send('echo', 'never', { signal: ac.signal })
    ac.abort()
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' })
    process.kill(e.pid as number, 'SIGUSR2')
    expect(await held).toBe('held')
    expect(await e.send('seen')).toBe('echo hold seen')
  })

  it('an abort of the command being answered rejects at once; its late answer is dropped', async () => {
    const e = await readyFake()
    const ac = new AbortController()
    const held = e.send('hold', { signal: ac.signal })
    const next = e.send('echo', 'next')
    ac.abort(new Error('changed my mind'))
    await expect(held).rejects.toThrow('changed my mind')
    process.kill(e.pid as number, 'SIGUSR2')
    expect(await next).toBe('next')
  })

  it('an already aborted signal sends nothing', async () => {
    const e = fake()
    await expect(e.send('echo', 'x', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    expect(await e.send('seen')).toBe('seen')
  })

  it('rejects the command being answered and everything queued when the engine dies', async () => {
    const e = fake()
    const results = await Promise.allSettled([e.send('die'), e.send('echo', 'queued')])
    for (const r of results) {
      expect(r.status).toBe('rejected')
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(GtpEngineClosedError)
    }
    const reason = (results[0] as PromiseRejectedResult).reason as GtpEngineClosedError
    expect(reason.exitCode).toBe(3)
    expect(reason.message).toMatch(/out of cheese/)
    await expect(e.send('echo', 'later')).rejects.toThrow(GtpEngineClosedError)
    await e.close()
  })

  it('rejects when the program cannot be started', async () => {
    const e = new GtpEngine({ command: '/nonexistent/gtp-engine' })
    await expect(e.send('name')).rejects.toThrow(GtpEngineClosedError)
    await e.close()
  })

  it('a response with the wrong id is a protocol error that stops the engine', async () => {
    const e = fake()
    await expect(e.send('wrongid')).rejects.toThrow(GtpProtocolError)
    await expect(e.send('echo', 'x')).rejects.toThrow(GtpProtocolError)
  })

  it('text that is not a response is a protocol error that stops the engine', async () => {
    const e = fake()
    await expect(e.send('chatter')).rejects.toThrow(/must start with '=' or '\?'/)
    await expect(e.send('echo', 'x')).rejects.toThrow(GtpProtocolError)
  })

  // Found while fuzzing the GTP codec: nothing bounded a response, so an engine that wrote without
  // ever ending its answer grew the buffer (and rescanned it on every chunk) without end.
  it('a response of 2 million characters is a protocol error that stops the engine', async () => {
    const e = fake()
    expect(await e.send('flood', 100_000)).toHaveLength(100_000)
    const err = await e.send('flood', 2_000_000).catch((err: unknown) => err)
    expect(err).toBeInstanceOf(GtpProtocolError)
    expect((err as Error).message).toMatch(/more than \d+ characters/)
    await expect(e.send('echo', 'x')).rejects.toThrow(GtpProtocolError)
  })

  it('close() sends quit, waits for the exit, refuses what was still queued, and is idempotent', async () => {
    const e = await readyFake()
    const held = e.send('hold')
    const queued = e.send('echo', 'queued')
    const closing = e.close()
    await expect(queued).rejects.toThrow(GtpEngineClosedError)
    await expect(e.send('echo', 'after')).rejects.toThrow(GtpEngineClosedError)
    process.kill(e.pid as number, 'SIGUSR2')
    expect(await held).toBe('held')
    await closing
    await e.close()
    await expect(e.send('echo', 'after')).rejects.toThrow(GtpEngineClosedError)
  })

  it('close() kills an engine that does not exit after quit once closeTimeout has passed', async () => {
    const e = fake({ env: { ...process.env, STUBBORN: '1' }, closeTimeout: 50 })
    expect(await e.send('echo', 'hi')).toBe('hi')
    await e.close()
    await expect(e.send('echo', 'x')).rejects.toThrow(GtpEngineClosedError)
  })

  it('aborting close() kills the engine at once', async () => {
    const e = await readyFake({ env: { ...process.env, STUBBORN: '1' }, closeTimeout: 600_000 })
    // Never answered, so 'quit' cannot even be sent: only the abort can end this.
    const held = e.send('hold')
    const ac = new AbortController()
    const closing = e.close({ signal: ac.signal })
    ac.abort()
    await expect(closing).rejects.toMatchObject({ name: 'AbortError' })
    await expect(held).rejects.toThrow(/killed by SIGKILL/)
  })
})
