// Reputation events on disk (src/net/reputation/event-store.ts) across process lifetimes: each
// process numbers its own writes, so keys must not depend on that count alone.
import { MemoryDatastore } from 'datastore-core'
import { describe, expect, it } from 'vitest'
import { EventStore } from '../../../src/net/reputation/event-store.js'
import type { ReputationEvent } from '../../../src/reputation/events.js'

const peer = '12D3KooWGRUVh4Q2w4xYqL8hH1hbA1fqsTrTKNKdJJHA1uXHBWwM'
const at = 1_800_000_000_000

async function all (store: EventStore): Promise<ReputationEvent[]> {
  const out: ReputationEvent[] = []
  for await (const e of store.all()) out.push(e)
  return out
}

describe('the reputation event store', () => {
  it('keeps an event written after a restart at the same millisecond as one written before', async () => {
    const ds = new MemoryDatastore()
    await new EventStore(ds).put({ kind: 'invalid', peer, reason: 'bad-signature', at })
    // The next process: a fresh store on the same datastore, its first event about the same peer at the same time.
    await new EventStore(ds).put({ kind: 'spam', peer, rna: 'bafy-spam', quality: 0.1, at })
    expect((await all(new EventStore(ds))).map(e => e.kind).sort()).toEqual(['invalid', 'spam'])
  })

  it('keeps two identical events as two (each counts)', async () => {
    const ds = new MemoryDatastore()
    const store = new EventStore(ds)
    await store.put({ kind: 'invalid', peer, reason: 'bad-signature', at })
    await store.put({ kind: 'invalid', peer, reason: 'bad-signature', at })
    await new EventStore(ds).put({ kind: 'invalid', peer, reason: 'bad-signature', at })
    expect(await all(new EventStore(ds))).toHaveLength(3)
  })

  it('still deletes events by their time', async () => {
    const ds = new MemoryDatastore()
    await new EventStore(ds).put({ kind: 'invalid', peer, reason: 'r', at })
    await new EventStore(ds).put({ kind: 'invalid', peer, reason: 'r', at: at + 10 })
    expect(await new EventStore(ds).deleteBefore(at + 5)).toBe(1)
    expect((await all(new EventStore(ds))).map(e => e.at)).toEqual([at + 10])
  })
})
