// Friends on real nodes on 127.0.0.1 (protocols/lobby.md, "Friends, as built"): a player far from
// the reader's rating (never on its lobby topics) is shown open through its presence record in
// the DHT, then away; forged records are refused by the other nodes' validators; a friend removed
// is no longer read.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRESENCE_RECORD_MAX_BYTES, presenceKey, type Friends, type FriendStatus } from '../../../src/net/friends/index.js'
import { encodeLobbyV2 } from '../../../src/net/lobby/v2/messages.js'
import { rawPut, startNetwork, stopAll, until, type NetNode } from '../rating/harness.js'

const friendsOf = (x: NetNode): Friends => {
  const f = x.node.friends
  if (f == null) throw new Error('a player node runs the friends service')
  return f
}

/** Puts the node's own record (`kind`) until some DHT peer took it: by this call or by the service's own look, whichever comes first. */
async function putOnce (x: NetNode, kind: 'open' | 'away' = 'open'): Promise<void> {
  await until(async () => (await friendsOf(x).putOwn()) || friendsOf(x).lastPut?.kind === kind, `the ${kind} record to be put`, 60_000)
}

describe('friends followed through presence records in a DHT of 6 real nodes', () => {
  let net: NetNode[]
  let alice: NetNode
  let reader: NetNode
  let mallory: NetNode
  let aliceId: string

  beforeAll(async () => {
    net = await startNetwork(6)
    ;[, alice, reader, mallory] = net
    aliceId = alice.node.libp2p.peerId.toString()
    // Far apart: 45 and 10 are buckets 11 and 2 (mu / 4), and a node follows its bucket and the two next to it.
    alice.node.lobby.setPresence({ name: 'Alice', sizes: [9], ratings: { 9: { mu: 45, sigma: 2 } }, status: 'idle' })
    reader.node.lobby.setPresence({ name: 'Reader', sizes: [9], ratings: { 9: { mu: 10, sigma: 2 } }, status: 'idle' })
  }, 120_000)

  afterAll(async () => { await stopAll(net ?? []) })

  it('a friend far from my rating, not on my lobby topics, is shown open through its DHT record', async () => {
    await putOnce(alice)
    const seen: FriendStatus[] = []
    friendsOf(reader).addEventListener('friend', e => { seen.push(e.detail) })
    expect(friendsOf(reader).follow(aliceId)).toBe(true)
    let status: FriendStatus | undefined
    await until(async () => { status = await friendsOf(reader).read(aliceId); return status.state === 'open' }, 'Alice to be read as open', 60_000)
    expect(status).toMatchObject({ peer: aliceId, state: 'open', name: 'Alice', sizes: [9], ratings: { 9: { mu: 45, sigma: 2 } } })
    expect(friendsOf(reader).statuses()).toMatchObject([{ peer: aliceId, state: 'open', name: 'Alice' }])
    expect(seen.some(s => s.peer === aliceId && s.state === 'open')).toBe(true)
    // The lobby never showed her: she publishes on topics the reader does not follow.
    expect(reader.node.lobby.presenceOf(alice.node.libp2p.peerId)).toBeUndefined()
  }, 120_000)

  it('a friend who stops being open puts a leave: shown away, with the name kept', async () => {
    alice.node.lobby.setPresence({ name: 'Alice', sizes: [9], ratings: { 9: { mu: 45, sigma: 2 } }, status: 'playing' })
    await putOnce(alice, 'away')
    let status: FriendStatus | undefined
    await until(async () => { status = await friendsOf(reader).read(aliceId); return status.state === 'away' }, 'Alice to be read as away', 60_000)
    expect(status).toMatchObject({ peer: aliceId, state: 'away', name: 'Alice' })
  }, 120_000)

  it('forged records are refused by every other node: signed by another key, under a wrong key, oversized, expired, older than the one held', async () => {
    const key = presenceKey(alice.node.libp2p.peerId.toMultihash().bytes)
    const mal = peerIdFromPrivateKey(mallory.key).toMultihash().bytes
    const me = alice.node.libp2p.peerId.toMultihash().bytes
    const later = Date.now() + 60_000
    const byMallory = await encodeLobbyV2({ t: 'presence', peer: mal, name: 'Alice', sizes: [9], expires: Date.now() + 60_000, seq: later }, mallory.key)
    const expired = await encodeLobbyV2({ t: 'presence', peer: me, name: 'Alice', sizes: [9], expires: Date.now() - 1, seq: later }, alice.key)
    const good = await encodeLobbyV2({ t: 'presence', peer: me, name: 'Alice', sizes: [9], expires: Date.now() + 60_000, seq: later }, alice.key)
    const forged = good.slice()
    forged[forged.length - 1] ^= 1
    expect(await rawPut(mallory, key, byMallory)).toBe(0)
    expect(await rawPut(mallory, key, expired)).toBe(0)
    expect(await rawPut(mallory, key, forged)).toBe(0)
    expect(await rawPut(mallory, key, new Uint8Array(PRESENCE_RECORD_MAX_BYTES + 1))).toBe(0)
    // Alice's genuine record under Mallory's key: the key does not name its author.
    expect(await rawPut(mallory, presenceKey(mal), good)).toBe(0)
    // Alice's own presence, valid but older than the leave the nodes hold: a replay, refused as stale.
    const older = await encodeLobbyV2({ t: 'presence', peer: me, name: 'Alice', sizes: [9], expires: Date.now() + 60_000, seq: 1 }, alice.key)
    expect(await rawPut(mallory, key, older)).toBe(0)
    // The reader still reads Alice as she said: away.
    expect((await friendsOf(reader).read(aliceId)).state).toBe('away')
    // The same nodes take Alice's genuine record from Mallory (signed records may be handed on): the refusals above were the validator's.
    expect(await rawPut(mallory, key, good)).toBeGreaterThan(0)
  }, 120_000)

  it('a friend removed is no longer read', async () => {
    expect(friendsOf(reader).unfollow(aliceId)).toBe(true)
    const before = friendsOf(reader).reads.get(aliceId)
    await friendsOf(reader).readAll()
    expect(friendsOf(reader).reads.get(aliceId)).toBe(before)
    expect(friendsOf(reader).statuses()).toEqual([])
  }, 60_000)

  it('a peer nobody has a record of is not found', async () => {
    const nobody = net[4].node.libp2p.peerId.toString()
    friendsOf(reader).follow(nobody)
    expect((await friendsOf(reader).read(nobody)).state).toBe('not-found')
    friendsOf(reader).unfollow(nobody)
  }, 60_000)
})
