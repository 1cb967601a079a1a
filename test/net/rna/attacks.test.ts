// Attacks on RNA gossip and reputation, each against real nodes on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RNA_TOPIC } from '../../../src/net/rna/constants.js'
import { gossipControl } from '../../../src/net/adapters/gossipsub-internals.js'
import { encodeMrna, mrnaOf } from '../../../src/rna/mrna.js'
import { encodeRna, signRna } from '../../../src/rna/rna.js'
import { maxScore } from '../../../src/reputation/score.js'
import { defaultReputationParams as P } from '../../../src/reputation/params.js'
import { stopAll } from '../rating/harness.js'
import { finishedGame, mrnaBytes, someMoves } from '../../helpers/rna.js'
import { startNode, until, type NetNode } from './harness.js'
import type { Act } from '../../../src/wire/game-messages.js'
import type { Pair } from '../../helpers/sessions.js'

/** A node that joins `to` and waits until they share the RNA topic. */
async function join (to: readonly NetNode[], name: string): Promise<NetNode> {
  const x = await startNode([], name, undefined, { monitor: false })
  for (const y of to) await x.node.libp2p.dial(y.node.libp2p.getMultiaddrs()[0])
  await until(() => to.every(y => y.node.libp2p.services.pubsub.getSubscribers(RNA_TOPIC).some(p => p.equals(x.node.libp2p.peerId)) &&
    x.node.libp2p.services.pubsub.getSubscribers(RNA_TOPIC).some(p => p.equals(y.node.libp2p.peerId))), `${name} on the RNA topic`)
  return x
}

const publish = async (from: NetNode, bytes: Uint8Array): Promise<void> => {
  await from.node.libp2p.services.pubsub.publish(RNA_TOPIC, bytes)
}

/** A signed mRNA of a finished game, published now. */
async function rnaOf (pair: Pair, by: 'B' | 'W' = 'B'): Promise<Uint8Array> {
  return (await mrnaBytes(pair, by, Date.now())).bytes
}

describe('attacks on RNA gossip', () => {
  let honest: NetNode[]
  const extra: NetNode[] = []

  beforeAll(async () => {
    const first = await startNode([], 'h0', undefined, { monitor: false })
    honest = [first]
    for (let i = 1; i < 3; i++) honest.push(await join(honest, `h${i}`))
  }, 60_000)

  afterAll(async () => { await stopAll([...(honest ?? []), ...extra]) })

  it('a spammer flooding invalid RNA is rejected, and its score falls until it is pruned from the mesh', async () => {
    const spammer = await join(honest, 'spammer')
    extra.push(spammer)
    const victim = honest[0]
    const id = spammer.node.peerId
    const control = gossipControl(victim.node.libp2p.services.pubsub)
    await until(() => control.getMeshPeers(RNA_TOPIC).includes(id), 'the spammer in the victim\'s mesh', 20_000)
    expect(control.getScore(id)).toBeGreaterThanOrEqual(0)
    const rejected: string[] = []
    victim.node.rna.addEventListener('rna:rejected', e => { if (e.detail.peer === id) rejected.push(e.detail.reason) })
    // Garbage, a well-formed envelope with a broken signature, and a forged game.
    const good = await rnaOf(await finishedGame(someMoves(40, 30)))
    const broken = good.slice()
    broken[broken.length - 5] ^= 0xff
    for (let i = 0; i < 5; i++) await publish(spammer, crypto.getRandomValues(new Uint8Array(200 + i)))
    await publish(spammer, broken)
    await until(() => rejected.length >= 3, 'rejections')
    expect(rejected).toContain('malformed')
    await until(() => control.getScore(id) < 0, 'the spammer\'s score to fall below 0')
    await until(() => !control.getMeshPeers(RNA_TOPIC).includes(id), 'the spammer pruned from the mesh', 10_000)
    expect(victim.node.reputation.trust(id)).toBeLessThan(0.5)
    // Nothing of it was kept or passed on.
    expect((await victim.node.rna.list()).length).toBe(0)
    for (const h of honest) expect((await h.node.rna.list()).length).toBe(0)
  }, 60_000)

  it('a flood of valid but worthless RNA buys no more than the cap', async () => {
    const flooder = await join(honest, 'flooder')
    extra.push(flooder)
    const observer = honest[1]
    const me = flooder.node.peerId
    const key = flooder.key
    // 20 distinct short games (valid, just above the floor), 10 tiny ones (2 moves), and 10
    // copies of one game under new game IDs (duplicates): all signed by the flooder as origin.
    const cheap = await Promise.all(Array.from({ length: 20 }, async (_, i) => finishedGame(someMoves(100 + i, 12), {}, { B: key })))
    const tiny = await Promise.all(Array.from({ length: 10 }, async (_, i) => finishedGame(someMoves(200 + i, 2), {}, { B: key })))
    const copies = await Promise.all(Array.from({ length: 10 }, async () => finishedGame(someMoves(300, 12), {}, { B: key })))
    let ignored = 0
    observer.node.rna.addEventListener('rna:ignored', () => { ignored++ })
    for (const pair of [...cheap, ...tiny, ...copies]) await publish(flooder, await rnaOf(pair))
    await until(async () => (await observer.node.rna.list()).filter(r => r.meta.origin === me).length + ignored >= 39, 'every flood message handled', 20_000)
    const b = observer.node.reputation.breakdown(me)!
    expect(b.score).toBeLessThanOrEqual(P.perOriginCap)
    expect(b.capped).toBeGreaterThan(0)
    expect(b.penalties.spam).toBeGreaterThanOrEqual(10)
    // Only the games worth something were kept; tiny games and copies went no further.
    const kept = (await observer.node.rna.list()).filter(r => r.meta.origin === me)
    expect(kept.length).toBeLessThanOrEqual(21)
    expect(kept.every(r => r.quality >= 0.2)).toBe(true)
  }, 120_000)

  it('a ring of colluding identities forwarding each other\'s RNA stays within the documented bound', async () => {
    const k = 4
    const ring: NetNode[] = []
    for (let i = 0; i < k; i++) ring.push(await join([...honest, ...ring], `ring${i}`))
    extra.push(...ring)
    const observer = honest[2]
    // Each member originates 10 distinct games; gossip carries them around the ring and to the observer.
    for (const member of ring) {
      for (let g = 0; g < 10; g++) {
        const pair = await finishedGame(someMoves(1000 + ring.indexOf(member) * 100 + g, 30), {}, { B: member.key })
        await publish(member, await rnaOf(pair))
      }
    }
    await until(async () => (await observer.node.rna.list()).filter(r => ring.some(m => m.node.peerId === r.meta.origin)).length >= 4 * 10, 'the ring\'s games at the observer', 30_000)
    const oneWindow = Math.min(P.windowCap, P.perOriginCap * k)
    let total = 0
    for (const member of ring) {
      const score = observer.node.reputation.breakdown(member.node.peerId)?.score ?? 0
      expect(score).toBeLessThanOrEqual(oneWindow + 1e-9)
      expect(score).toBeLessThanOrEqual(maxScore(k))
      total += score
    }
    expect(total).toBeLessThanOrEqual(k * maxScore(k))
  }, 120_000)

  it('a tampered RNA (a changed move, the envelope re-signed) is rejected: the move\'s signature fails', async () => {
    const forger = await join(honest, 'forger')
    extra.push(forger)
    const pair = await finishedGame(someMoves(77, 30), {}, { B: forger.key })
    const body = mrnaOf(pair.start, { B: pair.black.acts.B, W: pair.black.acts.W })
    const i = body.chains.W.findIndex(e => 'kind' in e && e.kind === 'move')
    const move = body.chains.W[i] as Act
    const tampered = encodeMrna({ ...body, chains: { ...body.chains, W: body.chains.W.map((e, j) => (j === i ? { ...move, x: (move.x! + 1) % 9 } : e)) } })
    const rna = await signRna(forger.key, peerIdFromPrivateKey(forger.key).toMultihash().bytes, tampered, Date.now())
    const reasons: string[] = []
    honest[0].node.rna.addEventListener('rna:rejected', e => { if (e.detail.peer === forger.node.peerId) reasons.push(e.detail.reason) })
    await publish(forger, encodeRna(rna))
    await until(() => reasons.length > 0, 'the rejection')
    expect(reasons[0]).toBe('bad-signature')
    for (const h of honest) expect((await h.node.rna.list()).some(r => r.meta.origin === forger.node.peerId)).toBe(false)
  }, 60_000)
})
