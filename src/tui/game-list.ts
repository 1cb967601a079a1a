// The player's finished games as the `g` list shows them, newest first: when, the size, the
// opponent and the colour played, the result. Read from the node's game store; then the games it
// watched to their end (the players, the result).
import type { P2pgoNode } from '../net/node.js'

/** One row of the list and the game it opens. */
export interface GameRow {
  readonly id: string
  readonly line: string
  /** The review screen's title for it. */
  readonly title: string
}

/** Every finished (or closed) game the node holds, newest first. */
export async function finishedGames (node: P2pgoNode): Promise<GameRow[]> {
  const store = node.games.storage
  const rows: Array<GameRow & { at: number }> = []
  for (const id of await store.ids()) {
    const stored = await store.get(id).catch(() => undefined)
    if (stored == null) continue
    const { meta, start } = stored
    const at = meta.finishedAt ?? meta.closedAt
    // A game still being played is on the board screen, not here.
    if (at == null) continue
    const opponent = start.names[meta.me === 'B' ? 'W' : 'B']
    const size = start.terms.size
    const when = new Date(at).toISOString().slice(0, 16).replace('T', ' ')
    const result = meta.result ?? 'no result'
    const signed = meta.finishedAt != null ? '' : ' (unsigned by the opponent)'
    rows.push({ id: id.toString(), at, title: `your game against ${opponent}`, line: `${when}  ${size}x${size}  vs ${opponent} (you ${meta.me === 'B' ? 'Black' : 'White'})  ${result}${signed}` })
  }
  // Games this node watched to their end, from when they started (the start record's time).
  for (const id of await node.watch.watched()) {
    // One that fails its checks is left out (the service logs why).
    const record = await node.watch.watchedRecord(id).catch(() => undefined)
    if (record == null) continue
    const { black, white } = record.players
    const at = record.date != null ? Date.parse(record.date) : 0
    rows.push({ id: id.toString(), at, title: `watched: ${black.name} vs ${white.name}`, line: `${record.date ?? '????-??-??'}        ${record.size}x${record.size}  watched: ${black.name} (B) vs ${white.name} (W)  ${record.result ?? 'no result'}` })
  }
  return rows.sort((a, b) => b.at - a.at).map(({ id, line, title }) => ({ id, line, title }))
}
