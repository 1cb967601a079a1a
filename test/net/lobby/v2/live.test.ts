// Live entries (protocols/watch.md, "Live games in the lobby"): the codec round-trips and refuses
// an entry signed by someone else than its author, or whose author is not one of the game's
// players; the view keeps one listing per game, newest seq per author, drops it on the author's
// `leave` and on expiry, and stays bounded.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { checkLobbyV2, encodeLobbyV2, type LiveV2 } from '../../../../src/net/lobby/v2/messages.js'
import { LiveView } from '../../../../src/net/lobby/v2/live-view.js'
import { liveFits, liveTopic } from '../../../../src/net/lobby/v2/live.js'
import { cidOf } from '../../../../src/wire/cid.js'
import { forgeV2 } from './forge.js'

const now = 1_767_225_600_000
const maxTtl = 390_000
const [blackKey, whiteKey, malloryKey] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
const [blackId, whiteId, malloryId] = [blackKey, whiteKey, malloryKey].map(k => peerIdFromPrivateKey(k))
const black = blackId.toMultihash().bytes
const white = whiteId.toMultihash().bytes
const game = await cidOf({ a: 1 })
const otherGame = await cidOf({ a: 2 })

const live = (over: Partial<Omit<LiveV2, 'sig'>> = {}): Omit<LiveV2, 'sig'> => ({
  t: 'live', peer: black, game, size: 9, black, white, names: { B: 'Alice', W: 'Bob' }, ratings: { B: { mu: 27, sigma: 3 }, W: { mu: 19, sigma: 4 } }, ply: 12, watchers: 3, expires: now + 90_000, seq: 5, ...over
})

describe('the live entry codec', () => {
  it('round-trips a live entry signed by one of the players', async () => {
    for (const [peer, k] of [[black, blackKey], [white, whiteKey]] as const) {
      const bytes = await encodeLobbyV2(live({ peer }), k)
      const checked = await checkLobbyV2(bytes, now, { maxTtl, from: peerIdFromPrivateKey(k) })
      expect('message' in checked && checked.message).toMatchObject({ t: 'live', ply: 12, watchers: 3, size: 9, names: { B: 'Alice', W: 'Bob' } })
    }
  })

  it('round-trips an unrated game (no ratings)', async () => {
    const { ratings: _r, ...unrated } = live()
    const checked = await checkLobbyV2(await encodeLobbyV2(unrated, blackKey), now, { maxTtl })
    expect('message' in checked && checked.message.t === 'live' && checked.message.ratings).toBe(undefined)
  })

  it('refuses a live entry signed by someone else than its author', async () => {
    const checked = await checkLobbyV2(await forgeV2(live(), malloryKey), now, { maxTtl })
    expect('error' in checked && checked.error.reason).toBe('wrong')
  })

  it('refuses a live entry whose author is not one of the game\'s players', async () => {
    const mallory = malloryId.toMultihash().bytes
    const checked = await checkLobbyV2(await forgeV2(live({ peer: mallory }), malloryKey), now, { maxTtl })
    expect('error' in checked && checked.error.reason).toBe('schema')
    expect('error' in checked && checked.error.message).toMatch(/one of the game's players/)
    await expect(encodeLobbyV2(live({ peer: mallory }), malloryKey)).rejects.toThrow(/one of the game's players/)
  })

  it('refuses a game whose black and white are the same player, an expired entry and one too far ahead', async () => {
    const same = await checkLobbyV2(await forgeV2(live({ white: black }), blackKey), now, { maxTtl })
    expect('error' in same && same.error.reason).toBe('schema')
    const expired = await checkLobbyV2(await forgeV2(live({ expires: now - 1 }), blackKey), now, { maxTtl })
    expect('error' in expired && expired.error.reason).toBe('expired')
    const far = await checkLobbyV2(await forgeV2(live({ expires: now + maxTtl + 1 }), blackKey), now, { maxTtl })
    expect('error' in far && far.error.reason).toBe('expires-too-far')
  })

  it('goes on the topic of its author\'s rating in the game', () => {
    expect(liveTopic(live())).toEqual({ size: 9, bucket: 6 })
    expect(liveTopic(live({ peer: white }))).toEqual({ size: 9, bucket: 4 })
    expect(liveFits(live(), { size: 9, bucket: 4 })).toBe(false)
    expect(liveFits(live(), { size: 13, bucket: 6 })).toBe(false)
  })
})

const limits = { maxGames: 3, tombstoneTtl: 400_000, ttl: 390_000 }
const apply = (v: LiveView, over: Partial<Omit<LiveV2, 'sig'>>, at = now): ReturnType<LiveView['apply']> => {
  const msg = { ...live(over), sig: new Uint8Array(64) }
  return v.apply(msg, msg.peer === white ? whiteId : msg.peer === black ? blackId : malloryId, at, new Uint8Array([1]))
}

describe('the live view', () => {
  it('lists a game once though both players announce it, the entry further in the game', () => {
    const v = new LiveView(limits)
    expect(apply(v, { ply: 4 }).changes.map(c => c.type)).toEqual(['live'])
    expect(apply(v, { peer: white, ply: 5, seq: 3 }).changes.map(c => c.type)).toEqual(['live'])
    expect(v.list(now + 1000)).toMatchObject([{ ply: 5, age: 1000 }])
    expect(v.list(now)[0].author.equals(whiteId)).toBe(true)
  })

  it('takes the newest seq per author and ignores an older one', () => {
    const v = new LiveView(limits)
    apply(v, { ply: 4, seq: 5 })
    expect(apply(v, { ply: 2, seq: 4 }).outcome).toBe('stale')
    expect(apply(v, { ply: 6, seq: 6 }).changes).toMatchObject([{ type: 'live', live: { ply: 6 } }])
    // A republish with nothing new is no change.
    expect(apply(v, { ply: 6, seq: 7 }).changes).toEqual([])
  })

  it('drops a game on its author\'s leave, once each player has left, and refuses older entries after', () => {
    const v = new LiveView(limits)
    apply(v, { seq: 5 })
    apply(v, { peer: white, seq: 5 })
    expect(v.leave(blackId, 6, now)).toEqual([])
    expect(v.leave(whiteId, 6, now)).toMatchObject([{ type: 'live:removed', reason: 'left' }])
    expect(v.list(now)).toEqual([])
    expect(apply(v, { seq: 6 }).outcome).toBe('stale')
  })

  it('sweeps expired entries', () => {
    const v = new LiveView(limits)
    apply(v, { expires: now + 10 })
    expect(v.sweep(now + 10)).toMatchObject([{ type: 'live:removed', reason: 'expired' }])
    expect(v.size).toBe(0)
  })

  it('holds at most maxGames games, dropping the one that expires soonest', async () => {
    const v = new LiveView(limits)
    const ids = await Promise.all([3, 4, 5, 6].map(async n => await cidOf({ a: n })))
    apply(v, { game: ids[0], expires: now + 50_000, seq: 1 })
    apply(v, { game: ids[1], expires: now + 90_000, seq: 2 })
    apply(v, { game: ids[2], expires: now + 90_000, seq: 3 })
    expect(apply(v, { game: ids[3], expires: now + 10_000, seq: 4 }).outcome).toBe('full')
    expect(apply(v, { game: ids[3], expires: now + 90_000, seq: 5 }).changes.map(c => c.type)).toEqual(['live:removed', 'live'])
    expect(v.size).toBe(3)
    expect(v.list(now).map(g => g.gameId.toString())).not.toContain(ids[0].toString())
    expect(otherGame.equals(game)).toBe(false)
  })
})

describe('live entries in a catch-up answer', () => {
  it('are handed on after the presences and seeks, checked like the others, at most SYNC_MAX_LIVE', async () => {
    const { encodeSyncAnswer, checkSyncAnswer } = await import('../../../../src/net/lobby/v2/sync-messages.js')
    const { SYNC_MAX_LIVE } = await import('../../../../src/net/lobby/v2/limits.js')
    const entry = await encodeLobbyV2(live(), blackKey)
    const forged = await forgeV2(live({ peer: malloryId.toMultihash().bytes }), malloryKey)
    const answer = encodeSyncAnswer([{ t: 'live', bytes: entry }, { t: 'live', bytes: forged }])
    const checked = await checkSyncAnswer(answer.bytes, now, { maxTtl })
    if ('error' in checked) throw checked.error
    expect(checked.answer.live.map(e => e.message.ply)).toEqual([12])
    expect(checked.answer.refused.map(r => [r.index, r.error.reason])).toEqual([[1, 'schema']])
    const many = encodeSyncAnswer(Array.from({ length: SYNC_MAX_LIVE + 5 }, () => ({ t: 'live' as const, bytes: entry })))
    expect(many.included).toBe(SYNC_MAX_LIVE)
  })
})
