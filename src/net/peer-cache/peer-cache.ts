import { readFile, stat } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { peerIdFromCID } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { writeFileAtomic } from '../../config/atomic-write.js'
import { CacheBook, type CacheEntry } from './cache-book.js'
import { decodeCacheFile, encodeCacheFile, type StoredEntry } from './cache-file.js'
import { DIAL_CONCURRENCY, DIAL_TIMEOUT, ENOUGH_PEERS, MAX_FILE_BYTES, MAX_RECORD_BYTES, RETRY_FIRST, RETRY_MAX, SAMPLE_SIZE, WRITE_INTERVAL } from './constants.js'
import { dialableAddresses, withPeer } from './dialable.js'
import { PeerCacheFileError } from './errors.js'
import type { PeerCacheComponents, PeerCacheInit } from './index.js'
import type { IdentifyResult, Logger, Startable } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A verified entry with the addresses its record signs. */
interface Verified { entry: CacheEntry, addresses: Multiaddr[] }

/** See `peerCache()` in index.ts. */
export class PeerCache implements Startable {
  readonly [Symbol.toStringTag] = 'p2pgo:peer-cache'
  private readonly components: PeerCacheComponents
  private readonly init: PeerCacheInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly book = new CacheBook()
  private readonly onIdentify = (evt: CustomEvent<IdentifyResult>): void => { this.identified(evt.detail).catch(err => { this.log.error('could not cache %p - %e', evt.detail.peerId, err) }) }
  private timer: ReturnType<typeof setInterval> | undefined
  private abort: AbortController | undefined
  private dialling: Promise<void> | undefined
  private writing: Promise<void> = Promise.resolve()
  private dirty = false

  constructor (components: PeerCacheComponents, init: PeerCacheInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('p2pgo:peer-cache')
    this.now = init.now ?? Date.now
  }

  /** How many peers the cache holds now. */
  size (): number {
    return this.book.size
  }

  /**
   * Reads the file (bounded in size, so a damaged one is reported here, before a screen takes
   * the terminal), then dials the best cached peers in the background: start never waits for a dial.
   */
  async start (): Promise<void> {
    if (this.abort != null) return
    const abort = this.abort = new AbortController()
    this.components.events.addEventListener('peer:identify', this.onIdentify)
    this.timer = setInterval(() => { this.save() }, this.init.writeInterval ?? WRITE_INTERVAL)
    this.timer.unref?.()
    const verified = await this.load()
    this.dialling = this.dialUntilJoined(verified, abort.signal).catch(err => {
      this.log.error('dialling cached peers: %e', err)
    })
  }

  /** Stops the dials, then writes the cache if it changed. */
  async stop (): Promise<void> {
    if (this.abort == null) return
    this.abort.abort()
    this.abort = undefined
    clearInterval(this.timer)
    this.timer = undefined
    this.components.events.removeEventListener('peer:identify', this.onIdentify)
    await this.dialling
    this.save()
    await this.writing
  }

  /** The cache file's entries whose signed records verify, into the book; the file missing is no error. */
  private async load (): Promise<Map<string, Verified>> {
    const verified = new Map<string, Verified>()
    const { file } = this.init
    try {
      // Size before reading: a huge file must not be read whole.
      const size = (await stat(file)).size
      if (size > MAX_FILE_BYTES) throw new PeerCacheFileError('too-large', `${size} bytes, more than the ${MAX_FILE_BYTES} a peer cache can take`)
      const decoded = decodeCacheFile(await readFile(file))
      let dropped = decoded.dropped
      for (const stored of decoded.entries) {
        const v = await this.verify(stored)
        if (v == null) dropped++
        else verified.set(v.entry.peer, v)
      }
      if (dropped > 0) {
        this.dirty = true
        this.log('%s: %d entries were damaged or failed their signature check; dropped', file, dropped)
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return verified
      // Unreadable or not a peer cache: said once, and the file is replaced at the next write.
      this.dirty = true
      const what = err instanceof PeerCacheFileError ? 'is not a peer cache' : 'cannot be read'
      const line = `p2pgo: ${file} ${what} (${(err as Error).message}); starting without it, it will be rewritten`
      this.log(line)
      this.init.warn?.(line)
      return verified
    }
    const kept = this.book.load([...verified.values()].map(v => v.entry), this.now())
    this.log('%s: %d cached peers', file, kept)
    return verified
  }

  /** The entry with its peer ID, when its envelope is a peer record signed by that peer; undefined otherwise. */
  private async verify (stored: StoredEntry): Promise<Verified | undefined> {
    try {
      const envelope = await RecordEnvelope.openAndCertify(stored.record, PeerRecord.DOMAIN)
      const record = PeerRecord.createFromProtobuf(envelope.payload)
      const signer = peerIdFromCID(envelope.publicKey.toCID())
      if (!record.peerId.equals(signer) || signer.equals(this.components.peerId)) return undefined
      const addresses = dialableAddresses(record.multiaddrs, this.init.privateNetwork === true)
      if (addresses.length === 0) return undefined
      return { entry: { ...stored, peer: signer.toString() }, addresses }
    } catch {
      return undefined
    }
  }

  /**
   * Dials the sample; while none of it answered and the node holds no connection at all, waits
   * and dials it again (its peers may be restarting too), the wait doubling up to RETRY_MAX.
   */
  private async dialUntilJoined (verified: Map<string, Verified>, signal: AbortSignal): Promise<void> {
    if (verified.size === 0) return
    let wait = this.init.retryFirst ?? RETRY_FIRST
    for (let round = 0; !signal.aborted; round++) {
      if (await this.dialSample(verified, signal, round === 0) > 0) return
      const isolated = (): boolean => this.components.connectionManager.getConnections().length === 0
      if (!isolated()) return
      await sleep(wait, undefined, { signal, ref: false }).catch(() => {})
      if (!isolated()) return
      this.log('no cached peer answered and nothing is connected: dialling them again (round %d)', round + 2)
      wait = Math.min(wait * 2, RETRY_MAX)
    }
  }

  /** Dials the best cached peers, a few at a time, each bounded, until enough answered or the sample is used up. */
  private async dialSample (verified: Map<string, Verified>, signal: AbortSignal, countFailures: boolean): Promise<number> {
    const queue = this.book.sample(this.now(), SAMPLE_SIZE).map(e => verified.get(e.peer)).filter(v => v != null)
    let answered = 0
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next != null && answered < ENOUGH_PEERS && !signal.aborted; next = queue.shift()) {
        if (await this.dial(next, signal, countFailures)) answered++
      }
    }
    await Promise.all(Array.from({ length: DIAL_CONCURRENCY }, worker))
    if (!signal.aborted) this.log('dialled cached peers: %d answered', answered)
    return answered
  }

  private async dial ({ entry, addresses }: Verified, signal: AbortSignal, countFailure: boolean): Promise<boolean> {
    const { connectionManager } = this.components
    if (connectionManager.getConnections().some(c => c.remotePeer.toString() === entry.peer)) return true
    try {
      await connectionManager.openConnection(addresses.map(a => withPeer(a, entry.peer)), {
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.init.dialTimeout ?? DIAL_TIMEOUT)])
      })
      return true
    } catch (err) {
      if (signal.aborted) return false
      this.log('cached peer %s did not answer - %e', entry.peer, err)
      if (countFailure) {
        this.book.failed(entry.peer)
        this.dirty = true
      }
      return false
    }
  }

  /** A connection opened and identified: the peer's signed record goes in the cache, if a stranger could dial it. */
  private async identified (result: IdentifyResult): Promise<void> {
    const { peerId, protocols } = result
    if (peerId.equals(this.components.peerId)) return
    const envelope = (await this.components.peerStore.get(peerId)).peerRecordEnvelope
    if (envelope == null || envelope.length > MAX_RECORD_BYTES) return
    // The peer store keeps only records identify verified; decoding is enough to read the addresses.
    const record = PeerRecord.createFromProtobuf(RecordEnvelope.createFromProtobuf(envelope).payload)
    if (dialableAddresses(record.multiaddrs, this.init.privateNetwork === true).length === 0) return
    this.book.worked(peerId.toString(), envelope, protocols.some(p => p.startsWith('/p2pgo/')), this.now())
    this.dirty = true
  }

  /** Writes the cache if it changed, one write at a time. */
  private save (): void {
    if (!this.dirty) return
    this.dirty = false
    const text = encodeCacheFile(this.book.entries(this.now()))
    this.writing = this.writing.then(async () => { await writeFileAtomic(this.init.file, text) }).catch(err => {
      this.dirty = true
      this.log.error('could not write the peer cache %s - %e', this.init.file, err)
    })
  }
}
