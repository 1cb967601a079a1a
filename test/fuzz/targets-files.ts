// Fuzz targets for every decoder that reads a file or a local process: SGF import, GTP engine
// output, config.json and bootstrap.json, identity.key, and the records the node reads back from
// its datastore (a disk that was edited, damaged or written by another version).
import { mkdtempSync, rmSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { decodeSgfBytes, recordFromSgf } from '../../src/game/sgf.js'
import { checkSgf } from '../../src/game/sgf-check.js'
import { replayRecord } from '../../src/game/game-record.js'
import { GamePhaseError, IllegalMoveError, InvalidSettingError, SgfError } from '../../src/game/errors.js'
import { parseResponse, splitResponse } from '../../src/gtp/gtp-codec.js'
import { GtpProtocolError } from '../../src/gtp/errors.js'
import { readConfigFile } from '../../src/config/home.js'
import { ConfigError } from '../../src/config/validation.js'
import { decodeIdentity, IdentityError } from '../../src/config/identity.js'
import { parseDaemonConfig } from '../../bootstrap/daemon-config.js'
import { GameStore } from '../../src/net/game/game-store.js'
import { RnaStore } from '../../src/net/rna/rna-store.js'
import { EventStore } from '../../src/net/reputation/event-store.js'
import { RatingState } from '../../src/net/rating/rating-state.js'
import { RNA_PREFIX } from '../../src/net/rna/constants.js'
import { RATING_PREFIX } from '../../src/net/rating/constants.js'
import { REPUTATION_PREFIX } from '../../src/net/reputation/constants.js'
import { WireError } from '../../src/wire/errors.js'
import { encodeCanonical } from '../../src/wire/cbor.js'
import { cidOf } from '../../src/wire/cid.js'
import { InvalidRatingRecordError } from '../../src/rating/errors.js'
import { gameMessageArb, startArb } from './arbitraries.js'
import { hostileBytes, mutatedBytes, nastyValue } from './mutate.js'
import { valueOf, type Corpus } from './corpus.js'
import type { FuzzTarget } from './harness.js'

const utf8 = new TextEncoder()
const latin1 = new TextDecoder('latin1')

/** Text made of a grammar's tokens: most inputs look like the format, a few are junk. */
function tokens (words: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ arbitrary: fc.constantFrom(...words), weight: 6 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }), { maxLength }).map(ws => ws.join(''))
}

/** Text broken as bytes are: bit flips, cuts and splices of a valid text, read back as Latin-1 so every byte survives. */
function mutatedText (valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return mutatedBytes(valid.map(s => utf8.encode(s))).map(b => latin1.decode(b))
}

const sgfWords = [
  '(', ')', ';', '(;', 'GM[1]', 'FF[4]', 'CA[UTF-8]', 'CA[GB2312]', 'CA[x-junk]', 'SZ[19]', 'SZ[9]', 'SZ[25]', 'SZ[0]', 'SZ[52]', 'SZ[9:13]', 'SZ[1e3]',
  'KM[6.5]', 'KM[1e308]', 'KM[-1001]', 'KM[NaN]', 'HA[9]', 'RU[Japanese]', 'RU[Chinese]', 'RU[NZ]', 'RU[Go]', 'TM[600]', 'TM[1e400]',
  'OT[5x30 byo-yomi]', 'OT[25/600 Canadian]', 'OT[fischer 10 max 300]', 'OT[99999999999x1]',
  'B[aa]', 'W[bb]', 'B[]', 'W[tt]', 'B[zz]', 'B[ZZ]', 'W[a]', 'BL[30]', 'OB[3]', 'WL[-1]', 'OW[1e9]',
  'AB[aa]', 'AB[aa:ss]', 'AB[aa:yy]', 'AW[cc]', 'AE[aa]', 'PL[W]', 'C[a comment \\] with escape]', 'PB[Black]', 'RE[B+R]', 'DT[2026-12-06]',
  '[', ']', '\\', '\n', ' ', 'B', 'W'
]

const gtpWords = ['=', '?', '=1', '?12', '=99999999999999999999', ' ', 'D4', 'pass', 'resign', '\n', '\n\n', '\r\n', '\r', '#', 'ok', 'illegal move', '= ', '\t']

const configKeys = ['name', 'listen', 'announce', 'bootstrap', 'mdns', 'upnp', 'relayServer', 'stun', 'dht', 'clientMode', 'logLevel', 'metrics', 'stunPort', 'shutdownGraceMs', 'relay', 'maxReservationsPerIp', 'hopTimeoutMs', '__proto__', 'constructor']
const configStrings = ['/ip4/0.0.0.0/tcp/0', '/p2p-circuit', '/webrtc', '/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWLRPJAA5o6x4hdLVpc6hGhbB3aJ9RMSmHKpjjYVQMTqqE', '/dns4/x/tcp/1/p2p/Qm', 'stun:relay.example.org:3478', 'stun:[::1]:99999', 'auto', 'on', 'off', 'debug', '127.0.0.1:9464', '[::1]:0', '', '/']

/** JSON a person may write: mostly config-shaped objects, with wrong values, typos and nesting. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>(tie => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, true, false, 0, -1, 65536, 1e21, 0.5, ...configStrings),
    fc.string({ maxLength: 12 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...configKeys), fc.string({ maxLength: 8 })), tie('v'), { maxKeys: 4, noNullPrototype: true })
  )
})).v

const configText: fc.Arbitrary<string> = fc.oneof(
  jsonValue.map(v => JSON.stringify(v) ?? 'null'),
  mutatedText(jsonValue.map(v => JSON.stringify(v, null, 2) ?? 'null')),
  tokens(['{', '}', '[', ']', ',', ':', '"name"', '"listen"', '"relay"', '"x"', '1', 'true', 'null', ' ', '\n', '\uFEFF', '"\\u12"', '"\\q"', '-', '1e', '.5'], 40),
  // Deep nesting: people do not write it, a damaged or generated file may.
  fc.integer({ min: 1, max: 20_000 }).chain(n => fc.constantFrom('['.repeat(n), '['.repeat(n) + ']'.repeat(n), '{"relay":'.repeat(n), '[' + '{"a":['.repeat(n)))
)

function swallow (...allowed: Array<abstract new (...args: any[]) => Error>) {
  return (err: unknown): void => {
    if (!allowed.some(cls => err instanceof cls)) throw err
  }
}

export function fileTargets (c: Corpus): FuzzTarget[] {
  const dir = mkdtempSync(join(tmpdir(), 'p2pgo-fuzz-'))
  process.once('exit', () => { rmSync(dir, { recursive: true, force: true }) })
  const configPath = join(dir, 'config.json')
  const gameId = cidOf({ fuzz: 'game' })
  const rnaId = cidOf({ fuzz: 'rna' })
  const storedBytes = (valid: fc.Arbitrary<unknown>, seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
    hostileBytes(seeds.length > 0 ? fc.oneof(valid, fc.constantFrom(...seeds.map(valueOf))) : valid, 4096, seeds)
  const meta = fc.record({ me: fc.constantFrom('B', 'W'), opponent: fc.string({ maxLength: 60 }), acked: fc.nat(), result: fc.constantFrom('B+R', 'W+3.5'), finishedAt: fc.nat() }, { requiredKeys: ['me', 'opponent', 'acked'] })
  const rnaMeta = fc.record({
    kind: fc.constant('mrna'), origin: fc.string({ maxLength: 52 }), receivedAt: fc.nat(), publishedAt: fc.nat(), quality: fc.integer({ min: 0, max: 1_000_000 }),
    expires: fc.nat(), gameId: fc.string({ maxLength: 60 }), size: fc.integer({ min: 0, max: 25 }), end: fc.constantFrom('score', 'resign', 'timeout', 'void'),
    handicap: fc.nat(9), novelty: fc.integer({ min: 0, max: 1_000_000 }), names: fc.record({ B: fc.string(), W: fc.string() }),
    moves: fc.uint8Array({ maxLength: 40 }), uses: fc.array(fc.string({ maxLength: 52 }), { maxLength: 3 })
  })
  const event = fc.record({ kind: fc.constantFrom('originated', 'delivered', 'invalid', 'spam', 'audit-failed'), peer: fc.string({ maxLength: 52 }), rna: fc.string({ maxLength: 60 }), origin: fc.string({ maxLength: 52 }), quality: fc.integer({ min: 0, max: 1_000_000 }), reason: fc.string({ maxLength: 20 }), at: fc.nat() }, { requiredKeys: ['kind', 'peer', 'at'] })
  return [
    {
      name: 'sgf',
      decoder: 'decodeSgfBytes + recordFromSgf + replayRecord, and checkSgf (SGF import, sgf check)',
      input: fc.oneof(
        { arbitrary: fc.constant(utf8.encode(c.sgf)), weight: 1 },
        { arbitrary: mutatedBytes(fc.constant(utf8.encode(c.sgf))), weight: 8 },
        { arbitrary: tokens(sgfWords, 60).map(s => utf8.encode(s)), weight: 8 },
        // Large files at and past the limits: deep trees, many nodes, unclosed property values (the tokenizer scans to the end for each).
        { arbitrary: fc.integer({ min: 1, max: 100_000 }).map(n => utf8.encode('('.repeat(n) + ';B[aa]' + ')'.repeat(n))), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 60_000 }).map(n => utf8.encode('(;GM[1]SZ[25]' + ';B[aa]'.repeat(n) + ')')), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map(n => utf8.encode('(;C' + '['.repeat(n) + ')')), weight: 1 }
      ),
      run: (bytes: Uint8Array) => {
        const text = decodeSgfBytes(bytes)
        try { checkSgf(text) } catch (err) { swallow(SgfError)(err) }
        replayRecord(recordFromSgf(text))
      },
      allowed: [SgfError, IllegalMoveError, InvalidSettingError, GamePhaseError],
      // A file may hold up to MAX_SGF_NODES nodes (read twice here, by checkSgf and the import): ~2 kB and ~20 µs each.
      inputMs: 5000,
      allocBytes: 256 * 2 ** 20
    },
    {
      name: 'gtp',
      decoder: 'splitResponse + parseResponse (a GTP engine\'s output)',
      input: fc.oneof(tokens(gtpWords, 30), mutatedText(fc.constantFrom('= D4\n\n', '=3 pass\n\n', '? illegal move\n\n', '= GNU Go\n\n= 3.8\n\n'))),
      run: (text: string) => {
        let buffer = text
        for (;;) {
          const split = splitResponse(buffer)
          if (split == null) return
          buffer = split[1]
          parseResponse(split[0])
        }
      },
      allowed: [GtpProtocolError]
    },
    {
      name: 'config-json',
      decoder: 'readConfigFile (the home\'s config.json)',
      input: configText,
      run: async (text: string) => {
        await writeFile(configPath, text)
        await readConfigFile(configPath)
      },
      allowed: [ConfigError]
    },
    {
      name: 'bootstrap-json',
      decoder: 'parseDaemonConfig (the bootstrap relay\'s bootstrap.json)',
      input: configText,
      run: (text: string) => parseDaemonConfig(text, 'bootstrap.json'),
      allowed: [ConfigError]
    },
    {
      name: 'identity',
      decoder: 'decodeIdentity (identity.key)',
      input: fc.oneof(mutatedBytes(fc.constant(c.identity)), fc.uint8Array({ maxLength: 200 })),
      run: async (bytes: Uint8Array) => await decodeIdentity(bytes, 'identity.key'),
      allowed: [IdentityError]
    },
    {
      name: 'stored-game',
      decoder: 'GameStore.get (a game read back from the datastore)',
      input: fc.record({ start: storedBytes(startArb, [c.start]), meta: storedBytes(meta, []), acts: fc.array(storedBytes(gameMessageArb, c.acts), { maxLength: 3 }) }),
      run: async ({ start, meta, acts }: { start: Uint8Array, meta: Uint8Array, acts: Uint8Array[] }) => {
        const ds = new MemoryDatastore()
        const base = `/p2pgo/games/${gameId.toString()}`
        await ds.put(new Key(`${base}/start`), start)
        await ds.put(new Key(`${base}/meta`), meta)
        for (const [i, act] of acts.entries()) await ds.put(new Key(`${base}/acts/B/${String(i + 1).padStart(6, '0')}`), act)
        await new GameStore(ds).get(gameId)
      },
      allowed: [WireError],
      show: (i: { start: Uint8Array, meta: Uint8Array, acts: Uint8Array[] }) => ['start', 'meta'].map(k => `${k}=${Buffer.from(i[k as 'start']).toString('hex').slice(0, 200)}`).join(' ') + ` acts=${i.acts.map(a => Buffer.from(a).toString('hex').slice(0, 100)).join(',')}`
    },
    {
      name: 'stored-rna',
      decoder: 'RnaStore.meta and list (RNA bookkeeping read back)',
      input: storedBytes(rnaMeta, [encodeCanonical({ kind: 'mrna', origin: 'x', receivedAt: 1, publishedAt: 1, quality: 5, expires: 9, gameId: 'g', size: 9, end: 'void', handicap: 0, novelty: 1, names: { B: 'b', W: 'w' }, moves: new Uint8Array([0, 1, 0, 2]), uses: [] })]),
      run: async (bytes: Uint8Array) => {
        const ds = new MemoryDatastore()
        await ds.put(new Key(`${RNA_PREFIX}/${rnaId.toString()}/meta`), bytes)
        const store = new RnaStore(ds)
        for await (const _ of store.list()) { /* every entry decodes or is skipped */ }
        await store.meta(rnaId)
      },
      allowed: [WireError]
    },
    {
      name: 'stored-events',
      decoder: 'EventStore.all (reputation events read back)',
      input: storedBytes(event, []),
      run: async (bytes: Uint8Array) => {
        const ds = new MemoryDatastore()
        await ds.put(new Key(`${REPUTATION_PREFIX}/peer/000000000000001-0`), bytes)
        for await (const _ of new EventStore(ds).all()) { /* undecodable events are skipped and deleted */ }
      },
      allowed: []
    },
    {
      name: 'stored-rating',
      decoder: 'RatingState.loadOwn, loadSeq, auditFailures (rating state read back)',
      input: fc.tuple(storedBytes(fc.constant(valueOf(c.ratingRecord)), [c.ratingRecord]), storedBytes(fc.record({ seq: fc.oneof(fc.nat(), nastyValue) }), []), storedBytes(fc.record({ at: fc.nat(), findings: fc.array(fc.string(), { maxLength: 3 }) }), [])),
      run: async ([own, seq, audit]: [Uint8Array, Uint8Array, Uint8Array]) => {
        const ds = new MemoryDatastore()
        await ds.put(new Key(`${RATING_PREFIX}/own`), own)
        await ds.put(new Key(`${RATING_PREFIX}/seq`), seq)
        await ds.put(new Key(`${RATING_PREFIX}/audit-failed/peer`), audit)
        const state = new RatingState(ds)
        await state.loadOwn().catch(swallow(InvalidRatingRecordError))
        await state.loadSeq().catch(swallow(WireError))
        await state.auditFailures()
      },
      allowed: [WireError]
    }
  ]
}
