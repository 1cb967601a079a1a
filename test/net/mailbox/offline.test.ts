// Store-and-forward on real nodes on 127.0.0.1 with a real circuit relay (protocols/mailbox.md):
// Alice leaves envelopes for Bob, who is offline, with the relay Bob reserves on, and goes
// offline herself; the relay restarts; Bob comes back, reserves, and gets each envelope once, in
// order, and the relay deletes them. The two players are never online together.
import { afterEach, describe, expect, it } from 'vitest'
import { holderNode, home, playerNode, relaysOf, until, type MailNode } from './nodes.js'
import type { MailboxItem } from '../../../src/net/mailbox/index.js'

const utf8 = new TextEncoder()
const text = new TextDecoder()

describe('mailbox: a sender and a recipient never online together', () => {
  const running: MailNode[] = []
  afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })
  const started = (n: MailNode): MailNode => { running.push(n); return n }
  const stop = async (n: MailNode): Promise<void> => { running.splice(running.indexOf(n), 1); await n.stop() }

  it('delivers every envelope once, in order, after the sender left and the holder restarted; the holder deletes them', async () => {
    const relayHome = await home()
    let relay = started(await holderNode(relayHome))
    // Bob reserves on the relay (the relay now knows him), then goes offline.
    const bobHome = await home()
    let bob = started(await playerNode(bobHome, [relay]))
    await until(() => relaysOf(bob).includes(relay.peerId.toString()), 'Bob\'s reservation on the relay')
    const bobAddrs = bob.getMultiaddrs()
    await bob.services.mailbox.collect()
    await stop(bob)

    // Alice knows Bob's last addresses (as the lobby would have told her), leaves three envelopes, and goes offline.
    const alice = started(await playerNode(await home(), [relay]))
    await alice.peerStore.merge(bob.peerId, { multiaddrs: bobAddrs })
    const sent = []
    for (const [kind, words] of [['act', 'move D4'], ['challenge', 'a game?'], ['message', 'see you']] as const) {
      sent.push(await alice.services.mailbox.deposit(bob.peerId, kind, utf8.encode(words)))
    }
    expect(sent.map(s => s.seq)).toEqual([1, 2, 3])
    expect(sent.every(s => s.held.join() === relay.peerId.toString())).toBe(true)
    expect(relay.services.mailbox.holding()).toMatchObject({ count: 3 })
    await stop(alice)

    // The relay restarts: what it holds is in its datastore.
    await stop(relay)
    relay = started(await holderNode(relayHome))
    expect(relay.services.mailbox.holding()).toMatchObject({ count: 3 })

    // Bob comes back with his key and datastore: he reserves on the relay and collects by himself.
    const items: MailboxItem[] = []
    let ahead = 0
    bob = await playerNode(bobHome, [relay], { now: () => Date.now() + ahead })
    started(bob)
    bob.services.mailbox.addEventListener('mailbox:item', e => { items.push(e.detail) })
    await until(() => items.length === 3, 'Bob to receive the three envelopes')
    expect(items.map(i => [i.seq, i.kind, text.decode(i.payload), i.from])).toEqual([
      [1, 'act', 'move D4', alice.peerId.toString()],
      [2, 'challenge', 'a game?', alice.peerId.toString()],
      [3, 'message', 'see you', alice.peerId.toString()]
    ])
    expect(items.map(i => i.id)).toEqual(sent.map(s => s.id))
    await until(() => relay.services.mailbox.holding()?.count === 0, 'the relay to delete what Bob collected')

    // Collecting again delivers nothing twice; the inbox keeps the three until dismissed.
    const again = await bob.services.mailbox.collect()
    expect(again.delivered).toEqual([])
    expect(items).toHaveLength(3)
    expect((await bob.services.mailbox.inbox()).map(i => i.seq)).toEqual([1, 2, 3])
    await bob.services.mailbox.dismiss(items[0].id)
    expect((await bob.services.mailbox.inbox()).map(i => i.seq)).toEqual([2, 3])
    // A week later (their default life) they have expired, and the inbox drops them.
    ahead = 7 * 86_400_000
    expect(await bob.services.mailbox.inbox()).toEqual([])
  })
})
