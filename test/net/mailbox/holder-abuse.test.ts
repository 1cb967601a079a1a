// Holders that misbehave (protocols/mailbox.md, "Collecting"), on real nodes on 127.0.0.1: two
// relays hold Alice's envelopes for Bob; the test rewrites what they keep in their datastores, as
// a hostile operator would. An altered envelope is caught by its signature and the good copy
// from the other holder delivered; a dropped one is a gap reported while the later ones wait; the
// withheld one served late is delivered before them (no reorder); a replay after deletion is
// named and delivered no second time.
import { afterEach, describe, expect, it } from 'vitest'
import { heldKey, holderNode, home, playerNode, relaysOf, until, type MailNode } from './nodes.js'
import { decodeCanonical, encodeCanonical } from '../../../src/wire/cbor.js'
import { ENVELOPE_MAX_BYTES } from '../../../src/net/mailbox/wire/limits.js'
import type { MailboxFault, MailboxItem } from '../../../src/net/mailbox/index.js'

describe('mailbox: holders that alter, drop, reorder or replay', () => {
  const running: MailNode[] = []
  afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })
  const started = (n: MailNode): MailNode => { running.push(n); return n }

  it('are detected, and the recipient still gets every envelope once, in order', async () => {
    const [h1, h2] = [await home(), await home()]
    const [r1, r2] = [started(await holderNode(h1)), started(await holderNode(h2))]
    const bobHome = await home()
    let bob = started(await playerNode(bobHome, [r1, r2]))
    await until(() => relaysOf(bob).length === 2, 'Bob\'s reservations on both relays')
    const bobAddrs = bob.getMultiaddrs()
    await bob.services.mailbox.collect()
    await bob.stop()
    running.splice(running.indexOf(bob), 1)

    const alice = started(await playerNode(await home(), [r1]))
    await alice.peerStore.merge(bob.peerId, { multiaddrs: bobAddrs })
    const sent = []
    for (let i = 1; i <= 4; i++) sent.push(await alice.services.mailbox.deposit(bob.peerId, 'act', new Uint8Array([i])))
    expect(sent.map(s => s.held.length)).toEqual([2, 2, 2, 2])
    const me = bob.peerId.toString()

    // Relay 1 alters envelope 1; both relays lose envelope 3 (relay 2 keeps a copy aside: it withholds it).
    const fields = decodeCanonical(await h1.datastore.get(heldKey(me, sent[0].id)), { maxBytes: ENVELOPE_MAX_BYTES }) as { box: Uint8Array }
    fields.box[0] ^= 1
    await h1.datastore.put(heldKey(me, sent[0].id), encodeCanonical(fields))
    const third = await h2.datastore.get(heldKey(me, sent[2].id))
    const second = await h2.datastore.get(heldKey(me, sent[1].id))
    await h1.datastore.delete(heldKey(me, sent[2].id))
    await h2.datastore.delete(heldKey(me, sent[2].id))

    const items: MailboxItem[] = []
    const faults: MailboxFault[] = []
    const missing: unknown[] = []
    const listen = (node: MailNode): void => {
      node.services.mailbox.addEventListener('mailbox:item', e => { items.push(e.detail) })
      node.services.mailbox.addEventListener('mailbox:fault', e => { faults.push(e.detail) })
      node.services.mailbox.addEventListener('mailbox:missing', e => { missing.push(e.detail) })
    }
    bob = started(await playerNode(bobHome, [r1, r2], { collect: false }))
    listen(bob)
    const first = await bob.services.mailbox.collect()
    expect(first.holders.every(h => h.ok)).toBe(true)
    // Envelope 1 came good from relay 2; relay 1's altered copy is its fault.
    expect(items.map(i => i.seq)).toEqual([1, 2])
    expect(faults).toEqual([expect.objectContaining({ holder: r1.peerId.toString(), reason: 'bad-signature' })])
    // Envelope 3 is missing: 4 waits for it, on the holders.
    expect(missing).toEqual([{ first: 3, last: 3, from: alice.peerId.toString() }])
    expect(first.waiting).toBe(1)
    expect(await h2.datastore.has(heldKey(me, sent[3].id))).toBe(true)

    // Relay 2 serves the withheld envelope late: 3 then 4, never 4 before 3.
    await h2.datastore.put(heldKey(me, sent[2].id), third)
    const late = await bob.services.mailbox.collect()
    expect(late.delivered.map(i => i.seq)).toEqual([3, 4])
    expect(items.map(i => i.seq)).toEqual([1, 2, 3, 4])
    expect(items.map(i => i.payload[0])).toEqual([1, 2, 3, 4])

    // Relay 2 deleted envelope 2 at Bob's request and serves it again: a replay, not delivered again.
    expect(await h2.datastore.has(heldKey(me, sent[1].id))).toBe(false)
    await h2.datastore.put(heldKey(me, sent[1].id), second)
    faults.length = 0
    const again = await bob.services.mailbox.collect()
    expect(again.delivered).toEqual([])
    expect(faults).toContainEqual(expect.objectContaining({ holder: r2.peerId.toString(), reason: 'replay', seq: 2 }))
    expect(items).toHaveLength(4)
  })
})

