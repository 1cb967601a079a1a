import { afterEach, describe, expect, it } from 'vitest'
import { createSocket } from 'node:dgram'
import { StunServer } from '../../../src/net/stun/stun-server.js'
import { probeNatType, stunServerOf } from '../../../src/net/nat-type/stun-probe.js'

const servers: StunServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.stop())) })

async function server (): Promise<StunServer> {
  const s = new StunServer({ port: 0, hosts: ['127.0.0.1'] })
  await s.start()
  servers.push(s)
  return s
}

describe('STUN probe over real UDP on 127.0.0.1', () => {
  it('two responders seeing this machine\'s own address: no NAT', async () => {
    const [s1, s2] = [await server(), await server()]
    const result = await probeNatType([`stun:127.0.0.1:${s1.port}`, `stun:127.0.0.1:${s2.port}`])
    expect(result.type).toBe('none')
    expect(result.answers.map(x => x.mapped?.address)).toEqual(['127.0.0.1', '127.0.0.1'])
    expect(result.publicAddresses).toHaveLength(1)
    expect(s1.counts.answered + s2.counts.answered).toBeGreaterThanOrEqual(2)
  })

  it('a server that never answers (a socket that reads and drops): UDP blocked, once the wait is over', async () => {
    const silent = createSocket('udp4')
    await new Promise<void>(resolve => { silent.bind(0, '127.0.0.1', () => { resolve() }) })
    let heard = 0
    silent.on('message', () => { heard++ })
    try {
      const result = await probeNatType([`stun:127.0.0.1:${silent.address().port}`], { timeoutMs: 2_000 })
      expect(result.type).toBe('udp-blocked')
      // It was asked again (retries), and not endlessly.
      expect(heard).toBeGreaterThanOrEqual(2)
      expect(heard).toBeLessThanOrEqual(3)
    } finally {
      silent.close()
    }
  })

  it('a junk answer is ignored, not taken for a mapping', async () => {
    const liar = createSocket('udp4')
    await new Promise<void>(resolve => { liar.bind(0, '127.0.0.1', () => { resolve() }) })
    liar.on('message', (_m, r) => { liar.send(Buffer.alloc(2000, 7), r.port, r.address); liar.send(Buffer.from('not stun at all, sorry'), r.port, r.address) })
    try {
      const result = await probeNatType([`stun:127.0.0.1:${liar.address().port}`], { timeoutMs: 1_000 })
      expect(result.type).toBe('udp-blocked')
    } finally {
      liar.close()
    }
  })

  it('no usable server: unknown, nothing sent', async () => {
    expect((await probeNatType(['stun:[::1]:3478', 'turn:x'])).type).toBe('unknown')
    expect(stunServerOf('stun:relay.example.org')).toEqual({ host: 'relay.example.org', port: 3478 })
  })
})
