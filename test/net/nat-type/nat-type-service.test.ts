import { afterEach, describe, expect, it } from 'vitest'
import { defaultLogger } from '@libp2p/logger'
import { StunServer } from '../../../src/net/stun/stun-server.js'
import { natType } from '../../../src/net/nat-type/index.js'

const servers: StunServer[] = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async s => s.stop())) })

async function server (): Promise<StunServer> {
  const s = new StunServer({ port: 0, hosts: ['127.0.0.1'] })
  await s.start()
  servers.push(s)
  return s
}

describe('the NAT type service', () => {
  it('knows nothing before start, probes at start, and holds the answer', async () => {
    const [a, b] = [await server(), await server()]
    const service = natType({ servers: [`stun:127.0.0.1:${a.port}`, `stun:127.0.0.1:${b.port}`] })({ logger: defaultLogger() })
    expect(service.classification()).toBeUndefined()
    service.start()
    expect((await service.known())?.type).toBe('none')
    expect(service.classification()?.type).toBe('none')
    service.stop()
  })

  it('with no STUN server: unknown, and says why', async () => {
    const service = natType({ servers: [] })({ logger: defaultLogger() })
    service.start()
    expect(await service.known()).toEqual({ type: 'unknown', publicAddresses: [], reason: 'no STUN server known' })
    service.stop()
  })

  it('stopped mid-probe: the cut-short probe is not taken for an answer', async () => {
    const service = natType({ servers: ['stun:127.0.0.1:9'] })({ logger: defaultLogger() })
    service.start()
    const pending = service.known()
    service.stop()
    await pending
    expect(service.classification()).toBeUndefined()
  })
})
