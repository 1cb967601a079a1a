import { afterEach, describe, expect, it } from 'vitest'
import { createSocket } from 'node:dgram'
import { StunServer, STUN_RATE_PER_SECOND } from '../../../src/net/stun/stun-server.js'
import { bindingRequest, parseBindingResponse } from '../../../src/wire/stun.js'

const servers: StunServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.stop())) })

async function server (now?: () => number): Promise<StunServer> {
  const s = new StunServer({ port: 0, hosts: ['127.0.0.1'], ...(now != null ? { now } : {}) })
  await s.start()
  servers.push(s)
  return s
}

async function until (check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

describe('STUN server on UDP', () => {
  it('tells a client the address and port it sends from, and drops junk', async () => {
    const s = await server()
    const client = createSocket('udp4')
    await new Promise<void>(resolve => { client.bind(0, '127.0.0.1', () => { resolve() }) })
    const replies: Buffer[] = []
    client.on('message', m => replies.push(m))
    const tid = crypto.getRandomValues(new Uint8Array(12))
    client.send(Buffer.from('hello, are you a reflector?'), s.port, '127.0.0.1')
    client.send(bindingRequest(tid), s.port, '127.0.0.1')
    await until(() => replies.length === 1)
    expect(parseBindingResponse(replies[0], tid)).toEqual({ address: '127.0.0.1', port: client.address().port })
    expect(s.counts).toMatchObject({ answered: 1, dropped: 1 })
    client.close()
  })

  it('rate-limits each source address', async () => {
    const s = await server()
    const client = createSocket('udp4')
    const sent = STUN_RATE_PER_SECOND * 3
    for (let i = 0; i < sent; i++) client.send(bindingRequest(crypto.getRandomValues(new Uint8Array(12))), s.port, '127.0.0.1')
    await until(() => s.counts.answered + s.counts.limited === sent)
    // However the burst falls across second boundaries, at most two seconds' budget is answered.
    expect(s.counts.answered).toBeLessThanOrEqual(STUN_RATE_PER_SECOND * 2)
    expect(s.counts.limited).toBeGreaterThan(0)
    client.close()
  })

  it('answers exactly one second\'s budget per source, and a new second\'s budget when its clock moves on', async () => {
    let at = 1_700_000_000_000
    const s = await server(() => at)
    const client = createSocket('udp4')
    const burst = async (n: number): Promise<void> => {
      const before = s.counts.answered + s.counts.limited
      for (let i = 0; i < n; i++) client.send(bindingRequest(crypto.getRandomValues(new Uint8Array(12))), s.port, '127.0.0.1')
      await until(() => s.counts.answered + s.counts.limited === before + n)
    }
    await burst(STUN_RATE_PER_SECOND + 5)
    expect(s.counts).toMatchObject({ answered: STUN_RATE_PER_SECOND, limited: 5 })
    at += 1000
    await burst(3)
    expect(s.counts).toMatchObject({ answered: STUN_RATE_PER_SECOND + 3, limited: 5 })
    client.close()
  })
})
