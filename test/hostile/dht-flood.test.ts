// A hostile peer floods a p2pgo bootstrap node's DHT store (protocols/rating.md, "Storage"): a
// plain libp2p client with kad-dht in client mode, nothing of p2pgo but its record codec, PUTs
// valid rating records of fresh keys over one connection, then from fresh identities, around a
// replay of an older record. The store must stay bounded (per sender, per address) and the
// newest sequence of a record it holds must survive the flood. Figures are printed for README.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DHT_PROTOCOL, LOOPBACK_ALLOW } from '../../src/net/constants.js'
import { ratingKey } from '../../src/net/rating/dht-records.js'
import { DEFAULT_STORE_LIMITS } from '../../src/net/rating/store-admission.js'
import { RATING_NAMESPACE, RECORD_TTL } from '../../src/rating/constants.js'
import { decodeRatingRecord, encodeRatingRecord, signRatingRecord } from '../../src/rating/rating-record.js'
import { startP2pgo, waitFor, type P2pgoProcess } from '../helpers/processes.js'
import type { PrivateKey } from '@libp2p/interface'

/** Records PUT from fresh keys over one connection (P2PGO_FLOOD overrides it: 10001 is the original finding's flood). */
const FLOOD = Number(process.env.P2PGO_FLOOD ?? 400)
/** Fresh client identities after that, each PUTting PER_IDENTITY records. */
const IDENTITIES = Number(process.env.P2PGO_FLOOD_IDENTITIES ?? 10)
const PER_IDENTITY = Number(process.env.P2PGO_FLOOD_PER_IDENTITY ?? 150)

type Client = Libp2p<{ dht: KadDHT }>

async function client (): Promise<Client> {
  return createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { allow: [...LOOPBACK_ALLOW] },
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 16 }),
      // The client believes anything: what it reads back is the bootstrap node's answer, unfiltered.
      dht: kadDHT({ protocol: DHT_PROTOCOL, clientMode: true, peerInfoMapper: passthroughMapper, validators: { [RATING_NAMESPACE]: async () => {} }, selectors: { [RATING_NAMESPACE]: () => 0 } })
    }
  })
}

/** A valid rating record of `key`'s peer at `seq`. */
async function record (key: PrivateKey, seq: number): Promise<{ key: Uint8Array, value: Uint8Array }> {
  const peer = (await import('@libp2p/peer-id')).peerIdFromPrivateKey(key).toMultihash().bytes
  const now = Date.now()
  const signed = await signRatingRecord(key, { peer, seq, updated: now, expires: now + RECORD_TTL, sizes: {}, relay: { delivered: 0, failed: 0, served: 0 } })
  return { key: ratingKey(peer), value: encodeRatingRecord(signed) }
}

/** PUTs a record through kad-dht; whether the bootstrap node stored it (it echoes a stored record). */
async function put (c: Client, r: { key: Uint8Array, value: Uint8Array }): Promise<boolean> {
  let stored = false
  try {
    for await (const e of c.services.dht.put(r.key, r.value, { signal: AbortSignal.timeout(20_000) })) {
      if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE' && e.record != null) stored = true
    }
  } catch {}
  return stored
}

/** The record the bootstrap node answers for a key (a direct GET through a fresh walk). */
async function get (c: Client, key: Uint8Array): Promise<Uint8Array | undefined> {
  let value: Uint8Array | undefined
  for await (const e of c.services.dht.get(key, { signal: AbortSignal.timeout(20_000) })) {
    if (e.name === 'PEER_RESPONSE' && e.messageName === 'GET_VALUE' && e.record != null) value = e.record.value
  }
  return value
}

function rssMb (pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:')) ?? ''
  return Math.round(Number(/\d+/.exec(line)?.[0] ?? 0) / 1024)
}

/** Bytes on disk under a folder (the node's home: its LevelDB datastore). */
function diskKb (dir: string): number {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size
  }
  return Math.round(bytes / 1024)
}

describe('a flood of valid DHT records from one address', () => {
  let dir: string
  let proc: P2pgoProcess
  let address: string
  const clients: Client[] = []

  const connected = async (): Promise<Client> => {
    const c = await client()
    clients.push(c)
    await c.dial(multiaddr(address))
    await waitFor(() => c.services.dht.routingTable.size > 0, 'the bootstrap node in the client\'s routing table', 20_000)
    return c
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pgo-dht-flood-'))
    proc = startP2pgo(['bootstrap', '--home', join(dir, 'boot'), '--listen', '/ip4/127.0.0.1/tcp/0', '--stun-port', '0', '--local'])
    await waitFor(() => proc.lines.some(l => l.includes('/tcp/')), 'the bootstrap node to start')
    address = proc.lines.find(l => l.includes('/tcp/')) as string
  })

  afterAll(async () => {
    await Promise.all(clients.map(async c => c.stop().catch(() => {})))
    if (proc?.child.exitCode == null) proc?.child.kill('SIGKILL')
    await proc?.exited
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps the newest record it holds, and stores only its quotas of the flood', async () => {
    const attacker = await connected()
    const target = await generateKeyPair('Ed25519')
    const older = await record(target, 1)
    const newer = await record(target, 2)
    expect(await put(attacker, newer)).toBe(true)
    expect(await put(attacker, older)).toBe(false)

    const rssBefore = rssMb(proc.child.pid as number)
    const diskBefore = diskKb(join(dir, 'boot'))
    const started = performance.now()
    let fromOne = 0
    for (let i = 0; i < FLOOD; i++) if (await put(attacker, await record(await generateKeyPair('Ed25519'), 1))) fromOne++
    const oneMs = performance.now() - started
    let fromMany = 0
    for (let n = 0; n < IDENTITIES; n++) {
      const sybil = await connected()
      for (let i = 0; i < PER_IDENTITY; i++) if (await put(sybil, await record(await generateKeyPair('Ed25519'), 1))) fromMany++
      await sybil.stop()
    }
    const ms = performance.now() - started
    const rssAfter = rssMb(proc.child.pid as number)
    const diskAfter = diskKb(join(dir, 'boot'))
    const replay = await put(attacker, older)
    const reader = await connected()
    const answer = await get(reader, newer.key)
    console.log(`DHT flood: ${fromOne} of ${FLOOD} records from one connection stored (${(oneMs / 1000).toFixed(1)} s); ` +
      `${fromMany} of ${IDENTITIES * PER_IDENTITY} from ${IDENTITIES} fresh identities on the same address; ${(ms / 1000).toFixed(1)} s in all; ` +
      `bootstrap RSS ${rssBefore} -> ${rssAfter} MB, home on disk ${diskBefore} -> ${diskAfter} KiB; replay of the older record ${replay ? 'ACCEPTED' : 'refused'}; GET answers seq ${answer != null ? decodeRatingRecord(answer).seq : 'none'}`)

    // The newest sequence lives with the stored record: no amount of other records displaces it.
    expect(replay).toBe(false)
    expect(answer != null ? decodeRatingRecord(answer).seq : undefined).toBe(2)
    // One sender gets its quota, one address its quota, whatever the identities.
    expect(fromOne).toBe(Math.min(FLOOD, DEFAULT_STORE_LIMITS.perSender - 1))
    expect(fromOne + 1 + fromMany).toBeLessThanOrEqual(DEFAULT_STORE_LIMITS.perAddress)
  }, Math.max(600_000, (FLOOD + IDENTITIES * PER_IDENTITY) * 100))
})
