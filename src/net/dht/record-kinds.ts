// p2pgo's record namespaces in its Kademlia DHT, put together in one place. Each kind (rating
// records and co-signed results in rating/, presence records in friends/) is defined beside its
// records and gives kad-dht its validator and selector, and the record store the rule for
// replacing a stored copy and how long a copy counts. node-services.ts lists the kinds.
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

/** One namespace of DHT records: keys `/<namespace>/...`. */
export interface RecordKind {
  readonly namespace: string
  /** kad-dht's validator: throws for a record that may not be stored or believed. */
  readonly validate: ValidateFn
  /** kad-dht's selector: the index of the best of several valid records. */
  readonly select: SelectFn
  /** Throws when `value` may not replace `stored` (a valid, newer copy). Absent: any valid copy may. */
  readonly refuseOlder?: (key: Uint8Array, value: Uint8Array, stored: Uint8Array) => Promise<void>
  /** When a stored copy stops counting, if sooner than kad-dht's 48 h; undefined when not known. */
  readonly keepUntil?: (value: Uint8Array) => number | undefined
}

/** What the record store asks before it keeps a record (src/net/rating/record-store.ts). */
export interface RecordRules {
  refuseOlder: (key: Uint8Array, value: Uint8Array, stored: Uint8Array) => Promise<void>
  keepUntil: (key: Uint8Array, value: Uint8Array) => number | undefined
}

/** The namespace a DHT key belongs to (its first path segment), or undefined for a key with none. */
export function namespaceOf (key: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(key.subarray(0, 64))
  const m = /^\/([^/]+)\//.exec(text)
  return m?.[1]
}

/** Every kind a node knows, by namespace: kad-dht's validators and selectors, and the store's rules. */
export class RecordKinds implements RecordRules {
  private readonly kinds: ReadonlyMap<string, RecordKind>

  constructor (kinds: readonly RecordKind[]) {
    const byName = new Map<string, RecordKind>()
    for (const kind of kinds) {
      if (byName.has(kind.namespace)) throw new Error(`two DHT record kinds claim the namespace ${kind.namespace}`)
      byName.set(kind.namespace, kind)
    }
    this.kinds = byName
  }

  validators (): Record<string, ValidateFn> {
    return Object.fromEntries([...this.kinds].map(([name, kind]) => [name, kind.validate]))
  }

  selectors (): Record<string, SelectFn> {
    return Object.fromEntries([...this.kinds].map(([name, kind]) => [name, kind.select]))
  }

  async refuseOlder (key: Uint8Array, value: Uint8Array, stored: Uint8Array): Promise<void> {
    await this.kindOf(key)?.refuseOlder?.(key, value, stored)
  }

  keepUntil (key: Uint8Array, value: Uint8Array): number | undefined {
    return this.kindOf(key)?.keepUntil?.(value)
  }

  private kindOf (key: Uint8Array): RecordKind | undefined {
    const name = namespaceOf(key)
    return name != null ? this.kinds.get(name) : undefined
  }
}
