// Store-and-forward wired into the p2pgo node (node-services.ts): a node in the bootstrap role
// holds, players collect their own by themselves. Full P2pgoNodes on 127.0.0.1; the players
// listen only on relay slots and are never online together.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { until } from './nodes.js'
import { decodeFrames, encodeFrame } from '../../../src/wire/frame.js'
import { decodeMailboxAnswer, encodeEnvelope, encodeMailboxRequest, MAILBOX_PROTOCOL, type MailboxAnswer } from '../../../src/net/mailbox/wire/index.js'
import type { MailboxItem } from '../../../src/net/mailbox/index.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'

describe('mailbox in a p2pgo node', () => {
  const running: P2pgoNode[] = []
  afterEach(async () => { await Promise.all(running.splice(0).map(async n => { await n.stop() })) })

  async function player (key: PrivateKey, datastore: Datastore, bootstrap: string[]): Promise<P2pgoNode> {
    const config = { ...defaultConfig({ userName: 'player' }), listen: ['/p2p-circuit'], bootstrap, rendezvous: [] }
    const node = await P2pgoNode.create({ privateKey: key, datastore, config, role: 'player', privateNetwork: true, connectionMonitor: false })
    running.push(node)
    await node.start()
    return node
  }

  it('a bootstrap relay holds a message for an offline player, who gets it when back', async () => {
    const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], rendezvous: [] }
    const relay = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true, connectionMonitor: false })
    running.push(relay)
    await relay.start()
    const bootstrap = [relay.libp2p.getMultiaddrs()[0].toString()]

    const bobKey = await generateKeyPair('Ed25519')
    const bobStore = new MemoryDatastore()
    let bob = await player(bobKey, bobStore, bootstrap)
    await until(() => bob.self().relays.includes(relay.peerId), 'Bob\'s reservation on the bootstrap relay')
    const bobAddrs = bob.libp2p.getMultiaddrs()
    await until(() => relay.mailbox.knownAt(bob.peerId) != null, 'the relay to know Bob (his addresses name it)')
    await bob.stop()

    const alice = await player(await generateKeyPair('Ed25519'), new MemoryDatastore(), bootstrap)
    await alice.libp2p.peerStore.merge(bob.libp2p.peerId, { multiaddrs: bobAddrs })
    const sent = await alice.mailbox.deposit(bob.peerId, 'message', new TextEncoder().encode('back soon?'))
    expect(sent.held).toEqual([relay.peerId])
    await alice.stop()

    const items: MailboxItem[] = []
    bob = await P2pgoNode.create({ privateKey: bobKey, datastore: bobStore, config: { ...defaultConfig({ userName: 'player' }), listen: ['/p2p-circuit'], bootstrap, rendezvous: [] }, role: 'player', privateNetwork: true, connectionMonitor: false })
    running.push(bob)
    bob.mailbox.addEventListener('mailbox:item', e => { items.push(e.detail) })
    await bob.start()
    await until(() => items.length === 1, 'Bob to collect the message')
    expect(new TextDecoder().decode(items[0].payload)).toBe('back soon?')
    expect(items[0].from).toBe(alice.peerId)
    await until(() => relay.mailbox.holding()?.count === 0, 'the relay to delete it')
  })

  it('a bootstrap relay makes a peer pay for a malformed or forged deposit, and keeps nothing of it', async () => {
    const config = { ...defaultConfig({ userName: 'relay' }), listen: ['/ip4/127.0.0.1/tcp/0'], rendezvous: [] }
    const relay = await P2pgoNode.create({ privateKey: await generateKeyPair('Ed25519'), datastore: new MemoryDatastore(), config, role: 'bootstrap', privateNetwork: true, connectionMonitor: false })
    running.push(relay)
    await relay.start()
    const keyOf = new Map<P2pgoNode, PrivateKey>()
    const plain = async (): Promise<P2pgoNode> => {
      const key = await generateKeyPair('Ed25519')
      const node = await P2pgoNode.create({ privateKey: key, datastore: new MemoryDatastore(), config: { ...defaultConfig({ userName: 'x' }), listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: 'off' as const, rendezvous: [] }, role: 'player', privateNetwork: true, connectionMonitor: false })
      running.push(node)
      keyOf.set(node, key)
      await node.start()
      await node.libp2p.peerStore.merge(relay.libp2p.peerId, { multiaddrs: relay.libp2p.getMultiaddrs() })
      return node
    }
    const deposit = async (from: P2pgoNode, envelope: Uint8Array): Promise<MailboxAnswer> => {
      const stream = await from.libp2p.dialProtocol(relay.libp2p.peerId, MAILBOX_PROTOCOL)
      stream.send(encodeFrame(encodeMailboxRequest({ t: 'deposit', envelope })))
      for await (const frame of decodeFrames(stream, { maxBytes: 1 << 18 })) return decodeMailboxAnswer(frame)
      throw new Error('no answer')
    }
    const penalised = (node: P2pgoNode, reason: string): boolean => relay.reputation.eventsOf(node.peerId).some(e => e.kind === 'invalid' && e.reason === reason)
    const [mallory, eve, alice] = [await plain(), await plain(), await plain()]
    await expect(deposit(mallory, new Uint8Array([1, 2, 3]))).resolves.toMatchObject({ t: 'refused', reason: 'malformed' })
    await until(() => penalised(mallory, 'mailbox:malformed'), 'Mallory\'s penalty')
    // Alice's envelope for the relay itself (a peer it knows nothing of as a recipient), deposited by Eve.
    const now = Date.now()
    const envelope = await encodeEnvelope({ to: relay.libp2p.peerId.toMultihash().bytes, seq: 1, kind: 'message', at: now, expires: now + 60_000, payload: new Uint8Array(1) }, keyOf.get(alice)!)
    await expect(deposit(eve, envelope)).resolves.toMatchObject({ t: 'refused', reason: 'wrong-sender' })
    await until(() => penalised(eve, 'mailbox:wrong-sender'), 'Eve\'s penalty')
    // Alice's own deposit for a recipient the relay does not know is refused without a penalty.
    await expect(deposit(alice, envelope)).resolves.toMatchObject({ t: 'refused', reason: 'unknown-recipient' })
    expect(relay.reputation.eventsOf(alice.peerId).filter(e => e.kind === 'invalid')).toEqual([])
    expect(relay.mailbox.holding()).toEqual({ count: 0, bytes: 0 })
  })
})
