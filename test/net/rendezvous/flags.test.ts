// The rendezvous as the command line and config.json set it: on by default, off with
// --no-rendezvous, off with --local unless a list is given, bad lists refused in words.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, validateConfig } from '../../../src/config/config.js'
import { openNode, type NodeFlags } from '../../../src/home/open-node.js'

const dirs: string[] = []
const closes: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(closes.splice(0).map(async c => c()))
  await Promise.all(dirs.splice(0).map(async d => rm(d, { recursive: true, force: true })))
})

const STAND_IN = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8'

async function rendezvousOf (flags: Omit<NodeFlags, 'home'>): Promise<boolean> {
  const home = await mkdtemp(join(tmpdir(), 'p2pgo-rendezvous-'))
  dirs.push(home)
  const { node, close } = await openNode({ home, listen: '/ip4/127.0.0.1/tcp/0', ...flags }, 'player')
  closes.push(close)
  return node.rendezvous != null
}

describe('rendezvous flags and config', () => {
  it.each([
    ['on by default', {}, true],
    ['off with --no-rendezvous', { 'no-rendezvous': true }, false],
    ['off with --local', { local: true }, false],
    ['on with --local and an explicit --rendezvous', { local: true, rendezvous: STAND_IN }, true]
  ] as const)('%s', async (_what, flags, on) => {
    expect(await rendezvousOf(flags)).toBe(on)
  })

  it('refuses --rendezvous with --no-rendezvous', async () => {
    await expect(rendezvousOf({ rendezvous: STAND_IN, 'no-rendezvous': true })).rejects.toThrow(/--rendezvous or --no-rendezvous, not both/)
  })

  it('refuses addresses that are not multiaddrs or name no peer', () => {
    expect(() => validateConfig({ rendezvous: ['/ip4/1.2.3.4/tcp/4001'] }, 'config.json')).toThrow(ConfigError)
    expect(() => validateConfig({ rendezvous: ['/ip4/1.2.3.4/tcp/4001'] }, 'config.json')).toThrow(/rendezvous\[0\].*\/p2p\/<peer ID>/)
    expect(() => validateConfig({ rendezvous: 'x' }, 'config.json')).toThrow(/rendezvous/)
    expect(validateConfig({ rendezvous: [STAND_IN] }, 'config.json')).toEqual({ rendezvous: [STAND_IN] })
  })
})
