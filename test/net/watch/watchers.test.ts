// Watching a live game (protocols/watch.md) on real nodes: two players, thirty watchers on
// 127.0.0.1. Each player feeds a seed; gossip carries the acts to the others; a late watcher
// catches up from another watcher; forged acts, chat in a player's name and a flood of requests
// are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromString } from '@libp2p/peer-id'
import { startNode, stopAll, terms, until, type NetNode } from '../rating/harness.js'
import { askWatch, WatchRefusedError } from '../../../src/net/watch/ask.js'
import { watchTopic } from '../../../src/net/watch/wire/topic.js'
import { CHAT_DOMAIN, WATCH_VERSION } from '../../../src/net/watch/wire/index.js'
import { ACT_DOMAIN, actToSign, encodeGameMessage, type Act } from '../../../src/wire/game-messages.js'
import { cidOf } from '../../../src/wire/cid.js'
import { encodeCanonical, sign } from '../../../src/wire/index.js'
import { actMessage } from '../../../src/wire/game-messages.js'
import type { Watching } from '../../../src/net/watch/index.js'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

const WATCHERS = 30
const MOVES = 30
const LATE_AT = 20

/** Black fills rows 0 and 2, White rows 4 and 6: legal, and nothing is ever captured. */
function point (ply: number): { x: number, y: number } {
  const k = Math.floor(ply / 2)
  const black = ply % 2 === 0
  return { x: k % 9, y: (black ? 0 : 4) + (k < 9 ? 0 : 2) }
}

const sgf = (p: { x: number, y: number }): string => String.fromCharCode(97 + p.x) + String.fromCharCode(97 + p.y)

interface Seen { moves: string[], ended?: { result: string, cosigned: boolean }, chats: string[], watching: Watching }

describe(`watching a live game: two players, ${WATCHERS} watchers`, () => {
  let nodes: NetNode[] = []
  let black: NetNode
  let white: NetNode
  let watchers: NetNode[]
  let late: NetNode
  let gameId: CID
  const seen = new Map<NetNode, Seen>()

  const follow = async (w: NetNode, holders: NetNode[]): Promise<void> => {
    // The players' addresses, as their live entries in the lobby carry them (signed peer records).
    for (const h of holders) await w.node.libp2p.peerStore.merge(h.node.libp2p.peerId, { multiaddrs: h.node.libp2p.getMultiaddrs() })
    const watching = await w.node.watch.watch(gameId, { holders: holders.map(h => h.node.libp2p.peerId) })
    const s: Seen = { moves: [], chats: [], watching }
    watching.addEventListener('watch:move', e => { s.moves.push(e.detail.move) })
    watching.addEventListener('watch:ended', e => { s.ended = { result: e.detail.result, cosigned: e.detail.cosigned } })
    watching.addEventListener('watch:chat', e => { s.chats.push(`${e.detail.name}: ${e.detail.text}`) })
    // Moves applied during the catch-up, before the listener: take them from the game itself.
    s.moves.push(...(watching.game?.turnActs ?? []).map(a => sgf({ x: a.x ?? 0, y: a.y ?? 0 })))
    seen.set(w, s)
  }

  const play = async (ply: number): Promise<void> => {
    const [mover, other] = ply % 2 === 0 ? [black, white] : [white, black]
    await mover.node.games.perform(gameId, s => s.move(point(ply)))
    await until(() => (other.node.games.session(gameId)?.turnActs.length ?? 0) > ply, `move ${ply + 1} to reach the opponent`)
  }

  beforeAll(async () => {
    const boot = await startNode([], 'boot', undefined, { monitor: false })
    const address = boot.node.libp2p.getMultiaddrs()[0].toString()
    const rest = await Promise.all(Array.from({ length: WATCHERS + 2 }, async (_, i) => startNode([address], `n${i}`, undefined, { monitor: false })))
    nodes = [boot, ...rest]
    ;[black, white] = rest
    watchers = rest.slice(2, 2 + WATCHERS - 1)
    late = rest[2 + WATCHERS - 1]
    // Watchers know a few other watchers, as nodes that met on the network would.
    await Promise.all(watchers.map(async (w, i) => {
      for (const k of [1, 3, 7]) await w.node.libp2p.dial(watchers[(i + k) % watchers.length].node.libp2p.getMultiaddrs()[0]).catch(() => {})
    }))
    // The players met (in the lobby, say): Black knows where White is.
    await black.node.libp2p.dial(white.node.libp2p.getMultiaddrs()[0])
    const started = await black.node.challenge.propose(white.node.libp2p.peerId, { terms, color: 'black', name: 'black' }, { signal: AbortSignal.timeout(20_000) })
    gameId = started.gameId
    await until(() => white.node.games.session(gameId) != null && black.node.games.session(gameId) != null, 'the game to start on both sides')
    // Watchers arrive a few at a time, as people do: the later ones get the game from watchers already there.
    for (let i = 0; i < watchers.length; i += 5) await Promise.all(watchers.slice(i, i + 5).map(async w => { await follow(w, [black, white]) }))
  }, 180_000)

  afterAll(async () => { await stopAll(nodes) })

  it('feeds one seed per player, and every watcher sees every move in order', async () => {
    for (let ply = 0; ply < LATE_AT; ply++) await play(ply)
    const expected = Array.from({ length: LATE_AT }, (_, ply) => sgf(point(ply)))
    await until(() => watchers.every(w => seen.get(w)!.moves.length >= LATE_AT), `every watcher to see ${LATE_AT} moves`, 60_000)
    for (const w of watchers) expect(seen.get(w)!.moves).toEqual(expected)
    for (const player of [black, white]) expect(player.node.watch.seedsOf(gameId)).toBeLessThanOrEqual(1)
    expect(black.node.watch.seedsOf(gameId) + white.node.watch.seedsOf(gameId)).toBeGreaterThan(0)
  }, 120_000)

  it('a watcher joining at move 20 catches up from another watcher and then follows', async () => {
    await follow(late, [watchers[0]])
    await until(() => seen.get(late)!.moves.length >= LATE_AT, 'the late watcher to catch up')
    expect(seen.get(late)!.moves).toEqual(Array.from({ length: LATE_AT }, (_, ply) => sgf(point(ply))))
  }, 60_000)

  it('refuses an act forged in a player\'s name: no watcher applies it, and the forger is penalised', async () => {
    const forger = watchers[5]
    const session = black.node.games.session(gameId)!
    const last = session.acts.B.at(-1)!
    const unsigned = { game: gameId, by: 'B' as const, n: last.n + 1, prev: cidOf(actMessage(last)), seen: session.acts.W.length, at: Date.now(), kind: 'move' as const, ply: LATE_AT, x: 8, y: 8, clock: 0 }
    // Signed with the forger's key, not Black's.
    const forged: Act = { ...unsigned, sig: (await sign(forger.key, ACT_DOMAIN, actToSign(unsigned))).sig }
    await forger.node.libp2p.services.pubsub.publish(watchTopic(gameId), encodeGameMessage({ t: 'act', ...forged }))
    const penalised = (): NetNode[] => watchers.filter(w => w.node.reputation.eventsOf(forger.node.peerId).some(e => e.kind === 'invalid' && e.reason === 'watch:bad-signature'))
    await until(() => penalised().length > 0, 'a neighbour of the forger to refuse its act')
    for (const w of [...watchers, late]) expect(seen.get(w)!.watching.game!.acts.B.length).toBe(last.n)
  }, 60_000)

  it('passes spectator chat between watchers, and refuses chat signed by a player or in a player\'s name', async () => {
    const topic = watchTopic(gameId)
    await seen.get(watchers[1])!.watching.say(...await chatOf(watchers[1], 'what a game'))
    // Black, a player, says something on the topic while the game runs.
    const fromBlack = await signedChat(black, black, 'hello watchers')
    await black.node.libp2p.services.pubsub.publish(topic, fromBlack).catch(() => {})
    // A watcher signs a line as if Black said it.
    const inBlacksName = await signedChat(watchers[2], black, 'resign now')
    await watchers[2].node.libp2p.services.pubsub.publish(topic, inBlacksName)
    await until(() => watchers.filter(w => w !== watchers[1]).every(w => seen.get(w)!.chats.includes('n3: what a game')), 'every other watcher to hear the chat', 30_000)
    const refusedBy = (culprit: NetNode, reason: string): number => [...watchers, late].filter(w => w.node.reputation.eventsOf(culprit.node.peerId).some(e => e.kind === 'invalid' && e.reason === reason)).length
    await until(() => refusedBy(watchers[2], 'watch:wrong-peer') + refusedBy(watchers[2], 'watch:bad-signature') > 0, 'the line in Black\'s name to be refused')
    for (const w of [...watchers, late]) {
      expect(seen.get(w)!.chats.some(c => c.includes('hello watchers') || c.includes('resign now'))).toBe(false)
    }
  }, 60_000)

  it('limits a watcher that floods a player with requests, and the flood costs it reputation', async () => {
    const flooder = late
    const refusals: string[] = []
    for (let i = 0; i < 14; i++) {
      try {
        for await (const _ of askWatch(dialler(flooder), black.node.libp2p.peerId, gameId, { have: { B: 0, W: 0 }, follow: false })) { /* drained */ }
      } catch (err) {
        if (err instanceof WatchRefusedError) refusals.push(err.reason)
        else throw err
      }
    }
    expect(refusals.length).toBeGreaterThanOrEqual(14 - 6)
    expect(new Set(refusals)).toEqual(new Set(['rate']))
    expect(black.node.reputation.eventsOf(flooder.node.peerId).some(e => e.kind === 'invalid' && e.reason === 'watch:flood')).toBe(true)
  }, 60_000)

  it('every watcher sees the rest of the game and its co-signed result', async () => {
    for (let ply = LATE_AT; ply < MOVES; ply++) await play(ply)
    await white.node.games.perform(gameId, s => s.resign())
    const expected = Array.from({ length: MOVES }, (_, ply) => sgf(point(ply)))
    const everyone = [...watchers, late]
    await until(() => everyone.every(w => seen.get(w)!.ended?.cosigned === true), 'every watcher to see the co-signed result', 60_000)
    for (const w of everyone) {
      expect(seen.get(w)!.moves).toEqual(expected)
      expect(seen.get(w)!.ended).toEqual({ result: 'B+R', cosigned: true })
    }
  }, 120_000)

  /** What askWatch needs of a connection manager, from a node's public face. */
  function dialler (x: NetNode): ConnectionManager {
    return { openConnection: async (peer: PeerId, options: AbortOptions) => x.node.libp2p.dial(peer, options), getConnections: (peer: PeerId) => x.node.libp2p.getConnections(peer) } as unknown as ConnectionManager
  }

  /** A watcher's own chat line, as the service signs it. */
  async function chatOf (w: NetNode, text: string): Promise<[Uint8Array, Awaited<ReturnType<typeof import('../../../src/net/watch/wire/chat.js').decodeWatchChat>>]> {
    const { encodeWatchChat, decodeWatchChat } = await import('../../../src/net/watch/wire/chat.js')
    const bytes = await encodeWatchChat({ game: gameId, peer: w.node.libp2p.peerId.toMultihash().bytes, name: `n${nodes.indexOf(w) - 1}`, text, at: Date.now() }, w.key)
    return [bytes, decodeWatchChat(bytes)]
  }

  /** A chat line naming `as` as its author, signed by `signer`'s key (a forgery when they differ). */
  async function signedChat (signer: NetNode, as: NetNode, text: string): Promise<Uint8Array> {
    const fields = { v: WATCH_VERSION, t: 'watch-chat', game: gameId, peer: peerIdFromString(as.node.peerId).toMultihash().bytes, name: 'black', text, at: Date.now() }
    return encodeCanonical(await sign(signer.key, CHAT_DOMAIN, fields))
  }
})
