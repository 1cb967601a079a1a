// The peer cache file: JSON, one object per peer with its signed peer record (base64) and when
// it last worked. Pure: bytes in, entries out (or a named error); the service does the I/O and
// verifies each record's signature, which this file cannot.
import { MAX_ENTRIES, MAX_FAILURES, MAX_FILE_BYTES, MAX_RECORD_BYTES, PEER_CACHE_VERSION } from './constants.js'
import { PeerCacheFileError } from './errors.js'

/** One peer as the file holds it; the peer ID and addresses are inside the signed record. */
export interface StoredEntry {
  /** The peer's signed peer record envelope (libp2p's `peerRecordEnvelope`), as marshalled. */
  readonly record: Uint8Array
  /** When a connection to it last opened and identified, ms since the epoch. */
  readonly lastWorked: number
  /** Dials in a row that failed since then. */
  readonly failures: number
  /** Whether it spoke a p2pgo protocol when it last worked. */
  readonly p2pgo: boolean
}

/** A decoded file: the entries whose fields are well formed, and how many were not. */
export interface DecodedCache {
  readonly entries: StoredEntry[]
  readonly dropped: number
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Reads a peer cache file: size first, then JSON, then the outer shape (errors), then each entry (dropped when malformed). */
export function decodeCacheFile (bytes: Uint8Array): DecodedCache {
  if (bytes.length > MAX_FILE_BYTES) throw new PeerCacheFileError('too-large', `${bytes.length} bytes, more than the ${MAX_FILE_BYTES} a cache of ${MAX_ENTRIES} peers can take`)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new PeerCacheFileError('not-json', `not JSON: ${(err as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PeerCacheFileError('wrong-shape', 'not a JSON object')
  const { version, peers } = value as { version?: unknown, peers?: unknown }
  if (version !== PEER_CACHE_VERSION) throw new PeerCacheFileError('wrong-version', `version ${JSON.stringify(version) ?? 'missing'}, expected ${PEER_CACHE_VERSION}`)
  if (!Array.isArray(peers)) throw new PeerCacheFileError('wrong-shape', 'no "peers" list')
  const entries: StoredEntry[] = []
  let dropped = 0
  for (const item of peers) {
    const entry = entryOf(item)
    if (entry == null || entries.length >= MAX_ENTRIES) dropped++
    else entries.push(entry)
  }
  return { entries, dropped }
}

function entryOf (item: unknown): StoredEntry | undefined {
  if (typeof item !== 'object' || item === null) return undefined
  const { record, lastWorked, failures, p2pgo } = item as Record<string, unknown>
  if (typeof record !== 'string' || record.length === 0 || record.length > Math.ceil(MAX_RECORD_BYTES / 3) * 4 || !BASE64.test(record)) return undefined
  if (typeof lastWorked !== 'number' || !Number.isFinite(lastWorked) || lastWorked < 0) return undefined
  if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 0 || failures > MAX_FAILURES) return undefined
  if (typeof p2pgo !== 'boolean') return undefined
  const bytes = Buffer.from(record, 'base64')
  // Buffer skips what is not base64; a record that does not survive the round trip was damaged.
  if (bytes.toString('base64') !== record) return undefined
  return { record: new Uint8Array(bytes), lastWorked, failures, p2pgo }
}

/** The file's text for these entries (best first, as given). */
export function encodeCacheFile (entries: readonly StoredEntry[]): string {
  const peers = entries.map(e => ({ record: Buffer.from(e.record).toString('base64'), lastWorked: e.lastWorked, failures: e.failures, p2pgo: e.p2pgo }))
  return JSON.stringify({ version: PEER_CACHE_VERSION, peers }, null, 1) + '\n'
}
