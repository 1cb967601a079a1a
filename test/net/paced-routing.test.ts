import { peerRoutingSymbol } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { pacedPeerRouting, withPacedPeerRouting } from '../../src/net/paced-routing.js'
import type { PeerId, PeerInfo, PeerRouting } from '@libp2p/interface'

/** A clock that only moves when slept on. */
function fakeClock (): { now: () => number, sleep: (ms: number, signal?: AbortSignal) => Promise<void>, slept: number[] } {
  let t = 0
  const slept: number[] = []
  return {
    now: () => t,
    slept,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      slept.push(ms)
      t += Math.max(0, ms)
    }
  }
}

const peer = { id: 'peer' as unknown as PeerId, multiaddrs: [] } satisfies PeerInfo

function routing (starts: number[], clock: { now: () => number }): PeerRouting {
  return {
    findPeer: async () => peer,
    async * getClosestPeers () {
      starts.push(clock.now())
      yield peer
    }
  }
}

async function drain (it: AsyncIterable<PeerInfo>): Promise<PeerInfo[]> {
  const out: PeerInfo[] = []
  for await (const p of it) out.push(p)
  return out
}

describe('paced peer routing', () => {
  it('starts closest-peer lookups at most once per interval, in the order asked, and yields what the router found', async () => {
    const clock = fakeClock()
    const starts: number[] = []
    const paced = pacedPeerRouting(routing(starts, clock), 1000, clock)
    for (let i = 0; i < 4; i++) expect(await drain(paced.getClosestPeers(new Uint8Array(32)))).toEqual([peer])
    expect(starts).toEqual([0, 1000, 2000, 3000])
  })

  it('does not wait when the last lookup is an interval old, and passes findPeer straight through', async () => {
    const clock = fakeClock()
    const starts: number[] = []
    const paced = pacedPeerRouting(routing(starts, clock), 1000, clock)
    await drain(paced.getClosestPeers(new Uint8Array(32)))
    await clock.sleep(5000)
    await drain(paced.getClosestPeers(new Uint8Array(32)))
    expect(starts).toEqual([0, 5000])
    expect(await paced.findPeer(peer.id)).toBe(peer)
    expect(clock.slept.filter(ms => ms > 0)).toEqual([5000])
  })

  it('gives up waiting when the caller aborts', async () => {
    const starts: number[] = []
    const paced = pacedPeerRouting(routing(starts, { now: Date.now }), 60_000)
    await drain(paced.getClosestPeers(new Uint8Array(32)))
    const controller = new AbortController()
    const waiting = drain(paced.getClosestPeers(new Uint8Array(32), { signal: controller.signal }))
    controller.abort(new Error('caller gave up'))
    await expect(waiting).rejects.toThrow('caller gave up')
    expect(starts).toHaveLength(1)
  })

  it('replaces the peer routing a service hands libp2p, and leaves a service without one alone', () => {
    const inner = routing([], { now: Date.now })
    const service = { name: 'dht', get [peerRoutingSymbol] () { return inner } }
    const wrapped = withPacedPeerRouting(() => service)({})
    expect(wrapped.name).toBe('dht')
    expect(wrapped[peerRoutingSymbol]).not.toBe(inner)
    expect(typeof wrapped[peerRoutingSymbol].getClosestPeers).toBe('function')
    const plain = { name: 'other' }
    expect(withPacedPeerRouting(() => plain)({})).toBe(plain)
  })
})
