// The node's DHT record kinds put together: each namespace's rules apply to its keys only.
import { describe, expect, it } from 'vitest'
import { RecordKinds, namespaceOf, type RecordKind } from '../../../src/net/dht/record-kinds.js'

const utf8 = new TextEncoder()
const key = (text: string): Uint8Array => utf8.encode(text)

function kind (namespace: string, until?: number): RecordKind {
  return {
    namespace,
    validate: async () => {},
    select: () => 0,
    refuseOlder: async (_k, value) => { if (value[0] === 0) throw new Error(`${namespace} refuses`) },
    ...(until != null ? { keepUntil: () => until } : {})
  }
}

describe('DHT record kinds', () => {
  it('names a key\'s namespace by its first path segment', () => {
    expect(namespaceOf(key('/p2pgo-rating/abc'))).toBe('p2pgo-rating')
    expect(namespaceOf(key('no-slash'))).toBeUndefined()
  })

  it('applies each kind\'s rules to its own keys and none to keys of no kind', async () => {
    const kinds = new RecordKinds([kind('a', 5), kind('b')])
    expect(Object.keys(kinds.validators()).sort()).toEqual(['a', 'b'])
    expect(Object.keys(kinds.selectors()).sort()).toEqual(['a', 'b'])
    await expect(kinds.refuseOlder(key('/a/1'), new Uint8Array([0]), new Uint8Array([1]))).rejects.toThrow('a refuses')
    await expect(kinds.refuseOlder(key('/other/1'), new Uint8Array([0]), new Uint8Array([1]))).resolves.toBeUndefined()
    expect(kinds.keepUntil(key('/a/1'), new Uint8Array())).toBe(5)
    expect(kinds.keepUntil(key('/b/1'), new Uint8Array())).toBeUndefined()
  })

  it('refuses two kinds claiming one namespace', () => {
    expect(() => new RecordKinds([kind('a'), kind('a')])).toThrow('two DHT record kinds claim the namespace a')
  })
})
