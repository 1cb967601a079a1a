import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { challengeNode, connect, nextEvent, rawNode, terms9, type ChallengeNode, type RawNode } from './nodes.js'

describe('challenge over a circuit relay (a limited connection)', () => {
  let relay: RawNode
  let a: ChallengeNode
  let b: ChallengeNode

  beforeAll(async () => {
    relay = await rawNode({ relayServer: {} })
    // Bob listens only through the relay: no direct address exists for anyone (DCUtR included) to upgrade to.
    b = await challengeNode({ decide: async () => ({ accept: true, name: 'Bob' }) }, { listen: ['/p2p-circuit'] })
    a = await challengeNode()
    const reserved = new Promise<void>(resolve => {
      b.addEventListener('self:peer:update', () => {
        if (b.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))) resolve()
      })
    })
    await connect(b, relay)
    await reserved
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), relay?.stop()])
  })

  it('agrees a game when the only connection between the players is relayed', async () => {
    const circuit = b.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit'))
    if (circuit == null) throw new Error('no relay reservation')
    const connection = await a.dial(multiaddr(circuit.toString()), { signal: AbortSignal.timeout(10_000) })
    expect(connection.limits).not.toBeNull()
    const theirs = nextEvent(b, 'game')
    const game = await a.services.challenge.propose(b.peerId, { terms: terms9, color: 'white', name: 'Ann' }, { signal: AbortSignal.timeout(20_000) })
    expect(game.gameId.equals((await theirs).gameId)).toBe(true)
    expect(game.me).toBe('W')
    // Nothing bypassed the relay: every connection between the two is still the limited one.
    expect(a.getConnections(b.peerId).every(c => c.limits != null)).toBe(true)
  })
})
