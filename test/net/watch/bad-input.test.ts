// Bad input at the watch protocol (protocols/watch.md) on real nodes on 127.0.0.1: a catch-up
// answer whose chain breaks part way, an oversized spectator message on a game's topic, a watch
// request for a game nobody has. Each is refused with a reason, costs whoever sent it, and leaves
// nothing behind but what was checked.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNode, stopAll, terms, until, type NetNode } from '../rating/harness.js'
import { askWatch, WatchRefusedError } from '../../../src/net/watch/ask.js'
import { LOOPBACK_ALLOW } from '../../../src/net/constants.js'
import { watchTopic, WATCH_PROTOCOL } from '../../../src/net/watch/wire/topic.js'
import { CHAT_DOMAIN, CHAT_MAX_BYTES, WATCH_VERSION } from '../../../src/net/watch/wire/index.js'
import { encodeWatchActs, encodeWatchEnd, encodeWatchStart } from '../../../src/net/watch/wire/messages.js'
import { ANSWER_MAX_BYTES, REQUEST_MAX_BYTES } from '../../../src/net/watch/wire/limits.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { encodeGameMessage, type Act } from '../../../src/wire/game-messages.js'
import { encodeStart } from '../../../src/wire/game-start.js'
import { cidOf } from '../../../src/wire/cid.js'
import { encodeCanonical, sign } from '../../../src/wire/index.js'
import type { Watching } from '../../../src/net/watch/index.js'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

const MOVES = 8
/** The act of the catch-up answer (in play order) the hostile answerer alters. */
const BROKEN_AT = 5

const point = (ply: number): { x: number, y: number } => ({ x: Math.floor(ply / 2), y: ply % 2 === 0 ? 0 : 4 })
const penalised = (judge: NetNode, culprit: string, reason: string): boolean =>
  judge.node.reputation.eventsOf(culprit).some(e => e.kind === 'invalid' && e.reason === reason)

describe('bad input on the watch protocol', () => {
  let nodes: NetNode[] = []
  let black: NetNode
  let white: NetNode
  let gameId: CID
  let hostile: Libp2p

  beforeAll(async () => {
    ;[black, white] = await Promise.all([startNode([], 'black'), startNode([], 'white')])
    nodes = [black, white]
    await black.node.libp2p.peerStore.merge(white.node.libp2p.peerId, { multiaddrs: white.node.libp2p.getMultiaddrs() })
    const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })
    gameId = started.gameId
    await until(() => white.node.games.session(gameId) != null, 'the game to start on both sides')
    for (let ply = 0; ply < MOVES; ply++) {
      const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
      await mover.node.games.perform(gameId, s => s.move(point(ply)))
      await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
    }
  }, 60_000)

  afterAll(async () => {
    await hostile?.stop()
    await stopAll(nodes)
  })

  /** A watcher of its own, knowing only `holder`'s addresses. */
  const watcherOf = async (holder: { peerId: PeerId, addrs: ReturnType<Libp2p['getMultiaddrs']> }): Promise<NetNode> => {
    const w = await startNode([], 'watcher')
    nodes.push(w)
    await w.node.libp2p.peerStore.merge(holder.peerId, { multiaddrs: holder.addrs })
    return w
  }

  it('takes a catch-up answer up to its broken act and nothing after, and the answerer pays for it', async () => {
    const session = black.node.games.session(gameId)!
    const inPlay: Act[] = session.acts.B.flatMap((b, i) => [b, ...(session.acts.W[i] != null ? [session.acts.W[i]] : [])])
    expect(inPlay).toHaveLength(MOVES)
    // A real start record and real acts, one of them altered after Black or White signed it.
    const acts = inPlay.map((act, i) => encodeGameMessage({ t: 'act', ...(i === BROKEN_AT ? { ...act, x: 8, y: 8 } : act) }))
    hostile = await createLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionManager: { allow: [...LOOPBACK_ALLOW] },
      services: { identify: identify() }
    })
    await hostile.handle(WATCH_PROTOCOL, async stream => {
      for await (const _ of decodeFrames(stream, { maxBytes: REQUEST_MAX_BYTES })) break
      for (const frame of [encodeWatchStart({ record: encodeStart(session.start), following: false, watchers: 0 }), encodeWatchActs(acts), encodeWatchEnd()]) {
        if (!stream.send(encodeFrame(frame, { maxBytes: ANSWER_MAX_BYTES }))) await stream.onDrain()
      }
      await stream.close()
    })
    const watcher = await watcherOf({ peerId: hostile.peerId, addrs: hostile.getMultiaddrs() })
    const watching = await watcher.node.watch.watch(gameId, { holders: [hostile.peerId] })
    await until(() => penalised(watcher, hostile.peerId.toString(), 'watch:broken-answer'), 'the broken answer to cost its answerer')
    // The prefix before the altered act, and none of the (genuine) acts after it.
    const game = watching.game!
    expect(game.turnActs.map(a => ({ x: a.x, y: a.y }))).toEqual(Array.from({ length: BROKEN_AT }, (_, ply) => point(ply)))
    expect(game.acts.B.length + game.acts.W.length).toBe(BROKEN_AT)
    expect(game.stopped).toBeUndefined()
    expect(await watcher.node.watch.watched()).toEqual([])
  }, 60_000)

  it('refuses a spectator message over 2,048 bytes at every watcher that receives it, and its sender pays', async () => {
    const watchers = await Promise.all(Array.from({ length: 3 }, async () => watcherOf({ peerId: black.node.libp2p.peerId, addrs: black.node.libp2p.getMultiaddrs() })))
    const chats = new Map<NetNode, string[]>()
    for (const w of watchers) {
      const watching: Watching = await w.node.watch.watch(gameId, { holders: [black.node.libp2p.peerId] })
      const lines: string[] = []
      watching.addEventListener('watch:chat', e => { lines.push(e.detail.text) })
      chats.set(w, lines)
    }
    const [sender, ...others] = watchers
    for (const w of others) await w.node.libp2p.dial(sender.node.libp2p.getMultiaddrs()[0])
    const topic = watchTopic(gameId)
    // In the sender's mesh for the topic: its streams to them are open (a message sent before is lost).
    await until(() => others.every(w => sender.node.libp2p.services.pubsub.getMeshPeers(topic).includes(w.node.libp2p.peerId.toString())), 'the other watchers to be in the sender\'s mesh for the topic')
    // Signed by its author, every field well formed, just too long as a whole.
    const fields = { v: WATCH_VERSION, t: 'watch-chat', game: gameId, peer: sender.node.libp2p.peerId.toMultihash().bytes, name: 'x'.repeat(CHAT_MAX_BYTES), text: 'hello', at: Date.now() }
    const big = encodeCanonical(await sign(sender.key, CHAT_DOMAIN, fields))
    expect(big.length).toBeGreaterThan(CHAT_MAX_BYTES)
    await sender.node.libp2p.services.pubsub.publish(topic, big)
    const from = sender.node.libp2p.peerId.toString()
    await until(() => others.every(w => penalised(w, from, 'watch:malformed')), 'every watcher that received it to refuse it')
    for (const w of others) expect(chats.get(w)).toEqual([])
  }, 60_000)

  it('refuses a watch request for a game nobody has with unknown-game and its sentence, and the watcher keeps nothing', async () => {
    const nobody = cidOf({ nobody: 'plays this' })
    const asker = await watcherOf({ peerId: black.node.libp2p.peerId, addrs: black.node.libp2p.getMultiaddrs() })
    const dialler = { openConnection: async (peer: PeerId, options: AbortOptions) => asker.node.libp2p.dial(peer, options), getConnections: (peer: PeerId) => asker.node.libp2p.getConnections(peer) } as unknown as ConnectionManager
    const refusal = await (async () => {
      try {
        for await (const _ of askWatch(dialler, black.node.libp2p.peerId, nobody, { have: { B: 0, W: 0 }, follow: false })) { /* nothing expected */ }
      } catch (err) {
        return err
      }
    })()
    expect(refusal).toBeInstanceOf(WatchRefusedError)
    expect((refusal as WatchRefusedError).reason).toBe('unknown-game')
    expect((refusal as Error).message).toContain(`this node neither plays nor watches game ${nobody.toString()}`)
    await expect(asker.node.watch.watch(nobody, { holders: [black.node.libp2p.peerId] })).rejects.toThrow(`nobody asked has game ${nobody.toString()}`)
    // Asking again starts afresh: nothing of the failed watch was kept.
    await expect(asker.node.watch.watch(nobody, { holders: [black.node.libp2p.peerId] })).rejects.toThrow(/neither plays nor watches/)
    expect(await asker.node.watch.watched()).toEqual([])
    for await (const _ of asker.node.datastore.queryKeys({ prefix: `/p2pgo/watched/${nobody.toString()}` })) expect.fail('a key of the unknown game was stored')
  }, 60_000)
})
