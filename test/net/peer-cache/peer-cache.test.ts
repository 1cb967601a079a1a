// The peer cache with real nodes on 127.0.0.1: a restarted node whose bootstrap peer is down
// rejoins through a peer it met before; a poisoned cache neither stalls start nor stops the
// bootstrap list; a corrupt or oversized file is reported in words and the node starts anyway.
import { blackHole, closeBlackHoles, closedPort } from '../../helpers/dead-ports.js'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/config.js'
import { P2pgoNode } from '../../../src/net/node.js'
import { MAX_FAILURES, MAX_FILE_BYTES } from '../../../src/net/peer-cache/constants.js'
import { decodeCacheFile } from '../../../src/net/peer-cache/cache-file.js'
import { until } from '../../helpers/game-nodes.js'
import type { PrivateKey } from '@libp2p/interface'

const nodes: P2pgoNode[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => n.stop()))
  await closeBlackHoles()
  await Promise.all(dirs.splice(0).map(async d => rm(d, { recursive: true, force: true })))
})

async function home (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pgo-peer-cache-'))
  dirs.push(dir)
  return dir
}

interface StartOptions { bootstrap?: string[], cacheFile?: string, warn?: (line: string) => void, listen?: string, retryFirst?: number }

async function start (key: PrivateKey, options: StartOptions = {}): Promise<P2pgoNode> {
  const config = { ...defaultConfig({ userName: 'n' }), listen: [options.listen ?? '/ip4/127.0.0.1/tcp/0'], bootstrap: options.bootstrap ?? [], relayServer: 'off' as const }
  const node = await P2pgoNode.create({
    privateKey: key,
    datastore: new MemoryDatastore(),
    config,
    role: 'player',
    privateNetwork: true,
    ...(options.cacheFile != null ? { peerCache: { file: options.cacheFile, warn: options.warn ?? (() => {}), ...(options.retryFirst != null ? { retryFirst: options.retryFirst } : {}) } } : {})
  })
  nodes.push(node)
  await node.start()
  return node
}

async function stop (node: P2pgoNode): Promise<void> {
  nodes.splice(nodes.indexOf(node), 1)
  await node.stop()
}

const CODE_P2P = 421
const connected = (a: P2pgoNode, b: P2pgoNode): boolean => a.libp2p.getConnections(b.libp2p.peerId).length > 0


/** A real signed peer record of a fresh identity whose only address is `address`. */
async function signedRecordAt (address: string): Promise<string> {
  const key = await generateKeyPair('Ed25519')
  const envelope = await RecordEnvelope.seal(new PeerRecord({ peerId: peerIdFromPrivateKey(key), multiaddrs: [multiaddr(address)] }), key)
  return Buffer.from(envelope.marshal()).toString('base64')
}

describe('peer cache', () => {
  it('a node restarted while its bootstrap peer is down reconnects to a peer it met before', async () => {
    const boot = await start(await generateKeyPair('Ed25519'))
    const bootAddress = boot.libp2p.getMultiaddrs()[0].toString()
    const friend = await start(await generateKeyPair('Ed25519'), { bootstrap: [bootAddress] })
    const dir = await home()
    const file = join(dir, 'peers.json')
    const key = await generateKeyPair('Ed25519')
    const first = await start(key, { bootstrap: [bootAddress], cacheFile: file })
    await first.libp2p.dial(friend.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(20_000) })
    await until(() => (first.peerCache?.size() ?? 0) >= 2, 'the node to cache the bootstrap peer and the friend')
    await stop(first)
    await stop(boot)
    // The cache is written at stop; a fresh datastore, so libp2p's own peer store knows nobody.
    expect((await stat(file)).size).toBeGreaterThan(0)
    const again = await start(key, { bootstrap: [bootAddress], cacheFile: file })
    await until(() => connected(again, friend), 'the restarted node to reach the friend from its cache', 30_000)
  })

  it('a node whose cached peers are all down at its start (restarting too) dials them again until one answers', async () => {
    const friendKey = await generateKeyPair('Ed25519')
    const port = await closedPort()
    const address = `/ip4/127.0.0.1/tcp/${port}`
    const record = await RecordEnvelope.seal(new PeerRecord({ peerId: peerIdFromPrivateKey(friendKey), multiaddrs: [multiaddr(address)] }), friendKey)
    const file = join(await home(), 'peers.json')
    await writeFile(file, JSON.stringify({ version: 1, peers: [{ record: Buffer.from(record.marshal()).toString('base64'), lastWorked: Date.now() - 60_000, failures: 0, p2pgo: true }] }))
    // No bootstrap peer: the cache is the only way in, and its one peer is not up yet.
    const node = await start(await generateKeyPair('Ed25519'), { cacheFile: file, retryFirst: 500 })
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(node.libp2p.getConnections()).toHaveLength(0)
    const friend = await start(friendKey, { listen: address })
    await until(() => connected(node, friend), 'the node to reach its cached peer once it is up', 30_000)
    // Failed rounds after the first do not count against the peer.
    await stop(node)
    expect(decodeCacheFile(await readFile(file)).entries[0]).toMatchObject({ failures: 0 })
  })

  it('a poisoned cache (addresses that never answer, garbage) neither stalls start nor stops the bootstrap list', async () => {
    const boot = await start(await generateKeyPair('Ed25519'))
    const bootAddress = boot.libp2p.getMultiaddrs()[0].toString()
    const port = await blackHole()
    const entries: unknown[] = []
    for (let i = 0; i < 40; i++) entries.push({ record: await signedRecordAt(`/ip4/127.0.0.1/tcp/${port}`), lastWorked: Date.now() - i * 1000, failures: 0, p2pgo: true })
    entries.push({ record: Buffer.from('not an envelope at all').toString('base64'), lastWorked: Date.now(), failures: 0, p2pgo: true })
    entries.push({ record: 42, lastWorked: 'yesterday' })
    entries.push('garbage')
    const dir = await home()
    const file = join(dir, 'peers.json')
    await writeFile(file, JSON.stringify({ version: 1, peers: entries }))
    const warnings: string[] = []
    const node = await start(await generateKeyPair('Ed25519'), { bootstrap: [bootAddress], cacheFile: file, warn: line => warnings.push(line) })
    expect(node.libp2p.status).toBe('started')
    await until(() => connected(node, boot), 'the node to reach its bootstrap peer past the poisoned cache', 30_000)
    // The entries that failed verification are gone once the cache is written again.
    await stop(node)
    const saved = decodeCacheFile(await readFile(file))
    expect(saved.entries.length).toBeLessThanOrEqual(41)
    expect(saved.entries.every(e => e.record.length > 30)).toBe(true)
  })

  it('cached peers whose dials keep failing lose their place; one that answers is kept with its failures forgotten', async () => {
    const friendKey = await generateKeyPair('Ed25519')
    const friend = await start(friendKey)
    const friendRecord = await RecordEnvelope.seal(new PeerRecord({ peerId: friend.libp2p.peerId, multiaddrs: friend.libp2p.getMultiaddrs().map(a => a.decapsulateCode(CODE_P2P)) }), friendKey)
    const port = await closedPort()
    const almostGone = MAX_FAILURES - 1
    const entries = [{ record: Buffer.from(friendRecord.marshal()).toString('base64'), lastWorked: Date.now() - 60_000, failures: almostGone, p2pgo: true }]
    for (let i = 0; i < 5; i++) entries.push({ record: await signedRecordAt(`/ip4/127.0.0.1/tcp/${port}`), lastWorked: Date.now() - i * 1000, failures: almostGone, p2pgo: true })
    const file = join(await home(), 'peers.json')
    await writeFile(file, JSON.stringify({ version: 1, peers: entries }))
    // No bootstrap peer at all: the cache is the only way in.
    const node = await start(await generateKeyPair('Ed25519'), { cacheFile: file })
    expect(node.peerCache?.size()).toBe(6)
    await until(() => connected(node, friend), 'the node to reach the one cached peer that answers')
    await until(() => node.peerCache?.size() === 1, 'the peers that never answer to lose their place')
    await stop(node)
    const saved = decodeCacheFile(await readFile(file))
    expect(saved.entries).toHaveLength(1)
    expect(saved.entries[0]).toMatchObject({ failures: 0, p2pgo: true })
    // The record is now the one the friend itself sent at identify, not the one the file held.
    expect(Buffer.from(saved.entries[0].record).equals(Buffer.from(friendRecord.marshal()))).toBe(false)
  })

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0x00, 0x13, 0x37, 0x7b, 0x22])],
    ['a JSON file of another shape', Buffer.from('{"hello": "world"}')],
    ['a file over the size limit', Buffer.alloc(MAX_FILE_BYTES + 1, 0x20)]
  ])('a cache file holding %s gives one clear warning and the node starts without it', async (_what, content) => {
    const boot = await start(await generateKeyPair('Ed25519'))
    const bootAddress = boot.libp2p.getMultiaddrs()[0].toString()
    const dir = await home()
    const file = join(dir, 'peers.json')
    await writeFile(file, content)
    const warnings: string[] = []
    const node = await start(await generateKeyPair('Ed25519'), { bootstrap: [bootAddress], cacheFile: file, warn: line => warnings.push(line) })
    await until(() => warnings.length > 0, 'the warning about the cache file')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(file)
    expect(warnings[0]).toMatch(/is not a peer cache .*starting without it/)
    await until(() => connected(node, boot), 'the node to reach its bootstrap peer')
    await until(() => (node.peerCache?.size() ?? 0) >= 1, 'the node to cache its bootstrap peer')
    await stop(node)
    // Rewritten as a good cache at stop.
    expect(decodeCacheFile(await readFile(file)).entries.length).toBeGreaterThanOrEqual(1)
  })
})
