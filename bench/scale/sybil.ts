// The Sybil process of the scale benchmark: S identities that only take. Each is a real libp2p
// node with p2pgo's own transport, DHT and gossipsub configuration (libp2pDefaults, as an honest
// node has) but none of p2pgo's services, set to misbehave:
// - gossip: subscribed to the lobby topic and the census (it is sent everything), forwards
//   nothing (every message it receives is judged `ignore`: gossipsub drops it from its cache),
//   and posts one junk message every SYBIL_PERIOD_MS (bench/scale/sybil-junk.ts), the rate a
//   player may republish its presence on a busy topic's budget;
// - DHT: a kad-dht server whose validators accept anything, holding forged rating records of the
//   honest publishers under their keys, so it answers their lookups with records that would win
//   were they believed (it also pushes them to the honest nodes closest to the key).
// The process exits with the coordinator (the IPC channel's disconnect), like the workers.
import '../../src/polyfill.js'
import { createLibp2p, type Libp2p } from 'libp2p'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { MemoryDatastore } from 'datastore-core'
import { libp2pDefaults, type P2pgoServices } from '../../src/net/libp2p-defaults.js'
import { RATING_NAMESPACE, RESULT_NAMESPACE } from '../../src/rating/constants.js'
import { ratingKey } from '../../src/net/rating/dht-records.js'
import { peerIdFromString } from '@libp2p/peer-id'
import { LOBBY_V2_CENSUS_TOPIC, lobbyV2Topic } from '../../src/net/lobby/v2/index.js'
import { gossipControl } from '../../src/net/adapters/gossipsub-internals.js'
import { ByteMeter } from './byte-meter.js'
import { JUNK_KINDS, forgedRatingRecord, junkMessage } from './sybil-junk.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Reply, Request } from './messages.js'

/** How often each Sybil posts a junk message: a presence republished at the lobby's shortest period would be every 30 s; this is three times as often. */
export const SYBIL_PERIOD_MS = 10_000
const LOBBY_TOPIC = lobbyV2Topic(9, 6)
/** Sybils started at once (as the workers' batches). */
const START_BATCH = 5

interface Sybil { readonly node: Libp2p<P2pgoServices>, readonly key: PrivateKey, readonly meter: ByteMeter, heard?: Uint8Array }

const sybils: Sybil[] = []
const sent: Record<string, number> = {}
let forgedRecords = 0
let timer: ReturnType<typeof setInterval> | undefined
let round = 0

function send (reply: Reply): void { process.send?.(reply) }

async function startSybil (bootstrap: string[]): Promise<Sybil> {
  const key = await generateKeyPair('Ed25519')
  const meter = new ByteMeter()
  const anything = async (): Promise<void> => {}
  const options = libp2pDefaults({
    privateKey: key,
    datastore: new MemoryDatastore(),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    privateNetwork: true,
    connectionMonitor: false,
    // Its DHT believes anything and prefers the first record it holds: its own forgeries.
    dhtRecords: { validators: { [RATING_NAMESPACE]: anything, [RESULT_NAMESPACE]: anything }, selectors: { [RATING_NAMESPACE]: () => 0, [RESULT_NAMESPACE]: () => 0 } }
  })
  const node = await createLibp2p({ ...options, metrics: meter.metrics })
  const sybil: Sybil = { node, key, meter }
  const pubsub = node.services.pubsub
  pubsub.addEventListener('gossipsub:message', e => {
    const { msgId, msg, propagationSource } = e.detail
    if (msg.topic === LOBBY_TOPIC && sybil.heard == null) sybil.heard = msg.data
    // Never forwards: every message is judged not worth passing on (and not blamed on its sender).
    gossipControl(pubsub).reportMessageValidationResult(msgId, propagationSource.toString(), TopicValidatorResult.Ignore)
  })
  pubsub.subscribe(LOBBY_TOPIC)
  pubsub.subscribe(LOBBY_V2_CENSUS_TOPIC)
  return sybil
}

/** Stores (and pushes) a forged rating record for each victim, from the Sybils in turn. */
async function forgeRecords (victims: string[]): Promise<void> {
  await Promise.all(victims.map(async (victim, k) => {
    const s = sybils[k % sybils.length]
    try {
      for await (const _ of s.node.services.dht.put(ratingKey(peerIdFromString(victim).toMultihash().bytes), await forgedRatingRecord(s.key, victim), { signal: AbortSignal.timeout(30_000) })) { /* events: not needed */ }
    } catch {
      // Honest peers refused it, or the time ran out: it is stored here all the same, which is what answers lookups.
    }
    forgedRecords++
  }))
}

async function post (victims: string[]): Promise<void> {
  const r = round++
  await Promise.all(sybils.map(async (s, k) => {
    const kind = JUNK_KINDS[(r + k) % JUNK_KINDS.length]
    try {
      const { topic, data } = await junkMessage(kind, s.key, victims[(r + k) % victims.length], s.heard, r, LOBBY_TOPIC, LOBBY_V2_CENSUS_TOPIC)
      await s.node.services.pubsub.publish(topic, data)
      sent[kind] = (sent[kind] ?? 0) + 1
    } catch {
      sent[`${kind}:unsent`] = (sent[`${kind}:unsent`] ?? 0) + 1
    }
  }))
}

async function handle (m: Request): Promise<void> {
  switch (m.t) {
    case 'sybils': {
      for (let i = 0; i < m.count; i += START_BATCH) {
        sybils.push(...await Promise.all(Array.from({ length: Math.min(START_BATCH, m.count - i) }, async () => startSybil(m.bootstrap))))
      }
      send({ t: 'sybils', id: m.id, peers: sybils.map(s => s.node.peerId.toString()) })
      // Spread over the period: each Sybil posts once per period, not all at once.
      timer = setInterval(() => { void post(m.victims) }, SYBIL_PERIOD_MS)
      void forgeRecords(m.victims)
      return
    }
    case 'sybil-sample': {
      let bytesIn = 0
      let bytesOut = 0
      let dhtOut = 0
      for (const s of sybils) {
        const { total, protocols } = await s.meter.read()
        bytesIn += total.in
        bytesOut += total.out
        dhtOut += Object.entries(protocols).filter(([k]) => k.startsWith('/p2pgo/kad/')).reduce((a, [, v]) => a + v.out, 0)
      }
      send({ t: 'sybil-sample', id: m.id, at: Date.now(), sent: { ...sent }, forgedRecords, bytesIn, bytesOut, dhtOut, connections: sybils.reduce((a, s) => a + s.node.getConnections().length, 0) })
      return
    }
    case 'stop':
      clearInterval(timer)
      await Promise.all(sybils.map(async s => { try { await s.node.stop() } catch {} }))
      send({ t: 'stopped', id: m.id })
      setTimeout(() => process.exit(0), 100).unref()
      return
    default:
      send({ t: 'error', id: m.id, message: `a Sybil process does not do ${m.t}` })
  }
}

process.on('message', (m: Request) => {
  handle(m).catch(err => { send({ t: 'error', id: m.id, message: (err as Error).stack ?? String(err) }) })
})
// The coordinator gone (killed, crashed): leave no process behind.
process.on('disconnect', () => { process.exit(0) })
