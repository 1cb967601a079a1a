// Games this node watched to their end, kept for review and for serving later watchers (as a
// watcher: protocols/watch.md). The start record and every act as received, in the order they
// were applied, under their own prefix of the shared datastore. What is read back is checked
// again as a watcher checks it (signatures, chain links, the rules): a store edited on disk or
// written by a broken version serves nobody.
import { Key } from 'interface-datastore'
import { CID } from 'multiformats/cid'
import { decodeStart, encodeStart, gameIdOf } from '../../wire/game-start.js'
import { verifierOfPeer } from '../../rna/rna.js'
import { WatchedGame } from '../../session/watched-game.js'
import { decodeWatchedAct } from './wire/acts.js'
import type { Datastore } from 'interface-datastore'

/** Where watched games live in the shared datastore (own games are under /p2pgo/games). */
const PREFIX = '/p2pgo/watched'
/** Act positions are zero-padded in keys so a prefix query returns them in order. */
const PAD = 6

/** A watched game read back from the store failed its checks. */
export class WatchedGameCorruptError extends Error {
  constructor (id: CID, why: string) {
    super(`the watched game ${id.toString()} kept by this node fails its checks (${why}): it is neither shown nor served; it can be watched again from its players or other watchers`)
    this.name = 'WatchedGameCorruptError'
  }
}

export class WatchedStore {
  private readonly ds: Datastore

  constructor (datastore: Datastore) {
    this.ds = datastore
  }

  /** Keeps a finished watched game: its acts first, its start record last (a game is listed by its start). */
  async put (game: WatchedGame): Promise<void> {
    const batch = this.ds.batch()
    game.actsAfter({ B: 0, W: 0 }).forEach(({ encoded }, i) => { batch.put(this.key(game.gameId, `acts/${String(i).padStart(PAD, '0')}`), encoded) })
    await batch.commit()
    await this.ds.put(this.key(game.gameId, 'start'), encodeStart(game.start))
  }

  /** Whether a watched game is kept. */
  async has (id: CID): Promise<boolean> {
    return this.ds.has(this.key(id, 'start'))
  }

  /** Every kept watched game's ID. */
  async ids (): Promise<CID[]> {
    const out: CID[] = []
    for await (const key of this.ds.queryKeys({ prefix: PREFIX + '/' })) {
      const parts = key.toString().split('/')
      // /p2pgo/watched/<id>/start
      if (parts.length === 5 && parts[4] === 'start') {
        try {
          out.push(CID.parse(parts[3]))
        } catch {}
      }
    }
    return out
  }

  /**
   * A kept watched game, checked again act by act as a watcher checks it. Throws the datastore's
   * NotFoundError for a game not kept, WatchedGameCorruptError for one that fails a check.
   */
  async get (id: CID): Promise<WatchedGame> {
    const data = await this.ds.get(this.key(id, 'start'))
    try {
      const start = decodeStart(data)
      if (!gameIdOf(start).equals(id)) throw new Error(`its start record is of game ${gameIdOf(start).toString()}`)
      const game = new WatchedGame({ start, gameId: id, keys: { B: verifierOfPeer(start.black), W: verifierOfPeer(start.white) } })
      await game.checkStart()
      const acts: Array<{ key: string, value: Uint8Array }> = []
      for await (const { key, value } of this.ds.query({ prefix: this.key(id, 'acts').toString() + '/' })) acts.push({ key: key.toString(), value })
      acts.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
      for (const { value } of acts) {
        const watched = decodeWatchedAct(value, id)
        await game.offer(watched.act, watched.bytes)
      }
      if (game.stopped != null) throw game.stopped
      if (game.heldCount > 0) throw new Error(`${game.heldCount} acts do not follow from the others`)
      if (!game.finished) throw new Error('its result is not signed by both players')
      return game
    } catch (err) {
      if (err instanceof WatchedGameCorruptError) throw err
      throw new WatchedGameCorruptError(id, (err as Error).message)
    }
  }

  private key (id: CID, suffix: string): Key {
    return new Key(`${PREFIX}/${id.toString()}/${suffix}`)
  }
}
