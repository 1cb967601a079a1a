import { generateKeyPair } from '@libp2p/crypto/keys'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { NotStartedError } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InvalidLobbyEntryError, LOBBY_TOPIC, MAX_TTL, REPUBLISH_INTERVAL, SWEEP_INTERVAL, TTL, lobby, type Lobby, type LobbyEvents } from '../../../src/net/lobby/index.js'
import { WELCOME_DELAY, WELCOME_INTERVAL } from '../../../src/net/lobby/constants.js'
import { decodeLobbyMessage, encodeLobbyMessage, type LobbyMessage, type PresenceMessage, type SeekMessage } from '../../../src/net/lobby/messages.js'
import { encodeMessage } from '../../../src/wire/envelope.js'
import type { GossipSub, Message, TopicValidatorFn } from '@libp2p/gossipsub'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { GameTerms } from '../../../src/wire/game-start.js'

/** Gossipsub as far as the lobby uses it: records what is published, runs nothing over a network. */
class FakePubsub extends EventTarget {
  readonly topicValidators = new Map<string, TopicValidatorFn>()
  readonly subscriptions = new Set<string>()
  readonly published: Uint8Array[] = []
  running = true
  failWith: Error | undefined

  subscribe (topic: string): void {
    if (!this.running) throw new Error('Pubsub has not started')
    this.subscriptions.add(topic)
  }

  unsubscribe (topic: string): void {
    this.subscriptions.delete(topic)
  }

  async publish (_topic: string, data: Uint8Array): Promise<{ recipients: PeerId[] }> {
    if (this.failWith != null) throw this.failWith
    this.published.push(data)
    return { recipients: [] }
  }

  /** Everything published so far, decoded, and forgotten. */
  take (): LobbyMessage[] {
    return this.published.splice(0).map(b => decodeLobbyMessage(b))
  }
}

const t0 = 1_767_225_600_000
const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 300_000, periodMs: 10_000, periods: 5 } }
const myKey = await generateKeyPair('Ed25519')
const me = peerIdFromPrivateKey(myKey)
const bobKey = await generateKeyPair('Ed25519')
const bob = peerIdFromPrivateKey(bobKey)
const carol = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

/** A gossip message as gossipsub hands it to a topic validator, signed (StrictSign) by `key`. */
function gossip (key: PrivateKey, data: Uint8Array): Message {
  return { type: 'signed', from: peerIdFromPrivateKey(key), topic: LOBBY_TOPIC, data, sequenceNumber: 1n, signature: new Uint8Array(64), key: key.publicKey }
}

function bobPresence (fields: Partial<PresenceMessage> = {}): Uint8Array {
  return encodeLobbyMessage({ t: 'presence', peer: bob.toMultihash().bytes, name: 'Bob', sizes: [9, 19], status: 'idle', expires: Date.now() + TTL, seq: 1, ...fields })
}

function bobSeek (fields: Partial<SeekMessage> = {}): Uint8Array {
  return encodeLobbyMessage({ t: 'seek', peer: bob.toMultihash().bytes, id: new Uint8Array(8).fill(7), terms, color: 'black', expires: Date.now() + TTL, seq: 1, ...fields })
}

/** Every event the lobby emits, as `type detail-summary`. */
function record (l: Lobby): string[] {
  const seen: string[] = []
  const types: Array<keyof LobbyEvents> = ['presence', 'presence:removed', 'seek', 'seek:removed', 'rejected']
  for (const type of types) {
    l.addEventListener(type, (evt: CustomEvent<any>) => {
      const d = evt.detail
      if (type === 'rejected') seen.push(`rejected ${d.reason as string} ${d.peer.equals(bob) === true ? 'bob' : d.peer.equals(carol) === true ? 'carol' : 'other'}`)
      else if (type === 'presence') seen.push(`presence ${d.name as string}`)
      else if (type === 'presence:removed') seen.push(`presence:removed ${d.presence.name as string} ${d.reason as string}`)
      else if (type === 'seek') seen.push(`seek ${d.color as string}`)
      else seen.push(`seek:removed ${d.seek.color as string} ${d.reason as string}`)
    })
  }
  return seen
}

describe('Lobby service (fake gossipsub, fake time)', () => {
  let pubsub: FakePubsub
  let service: Lobby

  beforeEach(() => {
    vi.useFakeTimers({ now: t0 })
    pubsub = new FakePubsub()
    service = lobby()({ peerId: me, logger: defaultLogger(), pubsub: pubsub as unknown as GossipSub })
  })

  afterEach(() => {
    service.stop()
    vi.useRealTimers()
  })

  /** Runs the lobby's topic validator as gossipsub would. */
  async function deliver (msg: Message, source: PeerId = msg.type === 'signed' ? msg.from : carol): Promise<TopicValidatorResult> {
    const validator = pubsub.topicValidators.get(LOBBY_TOPIC)
    if (validator == null) throw new Error('no lobby validator installed')
    return validator(source, msg)
  }

  describe('start and stop', () => {
    it('joins the topic once however often started, and leaves it with every timer cleared', () => {
      service.start()
      service.start()
      expect(service.isStarted()).toBe(true)
      expect([...pubsub.subscriptions]).toEqual([LOBBY_TOPIC])
      expect(pubsub.topicValidators.has(LOBBY_TOPIC)).toBe(true)
      expect(vi.getTimerCount()).toBe(2)
      service.stop()
      service.stop()
      expect(service.isStarted()).toBe(false)
      expect(pubsub.subscriptions.size).toBe(0)
      expect(pubsub.topicValidators.has(LOBBY_TOPIC)).toBe(false)
      expect(vi.getTimerCount()).toBe(0)
    })

    it('joins after start when gossipsub was not running yet (libp2p starts services side by side)', () => {
      pubsub.running = false
      service.start()
      expect(pubsub.subscriptions.size).toBe(0)
      pubsub.running = true
      service.afterStart()
      expect([...pubsub.subscriptions]).toEqual([LOBBY_TOPIC])
    })

    it('refuses to publish while stopped, and forgets its own entries on stop', () => {
      expect(() => { service.setPresence({ name: 'Me', sizes: [9], status: 'idle' }) }).toThrow(NotStartedError)
      expect(() => service.postSeek({ terms, color: 'random' })).toThrow(NotStartedError)
      service.start()
      service.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      const id = service.postSeek({ terms, color: 'random' })
      service.stop()
      expect(service.mySeeks()).toEqual([])
      expect(service.cancelSeek(id)).toBe(false)
      pubsub.take()
      service.start()
      vi.advanceTimersByTime(REPUBLISH_INTERVAL)
      expect(pubsub.take()).toEqual([])
    })

    it('refuses bad intervals', () => {
      expect(() => lobby({ republishInterval: 0 })({ peerId: me, logger: defaultLogger(), pubsub: pubsub as unknown as GossipSub })).toThrow(RangeError)
    })
  })

  describe('publishing', () => {
    beforeEach(() => { service.start() })

    it('publishes a presence at once and again every republish interval, each with a fresh expiry and a higher seq', async () => {
      service.setPresence({ name: 'Me', sizes: [19, 9, 19], ratings: { 9: { mu: 25, sigma: 8.333 } }, status: 'idle' })
      const [first] = pubsub.take() as PresenceMessage[]
      expect(first).toMatchObject({ t: 'presence', name: 'Me', sizes: [9, 19], ratings: { 9: { mu: 25, sigma: 8.333 } }, status: 'idle', expires: t0 + TTL })
      expect(first.peer).toEqual(me.toMultihash().bytes)
      // seq starts from the clock, so a restarted node still outranks its earlier messages.
      expect(first.seq).toBeGreaterThanOrEqual(t0)
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      const [second] = pubsub.take() as PresenceMessage[]
      expect(second).toMatchObject({ name: 'Me', expires: t0 + REPUBLISH_INTERVAL + TTL })
      expect(second.seq).toBeGreaterThan(first.seq)
      service.setPresence({ name: 'Me', sizes: [9], status: 'playing' })
      expect(pubsub.take()).toMatchObject([{ status: 'playing' }])
      // My own presence is not part of the view of others.
      expect(service.presences()).toEqual([])
    })

    it('republishes soon after a peer joins the topic, once per burst of joins', async () => {
      service.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      pubsub.take()
      const join = (topic: string): void => {
        pubsub.dispatchEvent(new CustomEvent('subscription-change', { detail: { peerId: carol, subscriptions: [{ topic, subscribe: true }] } }))
      }
      join('/other/topic')
      await vi.advanceTimersByTimeAsync(WELCOME_DELAY)
      expect(pubsub.take()).toEqual([])
      join(LOBBY_TOPIC)
      join(LOBBY_TOPIC)
      await vi.advanceTimersByTimeAsync(WELCOME_DELAY)
      expect(pubsub.take()).toMatchObject([{ t: 'presence', name: 'Me' }])
    })

    it('republishes for a presence from a peer it has not seen, at most once per WELCOME_INTERVAL', async () => {
      service.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      pubsub.take()
      // Bob is new: a welcome round follows.
      await deliver(gossip(bobKey, bobPresence({ expires: Date.now() + TTL, seq: 1 })))
      await vi.advanceTimersByTimeAsync(WELCOME_DELAY)
      expect(pubsub.take()).toMatchObject([{ t: 'presence', name: 'Me' }])
      // Bob again: known, no extra round.
      await deliver(gossip(bobKey, bobPresence({ expires: Date.now() + TTL, seq: 2 })))
      await vi.advanceTimersByTimeAsync(WELCOME_DELAY)
      expect(pubsub.take()).toEqual([])
      // Someone new arrives soon after: the round waits until WELCOME_INTERVAL has passed since the last.
      const dave = await generateKeyPair('Ed25519')
      const davePresence = encodeLobbyMessage({ t: 'presence', peer: peerIdFromPrivateKey(dave).toMultihash().bytes, name: 'Dave', sizes: [9], status: 'idle', expires: Date.now() + TTL, seq: 1 })
      await deliver(gossip(dave, davePresence))
      await vi.advanceTimersByTimeAsync(WELCOME_DELAY)
      expect(pubsub.take()).toEqual([])
      await vi.advanceTimersByTimeAsync(WELCOME_INTERVAL - 2 * WELCOME_DELAY)
      expect(pubsub.take()).toMatchObject([{ t: 'presence', name: 'Me' }])
    })

    it('takes its time from the injected clock', () => {
      const own = lobby({ now: () => 42_000 })({ peerId: me, logger: defaultLogger(), pubsub: pubsub as unknown as GossipSub })
      own.start()
      own.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      expect(pubsub.take()).toMatchObject([{ expires: 42_000 + TTL }])
      own.stop()
    })

    it('refuses a presence others would refuse, naming the field, and keeps the earlier one', async () => {
      service.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      pubsub.take()
      expect(() => { service.setPresence({ name: 'Me\u001b[2J', sizes: [9], status: 'idle' }) }).toThrow(expect.objectContaining({ name: 'InvalidLobbyEntryError', path: 'name' }))
      expect(() => { service.setPresence({ name: 'Me', sizes: [], status: 'idle' }) }).toThrow(InvalidLobbyEntryError)
      expect(() => { service.setPresence({ name: 'Me', sizes: [9], ratings: { 9: { mu: Number.NaN, sigma: 1 } }, status: 'idle' }) }).toThrow(InvalidLobbyEntryError)
      expect(pubsub.take()).toEqual([])
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      expect(pubsub.take()).toMatchObject([{ name: 'Me' }])
    })

    it('posts a seek, republishes it until cancelled, then sends one cancel', async () => {
      const id = service.postSeek({ terms, color: 'white', range: { min: 10 } })
      expect(id).toHaveLength(8)
      expect(pubsub.take()).toMatchObject([{ t: 'seek', id, terms, color: 'white', range: { min: 10 }, expires: t0 + TTL }])
      expect(service.mySeeks()).toMatchObject([{ id, terms, color: 'white' }])
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      const [again] = pubsub.take()
      expect(again).toMatchObject({ t: 'seek', id, expires: t0 + REPUBLISH_INTERVAL + TTL })
      expect(service.cancelSeek(id)).toBe(true)
      const [cancel] = pubsub.take()
      expect(cancel).toMatchObject({ t: 'cancel', id })
      expect(cancel.seq).toBeGreaterThan(again.seq)
      expect(service.cancelSeek(id)).toBe(false)
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      expect(pubsub.take()).toEqual([])
    })

    it('cancels the oldest of three open seeks before posting a fourth, and republishes oldest first', async () => {
      const ids = [1, 2, 3].map(() => service.postSeek({ terms, color: 'random' }))
      pubsub.take()
      const fourth = service.postSeek({ terms, color: 'black' })
      expect(pubsub.take()).toMatchObject([{ t: 'cancel', id: ids[0] }, { t: 'seek', id: fourth }])
      expect(service.mySeeks().map(s => s.id)).toEqual([ids[1], ids[2], fourth])
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      const republished = pubsub.take() as SeekMessage[]
      expect(republished.map(s => s.id)).toEqual([ids[1], ids[2], fourth])
      expect(republished.map(s => s.seq)).toEqual([...republished.map(s => s.seq)].sort((a, b) => a - b))
    })

    it('refuses a bad seek before cancelling anything', () => {
      const ids = [1, 2, 3].map(() => service.postSeek({ terms, color: 'random' }))
      pubsub.take()
      expect(() => service.postSeek({ terms: { ...terms, komi: 6.3 }, color: 'random' })).toThrow(expect.objectContaining({ path: 'terms.komi' }))
      expect(() => service.postSeek({ terms, color: 'random', range: { min: 5, max: 1 } })).toThrow(InvalidLobbyEntryError)
      expect(pubsub.take()).toEqual([])
      expect(service.mySeeks().map(s => s.id)).toEqual(ids)
    })

    it('neither throws nor leaves an unhandled rejection when nobody is subscribed or publishing fails', async () => {
      pubsub.failWith = new Error('PublishError.NoPeersSubscribedToTopic')
      service.setPresence({ name: 'Me', sizes: [9], status: 'idle' })
      pubsub.failWith = new Error('stream reset')
      service.postSeek({ terms, color: 'random' })
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      pubsub.failWith = undefined
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      expect(pubsub.take().map(m => m.t)).toEqual(['presence', 'seek'])
    })
  })

  describe('receiving', () => {
    let events: string[]
    beforeEach(() => {
      service.start()
      events = record(service)
    })

    it('takes a peer\'s presence and seek, and forwards them (accept)', async () => {
      expect(await deliver(gossip(bobKey, bobPresence()))).toBe(TopicValidatorResult.Accept)
      expect(await deliver(gossip(bobKey, bobSeek({ seq: 2 })))).toBe(TopicValidatorResult.Accept)
      expect(events).toEqual(['presence Bob', 'seek black'])
      const [p] = service.presences()
      expect(p).toMatchObject({ name: 'Bob', sizes: [9, 19], status: 'idle', expires: t0 + TTL })
      expect(p.peer.equals(bob)).toBe(true)
      expect(service.seeks()).toMatchObject([{ color: 'black', terms, expires: t0 + TTL }])
      // A cancel removes the seek.
      const cancel = encodeLobbyMessage({ t: 'cancel', peer: bob.toMultihash().bytes, id: new Uint8Array(8).fill(7), seq: 3 })
      expect(await deliver(gossip(bobKey, cancel))).toBe(TopicValidatorResult.Accept)
      expect(events.at(-1)).toBe('seek:removed black cancelled')
      expect(service.seeks()).toEqual([])
    })

    it('ignores an older message without calling it an error', async () => {
      await deliver(gossip(bobKey, bobPresence({ seq: 5, name: 'New' })))
      expect(await deliver(gossip(bobKey, bobPresence({ seq: 4, name: 'Old' })))).toBe(TopicValidatorResult.Ignore)
      expect(events).toEqual(['presence New'])
      expect(service.presences().map(p => p.name)).toEqual(['New'])
    })

    it.each<[string, () => Message, TopicValidatorResult, string]>([
      ['garbage', () => gossip(bobKey, Uint8Array.of(0xff, 0x00, 0x13)), TopicValidatorResult.Reject, 'rejected not-cbor bob'],
      ['over 4 KiB', () => gossip(bobKey, new Uint8Array(5000)), TopicValidatorResult.Reject, 'rejected too-large bob'],
      ['a presence with an extra key', () => gossip(bobKey, encodeMessage(1, 'presence', { ...decodeLobbyMessage(bobPresence()), t: undefined, admin: true })), TopicValidatorResult.Reject, 'rejected schema bob'],
      ['an unknown type', () => gossip(bobKey, encodeMessage(1, 'chat', { text: 'hi' })), TopicValidatorResult.Reject, 'rejected unknown-type bob'],
      ['a newer version (not held against the peer)', () => gossip(bobKey, encodeMessage(2, 'presence', { anything: 'new' })), TopicValidatorResult.Ignore, 'rejected unknown-version bob'],
      ['a presence naming another peer', () => gossip(bobKey, encodeLobbyMessage({ ...decodeLobbyMessage(bobPresence()) as PresenceMessage, peer: carol.toMultihash().bytes })), TopicValidatorResult.Reject, 'rejected wrong-peer bob'],
      ['an expired presence', () => gossip(bobKey, bobPresence({ expires: t0 })), TopicValidatorResult.Ignore, 'rejected expired bob'],
      ['a presence expiring past MAX_TTL', () => gossip(bobKey, bobPresence({ expires: t0 + MAX_TTL + 1 })), TopicValidatorResult.Ignore, 'rejected expires-too-far bob'],
      ['an unsigned message', () => ({ type: 'unsigned', topic: LOBBY_TOPIC, data: bobPresence() }), TopicValidatorResult.Reject, 'rejected unsigned carol']
    ])('refuses %s with a rejected event and no change', async (_name, make, verdict, event) => {
      await deliver(gossip(bobKey, bobPresence({ seq: 1, name: 'Bob' })))
      events.length = 0
      expect(await deliver(make())).toBe(verdict)
      expect(events).toEqual([event])
      expect(service.presences().map(p => p.name)).toEqual(['Bob'])
      expect(service.seeks()).toEqual([])
    })

    it('does not track its own messages coming back', async () => {
      const mine = encodeLobbyMessage({ t: 'presence', peer: me.toMultihash().bytes, name: 'Me', sizes: [9], status: 'idle', expires: t0 + TTL, seq: 1 })
      expect(await deliver(gossip(myKey, mine))).toBe(TopicValidatorResult.Ignore)
      expect(events).toEqual([])
      expect(service.presences()).toEqual([])
    })

    it('hides a lapsed entry at once and sweeps it out with a removal event', async () => {
      await deliver(gossip(bobKey, bobPresence()))
      await deliver(gossip(bobKey, bobSeek({ seq: 2 })))
      vi.setSystemTime(t0 + TTL)
      expect(service.presences()).toEqual([])
      expect(service.seeks()).toEqual([])
      await vi.advanceTimersByTimeAsync(SWEEP_INTERVAL)
      expect(events).toEqual(['presence Bob', 'seek black', 'presence:removed Bob expired', 'seek:removed black expired'])
    })

    it('keeps a republished entry past its first expiry', async () => {
      await deliver(gossip(bobKey, bobPresence({ seq: 1 })))
      await vi.advanceTimersByTimeAsync(REPUBLISH_INTERVAL)
      await deliver(gossip(bobKey, bobPresence({ seq: 2 })))
      // Past the first message's expiry, before the second's.
      await vi.advanceTimersByTimeAsync(TTL - REPUBLISH_INTERVAL / 2)
      expect(Date.now()).toBeGreaterThan(t0 + TTL)
      expect(service.presences().map(p => p.name)).toEqual(['Bob'])
      expect(events).toEqual(['presence Bob'])
    })

    it('never throws out of the validator, even when a listener is handed odd input', async () => {
      for (const data of [new Uint8Array(0), Uint8Array.of(0xa0), encodeMessage(1, 'presence', {}), Uint8Array.of(0x9f, 0x9f, 0x9f)]) {
        expect(await deliver(gossip(bobKey, data))).toBe(TopicValidatorResult.Reject)
      }
      expect(events.every(e => e.startsWith('rejected '))).toBe(true)
    })
  })
})
