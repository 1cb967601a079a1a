// A holder's limits and refusals on real nodes on 127.0.0.1 (protocols/mailbox.md, "A holder
// checks a deposit"): one sender cannot fill a holder; bad deposits are refused in words, cost
// their sender, and leave nothing stored; expired envelopes are swept.
import { afterEach, describe, expect, it } from 'vitest'
import { ask, MailboxDepositError, MailboxRefusedError, type HolderAddress } from '../../../src/net/mailbox/index.js'
import { encodeEnvelope, ENVELOPE_DOMAIN } from '../../../src/net/mailbox/wire/index.js'
import { decodeCanonical, encodeCanonical } from '../../../src/wire/cbor.js'
import { sign } from '../../../src/wire/signing.js'
import { encodeFrame } from '../../../src/wire/frame.js'
import { MAILBOX_PROTOCOL } from '../../../src/net/mailbox/wire/limits.js'
import { connectionsOf, holderNode, home, playerNode, relaysOf, until, type Home, type MailNode } from './nodes.js'

import type { PrivateKey } from '@libp2p/interface'

const day = 86_400_000

describe('mailbox: a holder\'s limits and refusals', () => {
  const running: MailNode[] = []
  afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })
  const started = (n: MailNode): MailNode => { running.push(n); return n }
  const keys = new Map<MailNode, PrivateKey>()

  async function setUp (limits = {}): Promise<{ relay: MailNode, bob: MailNode, holder: HolderAddress, player: () => Promise<MailNode>, relayHome: Home }> {
    const relayHome = await home()
    const relay = started(await holderNode(relayHome, { limits }))
    const bob = started(await playerNode(await home(), [relay], { collect: false }))
    await until(() => relaysOf(bob).length === 1, 'Bob\'s reservation')
    const player = async (): Promise<MailNode> => {
      const h = await home()
      const p = started(await playerNode(h, [relay], { collect: false }))
      keys.set(p, h.key)
      await p.peerStore.merge(bob.peerId, { multiaddrs: bob.getMultiaddrs() })
      return p
    }
    return { relay, bob, holder: { peer: relay.peerId, addrs: relay.getMultiaddrs() }, player, relayHome }
  }

  it('stops one sender at its quota while another still deposits, and counts the bytes held', async () => {
    const { relay, bob, player } = await setUp({ perSender: 3 })
    const [mallory, alice] = [await player(), await player()]
    for (let i = 0; i < 3; i++) await mallory.services.mailbox.deposit(bob.peerId, 'message', new Uint8Array(1000))
    const err = await mallory.services.mailbox.deposit(bob.peerId, 'message', new Uint8Array(1000)).catch(e => e)
    expect(err).toBeInstanceOf(MailboxDepositError)
    expect(err.refused).toEqual([expect.objectContaining({ reason: 'quota-sender', message: expect.stringMatching(/as many envelopes held here as a sender may/) })])
    await expect(alice.services.mailbox.deposit(bob.peerId, 'message', new Uint8Array(10))).resolves.toMatchObject({ seq: 1 })
    const held = relay.services.mailbox.holding()!
    expect(held.count).toBe(4)
    expect(held.bytes).toBeGreaterThan(3 * 1000)
    expect(held.bytes).toBeLessThan(4 * 1400)
    // The refused deposit gave its number back: Mallory's next one, once there is room, is 4.
    await bob.services.mailbox.collect()
    await expect(mallory.services.mailbox.deposit(bob.peerId, 'message', new Uint8Array(1))).resolves.toMatchObject({ seq: 4 })
  })

  it('refuses in words, stores nothing: malformed bytes, a forged sender, an unknown recipient, an envelope for too long', async () => {
    const { relay, bob, holder, player } = await setUp()
    const mallory = await player()
    const alice = await player()
    const c = mallory.services.mailbox
    const refusal = async (envelope: Uint8Array): Promise<string> => {
      const e = await ask(connectionsOf(mallory), holder, { t: 'deposit', envelope }).catch(e => e)
      expect(e).toBeInstanceOf(MailboxRefusedError)
      return (e as MailboxRefusedError).reason
    }
    const now = Date.now()
    const bobBytes = bob.peerId.toMultihash().bytes
    expect(await refusal(new Uint8Array([0xa1, 0x61, 0x76, 0x01]))).toBe('malformed')
    // Alice's envelope, deposited by Mallory.
    const alices = await encodeEnvelope({ to: bobBytes, seq: 1, kind: 'message', at: now, expires: now + day, payload: new Uint8Array(3) }, keys.get(alice)!)
    expect(await refusal(alices)).toBe('wrong-sender')
    // Mallory's envelope for a peer this relay never saw.
    const stranger = (await home()).key
    const { peerIdFromPrivateKey } = await import('@libp2p/peer-id')
    const forStranger = await encodeEnvelope({ to: peerIdFromPrivateKey(stranger).toMultihash().bytes, seq: 1, kind: 'message', at: now, expires: now + day, payload: new Uint8Array(3) }, keys.get(mallory)!)
    expect(await refusal(forStranger)).toBe('unknown-recipient')
    // Asking for 31 days, re-signed (the encoder refuses to write it).
    const ok = await encodeEnvelope({ to: bobBytes, seq: 1, kind: 'message', at: now, expires: now + day, payload: new Uint8Array(3) }, keys.get(mallory)!)
    const { sig: _s, ...rest } = decodeCanonical(ok, { maxBytes: 20_000 }) as Record<string, unknown>
    expect(await refusal(encodeCanonical(await sign(keys.get(mallory)!, ENVELOPE_DOMAIN, { ...rest, expires: now + 31 * day })))).toBe('too-long')
    // An altered one: its signature fails.
    const bad = decodeCanonical(ok, { maxBytes: 20_000 }) as { box: Uint8Array }
    bad.box[0] ^= 1
    expect(await refusal(encodeCanonical(bad))).toBe('bad-signature')
    expect(relay.services.mailbox.holding()).toEqual({ count: 0, bytes: 0 })
    // A good one is still taken, once: the same deposit again is answered as held, not held twice.
    await expect(c.deposit(bob.peerId, 'message', new Uint8Array(3))).resolves.toMatchObject({ seq: 1 })
    expect(relay.services.mailbox.holding()?.count).toBe(1)
  })

  it('refuses an oversized request frame at its length prefix, and keeps serving', async () => {
    const { relay, bob, player } = await setUp()
    const mallory = await player()
    const stream = await mallory.dialProtocol(relay.peerId, MAILBOX_PROTOCOL, { runOnLimitedConnection: true })
    stream.send(encodeFrame(new Uint8Array(20_000)))
    const answered: Uint8Array[] = []
    await (async () => { for await (const chunk of stream) answered.push(chunk.subarray()) })().catch(() => {})
    // The refusal (too-large) is answered before the stream closes.
    expect(Buffer.concat(answered).toString()).toMatch(/too-large/)
    await expect(mallory.services.mailbox.deposit(bob.peerId, 'act', new Uint8Array(5))).resolves.toMatchObject({ seq: 1 })
  })

  it('sweeps expired envelopes: at a restart after their expiry nothing is served', async () => {
    let clock = Date.now()
    const relayHome = await home()
    let relay = started(await holderNode(relayHome, { now: () => clock }))
    const bob = started(await playerNode(await home(), [relay], { collect: false }))
    await until(() => relaysOf(bob).length === 1, 'Bob\'s reservation')
    const alice = started(await playerNode(await home(), [relay], { collect: false }))
    await alice.peerStore.merge(bob.peerId, { multiaddrs: bob.getMultiaddrs() })
    await alice.services.mailbox.deposit(bob.peerId, 'message', new Uint8Array(5), { expires: Date.now() + 60_000 })
    expect(relay.services.mailbox.holding()?.count).toBe(1)
    await relay.stop()
    running.splice(running.indexOf(relay), 1)
    clock += 2 * 60_000
    relay = started(await holderNode(relayHome, { now: () => clock }))
    expect(relay.services.mailbox.holding()).toEqual({ count: 0, bytes: 0 })
  })

  it('answers a peer over 60 requests a minute with a refusal in words', async () => {
    const { holder, player } = await setUp()
    const mallory = await player()
    for (let i = 0; i < 60; i++) await ask(connectionsOf(mallory), holder, { t: 'collect' })
    const err = await ask(connectionsOf(mallory), holder, { t: 'collect' }).catch(e => e)
    expect(err).toBeInstanceOf(MailboxRefusedError)
    expect(err).toMatchObject({ reason: 'rate', message: expect.stringMatching(/more than 60 mailbox requests a minute/) })
  })
})
