// An offline challenge that nobody answers lapses on both sides (protocols/post.md, "Expiry"):
// the recipient's inbox drops it at its expiry and it can no longer be accepted; the challenger's
// pending list drops it then, and its record of it goes once the grace for a late accept is over.
// Real nodes on 127.0.0.1; days pass on the players' injected clocks, not in real time.
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { day } from '../../../src/units.js'
import { ACCEPT_GRACE } from '../../../src/net/post/constants.js'
import { NoSuchItemError } from '../../../src/net/post/index.js'
import { World, postOf, until, type Player } from './world.js'
import type { Datastore } from 'interface-datastore'
import type { GameTerms } from '../../../src/wire/game-start.js'

const terms: GameTerms = { size: 13, rules: 'japanese', komi: 6.5, handicap: 0, placement: 'fixed', tc: { kind: 'correspondence', perMoveMs: 2 * day, maxBankMs: 7 * day } }

async function postKeys (ds: Datastore): Promise<string[]> {
  const out: string[] = []
  for await (const key of ds.queryKeys({ prefix: '/p2pgo/post/' })) out.push(key.toString().split('/').slice(0, 4).join('/'))
  return out.sort()
}

describe('an offline challenge nobody answers', () => {
  let world: World
  let alice: Player
  let bob: Player
  beforeEach(async () => {
    world = new World()
    await world.start()
    ;({ alice, bob } = await world.aliceAndAbsentBob())
  }, 60_000)
  afterEach(async () => { await world.stop() })

  it('is cleaned up on both sides when it expires', { timeout: 120_000 }, async () => {
    const bobId = peerIdFromPrivateKey(bob.key).toString()
    const sent = await postOf(alice).challenge(bobId, { terms, color: 'random' }, { lifetimeMs: 3 * day })
    expect(sent.via).toBe('mailbox')
    await world.up(bob)
    await until(async () => (await postOf(bob).inbox()).length === 1, 'the challenge in Bob\'s inbox')
    const [offer] = await postOf(bob).inbox()
    expect(await postKeys(bob.datastore)).toEqual(['/p2pgo/post/inbox'])
    expect(await postKeys(alice.datastore)).toEqual(['/p2pgo/post/sent'])

    // Three days and a minute later on both clocks: gone from the inbox, and no longer acceptable.
    bob.clock.skip = alice.clock.skip = 3 * day + 60_000
    expect(await postOf(bob).inbox()).toEqual([])
    await expect(postOf(bob).accept(offer.id)).rejects.toThrow(NoSuchItemError)
    await postOf(bob).sweep()
    expect(await postKeys(bob.datastore)).toEqual([])
    expect(await postOf(alice).pending()).toEqual([])
    // Alice keeps her record a while for an accept made in time that she has not collected yet...
    await postOf(alice).sweep()
    expect(await postKeys(alice.datastore)).toEqual(['/p2pgo/post/sent'])
    // ...then it goes too.
    alice.clock.skip += ACCEPT_GRACE
    await postOf(alice).sweep()
    expect(await postKeys(alice.datastore)).toEqual([])
  })
})
