// protocols/relay-load.md's vectors: the reports it shows encode to its bytes and decode back,
// the refused ones are refused with the reason it names, and the provider key is derived as it says.
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { decodeRelayLoad, encodeRelayLoad, RELAY_KEY_PREFIX, RELAY_LOAD_MAX_BYTES, RelayLoadError, relayProviderKey, type RelayLoad } from '../../../src/net/relay-load/index.js'
import { decodeFrames } from '../../../src/wire/frame.js'
import { WireError } from '../../../src/wire/errors.js'
import { hex, readVectors, toHex } from '../../wire/helpers.js'

const vectors = readVectors(await readFile(new URL('../../../protocols/relay-load.md', import.meta.url), 'utf8'))
const vector = (name: string): { value: string, expect?: string } => {
  const v = vectors.get(name)
  if (v == null) throw new Error(`no vector ${name} in protocols/relay-load.md`)
  return v
}

const accepted: Record<string, RelayLoad> = {
  load: { reservations: 2, maxReservations: 1024, circuits: 1, refused: 0 },
  'load-full': { reservations: 1024, maxReservations: 1024, circuits: 37, maxCircuits: 1024, refused: 12 }
}

const reasonOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'accepted'
  } catch (err) {
    return err instanceof RelayLoadError || err instanceof WireError ? err.reason : `other: ${String(err)}`
  }
}

describe('protocols/relay-load.md vectors', () => {
  it.each(Object.entries(accepted))('%s encodes to the document\'s bytes and back', (name, load) => {
    expect(toHex(encodeRelayLoad(load))).toBe(vector(name).value)
    expect(decodeRelayLoad(hex(vector(name).value))).toEqual(load)
  })

  it('refuses each refused report with the reason the document names', () => {
    const refused = [...vectors.values()].filter(v => v.kind === 'hex' && v.expect != null && v.name !== 'frame-too-large')
    expect(refused.length).toBe(5)
    for (const v of refused) expect(reasonOf(() => decodeRelayLoad(hex(v.value))), v.name).toBe(v.expect)
  })

  it('refuses an oversized frame from its length prefix alone', async () => {
    const v = vector('frame-too-large')
    let reason = 'accepted'
    try {
      for await (const _ of decodeFrames([hex(v.value)], { maxBytes: RELAY_LOAD_MAX_BYTES })) { /* never */ }
    } catch (err) {
      reason = err instanceof WireError ? err.reason : String(err)
    }
    expect(reason).toBe(v.expect)
  })

  it('derives the provider key as the document says', () => {
    expect(`${RELAY_KEY_PREFIX}p2pgo`).toBe(vector('relay-key-text').value)
    expect(relayProviderKey().toString()).toBe(vector('relay-key').value)
    expect(relayProviderKey('p2pgo').toString()).toBe(vector('relay-key').value)
    expect(toHex(relayProviderKey().multihash.bytes)).toBe(vector('relay-key-multihash').value)
    expect(relayProviderKey('another').equals(relayProviderKey())).toBe(false)
  })
})
