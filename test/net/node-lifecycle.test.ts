import { afterAll, describe, expect, it } from 'vitest'
import { startNode, stopAll, until, type NetNode } from './rating/harness.js'

describe('P2pgoNode lifecycle: start and stop can be repeated, and a restarted node works', () => {
  const nodes: NetNode[] = []
  afterAll(async () => { await stopAll(nodes) })

  it('a second start or stop does nothing; after stop and start again the rating service publishes and a peer reads the record', async () => {
    const reader = await startNode([], 'reader')
    nodes.push(reader)
    const address = reader.node.libp2p.getMultiaddrs()[0].toString()
    const player = await startNode([address], 'player')
    nodes.push(player)
    let listening = 0
    player.node.addEventListener('listening', () => { listening++ })
    await player.node.start()
    expect(listening).toBe(0)

    await player.node.stop()
    await player.node.stop()
    expect(player.node.libp2p.status).toBe('stopped')

    await player.node.start()
    expect(listening).toBe(1)
    await player.node.libp2p.dial(reader.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
    // Every service stopped with the node; each must run again (a dead abort signal would fail the put at once).
    await until(async () => (await player.node.ratings.publish({ signal: AbortSignal.timeout(10_000) })).peers > 0, 'a DHT peer to take the record')
    const record = await reader.node.ratings.fetchRecord(player.node.peerId, { signal: AbortSignal.timeout(20_000) })
    expect(record.seq).toBe(player.node.ratings.ownRecord?.seq)
    expect(player.node.games.games).toEqual([])
    expect(player.node.lobby.ownReach()).toBeUndefined()
  })
})
