import { generateKeyPair } from '@libp2p/crypto/keys'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { CODE_P2P } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOBBY_TOPIC, MAX_TTL, TTL, encodeLobbyMessage, lobby, type Lobby, type LobbyEvents } from '../../../src/net/lobby/index.js'
import { libp2pDefaults, type P2pgoServices } from '../../../src/net/libp2p-defaults.js'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { GameTerms } from '../../../src/wire/game-start.js'

type Services = P2pgoServices & { lobby: Lobby }
type Node = Libp2p<Services>

/** One clock for every node, moved forward by the expiry test instead of waiting real minutes. */
let offset = 0
const now = (): number => Date.now() + offset

/** Short intervals so republishes and sweeps happen within a test; the logic is the same as at 30 s and 5 s. */
const testTimings = { now, republishInterval: 300, sweepInterval: 100 }

/** A p2pgo node on 127.0.0.1 with the lobby added, and nothing that reaches off the machine (no mDNS, no UPnP). */
async function node (bootstrap: string[] = []): Promise<Node> {
  const privateKey = await generateKeyPair('Ed25519')
  const config = libp2pDefaults({ privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], privateNetwork: true, bootstrap })
  // No DHT: its queries would connect the players to each other, and the peer-record test needs
  // players that only ever meet in the lobby.
  const { dht: _dht, ...rest } = config.services as ServiceFactoryMap<P2pgoServices>
  const services = { ...rest, lobby: lobby(testTimings) } as unknown as ServiceFactoryMap<Services>
  const n = await createLibp2p({ ...config, services })
  keys.set(n, privateKey)
  return n
}

const keys = new Map<Node, PrivateKey>()

/** Resolves when `check` holds, polling; fails with `what` once `ms` have passed. */
async function until (what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const signal = AbortSignal.timeout(ms)
  while (!check()) {
    if (signal.aborted) throw new Error(`gave up waiting: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Every event a node's lobby emits, summarised as text: `presence Alice`, `rejected wrong-peer <peer>`. */
function record (n: Node): string[] {
  const seen: string[] = []
  const l = n.services.lobby
  const types: Array<keyof LobbyEvents> = ['presence', 'presence:removed', 'seek', 'seek:removed', 'rejected']
  for (const type of types) {
    l.addEventListener(type, (evt: CustomEvent<any>) => {
      const d = evt.detail
      if (type === 'rejected') seen.push(`rejected ${d.reason as string} ${d.peer.toString() as string}`)
      else if (type === 'presence') seen.push(`presence ${d.name as string}`)
      else if (type === 'presence:removed') seen.push(`presence:removed ${d.presence.name as string} ${d.reason as string}`)
      else if (type === 'seek') seen.push(`seek ${d.peer.toString() as string}`)
      else seen.push(`seek:removed ${d.seek.peer.toString() as string} ${d.reason as string}`)
    })
  }
  return seen
}

/** A node's signed peer record, as its lobby would carry it. */
async function sealedRecordOf (n: Node): Promise<Uint8Array> {
  const record = new PeerRecord({ peerId: n.peerId, multiaddrs: n.getMultiaddrs().map(ma => ma.decapsulateCode(CODE_P2P)) })
  const key = keys.get(n)
  if (key == null) throw new Error('not a node of this test')
  return (await RecordEnvelope.seal(record, key)).marshal()
}

const names = (n: Node): string[] => n.services.lobby.presences().map(p => p.name).sort()
const seekers = (n: Node): string[] => n.services.lobby.seeks().map(s => s.peer.toString()).sort()
const terms: GameTerms = { size: 9, rules: 'chinese', komi: 7.5, handicap: 0, placement: 'fixed', tc: { kind: 'byo-yomi', mainMs: 300_000, periodMs: 10_000, periods: 5 } }

describe('lobby on real nodes: three players through a bootstrap node', () => {
  let boot: Node
  let a: Node
  let b: Node
  let c: Node
  const events = new Map<Node, string[]>()
  let bobSeek: Uint8Array

  beforeAll(async () => {
    boot = await node()
    const list = boot.getMultiaddrs().map(ma => ma.toString())
    ;[a, b, c] = await Promise.all([node(list), node(list), node(list)])
    for (const n of [boot, a, b, c]) events.set(n, record(n))
    await until('every player subscribed to the lobby at the bootstrap node', () => {
      const subs = boot.services.pubsub.getSubscribers(LOBBY_TOPIC)
      return [a, b, c].every(n => subs.some(p => p.equals(n.peerId)))
    })
  })

  afterAll(async () => {
    await Promise.all([a, b, c, boot].map(async n => n?.stop()))
    offset = 0
  })

  it('carries presences and seeks to the others', async () => {
    a.services.lobby.setPresence({ name: 'Alice', sizes: [9, 19], status: 'idle' })
    b.services.lobby.setPresence({ name: 'Bob', sizes: [9], ratings: { 9: { mu: 25, sigma: 8.333 } }, status: 'idle' })
    c.services.lobby.setPresence({ name: 'Carol', sizes: [13], status: 'playing' })
    bobSeek = b.services.lobby.postSeek({ terms, color: 'black', range: { min: 15 } })
    c.services.lobby.postSeek({ terms, color: 'random' })
    // Gossipsub needs a heartbeat or two to build its mesh; the lobby republishes every 300 ms here until then.
    await until('everyone sees everyone', () =>
      names(a).join() === 'Bob,Carol' && names(b).join() === 'Alice,Carol' && names(c).join() === 'Alice,Bob' &&
      names(boot).join() === 'Alice,Bob,Carol' &&
      seekers(a).length === 2 && seekers(c).includes(b.peerId.toString()))
    const bob = a.services.lobby.presences().find(p => p.name === 'Bob')
    expect(bob?.peer.equals(b.peerId)).toBe(true)
    expect(bob).toMatchObject({ sizes: [9], ratings: { 9: { mu: 25, sigma: 8.333 } }, status: 'idle' })
    expect(bob?.expires).toBeGreaterThan(now())
    const seek = a.services.lobby.seeks().find(s => s.peer.equals(b.peerId))
    expect(seek).toMatchObject({ id: bobSeek, terms, color: 'black', range: { min: 15 } })
    expect(events.get(a)).toContain('presence Bob')
    expect(events.get(a)).toContain(`seek ${b.peerId.toString()}`)
  })

  it('carries each player\'s signed peer record, so a player seen only in the lobby can be dialled', async () => {
    // a and b are connected to the bootstrap node only: identify never ran between them.
    expect(a.getConnections(b.peerId)).toEqual([])
    const want = b.getMultiaddrs().map(ma => ma.decapsulateCode(CODE_P2P).toString()).sort()
    let held: string[] = []
    await until('a holds b\'s certified addresses from the lobby', () => {
      void a.peerStore.get(b.peerId).then(p => { held = p.addresses.filter(x => x.isCertified).map(x => x.multiaddr.toString()).sort() }, () => {})
      return held.length > 0 && held.join() === want.join()
    })
    expect(held).toEqual(want)
    // Dialling b by its peer ID alone now works: the addresses came from the lobby.
    const connection = await a.dial(b.peerId, { signal: AbortSignal.timeout(10_000) })
    expect(connection.remotePeer.equals(b.peerId)).toBe(true)
  })

  it('removes a cancelled seek everywhere', async () => {
    expect(b.services.lobby.cancelSeek(bobSeek)).toBe(true)
    await until('the cancel reached a and c', () => !seekers(a).includes(b.peerId.toString()) && !seekers(c).includes(b.peerId.toString()))
    expect(events.get(a)).toContain(`seek:removed ${b.peerId.toString()} cancelled`)
    expect(events.get(c)).toContain(`seek:removed ${b.peerId.toString()} cancelled`)
    // Carol's seek is untouched.
    expect(seekers(a)).toEqual([c.peerId.toString()])
  })

  describe('a raw gossipsub publish that bypasses the lobby API', () => {
    // The bootstrap node is the sender: every player is connected to it, so each one checks its messages itself.
    const players = (): Node[] => [a, b, c]
    const raw = async (data: Uint8Array): Promise<void> => { await boot.services.pubsub.publish(LOBBY_TOPIC, data) }
    const presenceOf = (peer: PeerId, name: string, expires: number, seq: number): Uint8Array =>
      encodeLobbyMessage({ t: 'presence', peer: peer.toMultihash().bytes, name, sizes: [19], status: 'idle', expires, seq })

    /** Waits for every player to report the refusal, then checks nobody's view took anything from it. */
    async function refusedEverywhere (reason: string, forbiddenName: string): Promise<void> {
      const line = `rejected ${reason} ${boot.peerId.toString()}`
      await until(`every player refused the message as ${reason}`, () => players().every(n => events.get(n)?.includes(line)))
      for (const n of players()) {
        expect(n.services.lobby.presences().map(p => p.name)).not.toContain(forbiddenName)
      }
      expect(names(b)).toContain('Alice')
      expect(names(a)).toContain('Bob')
    }

    it('is taken when it is valid (the control case)', async () => {
      await raw(presenceOf(boot.peerId, 'Bootstrap', now() + TTL, now()))
      await until('every player saw the bootstrap node\'s raw presence', () => players().every(n => names(n).includes('Bootstrap')))
    })

    it('is refused when it is garbage', async () => {
      await raw(Uint8Array.of(0xff, 0xfe, 0xfd))
      await refusedEverywhere('not-cbor', '')
    })

    it('is refused when a presence names another peer', async () => {
      await raw(presenceOf(a.peerId, 'Mallory', now() + TTL, now() + 1))
      await refusedEverywhere('wrong-peer', 'Mallory')
      const alice = b.services.lobby.presences().find(p => p.peer.equals(a.peerId))
      expect(alice?.name).toBe('Alice')
    })

    it('is refused when its peer record is another peer\'s (a copied record must not redirect dials)', async () => {
      // Alice's own, validly signed record, carried in the bootstrap node's presence.
      const aliceRecord = await sealedRecordOf(a)
      await raw(encodeLobbyMessage({ t: 'presence', peer: boot.peerId.toMultihash().bytes, name: 'Copycat', sizes: [19], status: 'idle', expires: now() + TTL, seq: now() + 2, record: aliceRecord }))
      await refusedEverywhere('bad-record', 'Copycat')
    })

    it('is refused when its peer record is not a signed record at all', async () => {
      await raw(encodeLobbyMessage({ t: 'presence', peer: boot.peerId.toMultihash().bytes, name: 'Scribble', sizes: [19], status: 'idle', expires: now() + TTL, seq: now() + 3, record: new Uint8Array([1, 2, 3]) }))
      await refusedEverywhere('bad-record', 'Scribble')
    })

    it('is refused when it would pin an entry past MAX_TTL', async () => {
      await raw(presenceOf(boot.peerId, 'Pinned', now() + MAX_TTL + 60_000, now() + 2))
      await refusedEverywhere('expires-too-far', 'Pinned')
      expect(names(a)).toContain('Bootstrap')
    })
  })

  it('drops a peer that stops republishing once its entries lapse, and keeps the ones that do', async () => {
    const carol = c.peerId.toString()
    c.services.lobby.stop()
    // Move the shared clock 2 s every 100 ms: Carol's entries lapse after about 4.5 s of real time,
    // while Alice and Bob republish every 300 ms (6 s of lobby time), far inside the 90 s TTL.
    const drive = setInterval(() => { offset += 2000 }, 100)
    try {
      // The view hides a lapsed entry at once; the sweep then reports it.
      await until('Carol lapsed and was swept at a and b', () => [a, b].every(n =>
        !names(n).includes('Carol') && !seekers(n).includes(carol) &&
        events.get(n)?.includes('presence:removed Carol expired') === true &&
        events.get(n)?.includes(`seek:removed ${carol} expired`) === true))
    } finally {
      clearInterval(drive)
    }
    await until('Alice and Bob still see each other', () => names(a).includes('Bob') && names(b).includes('Alice'))
    expect(events.get(a)).not.toContain('presence:removed Bob expired')
    expect(events.get(b)).not.toContain('presence:removed Alice expired')
  })
})
