// Marking dead stones by hand: one key or click toggles the whole group under the cursor. Pure.
import type { Vertex } from '../game/vertex.js'

/**
 * The dead stones after toggling `group`: a group that was all marked dead becomes alive,
 * otherwise every stone of it is marked dead. `wasDead` says which happened.
 */
export function toggleGroup (dead: readonly Vertex[], group: readonly Vertex[]): { dead: Vertex[], wasDead: boolean } {
  const key = (v: Vertex): string => `${v.x},${v.y}`
  const marked = new Map(dead.map(v => [key(v), v]))
  const wasDead = group.every(v => marked.has(key(v)))
  for (const v of group) {
    if (wasDead) marked.delete(key(v))
    else marked.set(key(v), v)
  }
  return { dead: [...marked.values()], wasDead }
}
