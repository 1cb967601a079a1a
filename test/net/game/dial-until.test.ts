// A path upgrade's dial is cancelled by the attempt only while it is under way: TCP destroys a
// socket whose dial signal aborts at any time later (net.connect's `signal`), so a connection
// dialled with the attempt's own signal died the moment the attempt cancelled its other dials.
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { dialUntil } from '../../../src/net/game/dial-until.js'
import { gameNode, until, type GameNode } from '../../helpers/game-nodes.js'

const running: GameNode[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async n => n.stop())) })

describe('dialUntil', () => {
  it('keeps the connection open when a stop aborts after the dial', async () => {
    const a = await gameNode()
    const b = await gameNode()
    running.push(a.node, b.node)
    const target = multiaddr(b.node.getMultiaddrs()[0].toString())
    const won = new AbortController()
    const kept = await dialUntil(a.node.components.transportManager, target, [won.signal])
    won.abort()
    // What the library does with a signal that aborts later, for contrast: that socket dies.
    const later = new AbortController()
    const plain = await a.node.components.transportManager.dial(target, { signal: later.signal })
    later.abort()
    await until(() => plain.status !== 'open', 'the plainly dialled connection to die with its signal')
    expect(kept.status).toBe('open')
    const stream = await kept.newStream('/ipfs/ping/1.0.0')
    await stream.close()
  })

  it('gives up while a stop aborts during the dial', async () => {
    const a = await gameNode()
    running.push(a.node)
    const stop = new AbortController()
    stop.abort()
    await expect(dialUntil(a.node.components.transportManager, multiaddr('/ip4/127.0.0.1/tcp/9'), [stop.signal])).rejects.toThrow()
  })
})
