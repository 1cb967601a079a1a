import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ControlError, NoRunningNodeError, callControl } from '../../src/control/control-client.js'
import { ControlServer } from '../../src/control/control-server.js'
import { CONTROL_SOCKET, MAX_LINE_BYTES } from '../../src/control/protocol.js'

/** Sends raw bytes to the socket and returns whatever comes back before it closes. */
async function raw (path: string, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path)
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => { text += d })
    socket.on('end', () => { resolve(text) })
    socket.on('error', reject)
    socket.write(data)
  })
}

describe('control socket', () => {
  let home: string
  let server: ControlServer | undefined

  beforeEach(() => { home = mkdtempSync(join(tmpdir(), 'p2pgo-control-')) })
  afterEach(async () => {
    await server?.close()
    server = undefined
    rmSync(home, { recursive: true, force: true })
  })

  it('answers a method, owner-only, and is gone after close', async () => {
    server = await ControlServer.listen(home, { peers: () => ({ peers: [1, 2] }), slow: async () => 'done' })
    expect(statSync(join(home, CONTROL_SOCKET)).mode & 0o777).toBe(0o600)
    expect(await callControl(home, 'peers')).toEqual({ peers: [1, 2] })
    expect(await callControl(home, 'slow')).toBe('done')
    await server.close()
    server = undefined
    await expect(callControl(home, 'peers')).rejects.toBeInstanceOf(NoRunningNodeError)
  })

  it('refuses bad requests with an error answer and keeps serving', async () => {
    server = await ControlServer.listen(home, { peers: () => 'ok', broken: () => { throw new Error('boom') } })
    const path = join(home, CONTROL_SOCKET)
    expect(JSON.parse(await raw(path, 'not json\n'))).toEqual({ error: { code: 'bad-request', message: expect.any(String) } })
    expect(JSON.parse(await raw(path, '{"method":"toString"}\n')).error.code).toBe('unknown-method')
    expect(JSON.parse(await raw(path, '[]\n')).error.code).toBe('unknown-method')
    expect(JSON.parse(await raw(path, 'x'.repeat(MAX_LINE_BYTES + 10))).error.code).toBe('too-large')
    await expect(callControl(home, 'broken')).rejects.toThrow(ControlError)
    await expect(callControl(home, 'broken')).rejects.toThrow('failed: boom')
    expect(await callControl(home, 'peers')).toBe('ok')
  })

  it('replaces a socket file left by a crash, but not a live node\'s', async () => {
    writeFileSync(join(home, CONTROL_SOCKET), '')
    server = await ControlServer.listen(home, { peers: () => 'first' })
    await expect(ControlServer.listen(home, { peers: () => 'second' })).rejects.toThrow('already answers')
    expect(await callControl(home, 'peers')).toBe('first')
  })
})
