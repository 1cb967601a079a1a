// What a node's view holds for one (size, bucket) topic: how many publish there and how big their
// presences are (the topic's budgeted period comes from it), and the entries a catch-up answer
// hands on, nearest rating first. Pure: the view's entries in, numbers and bytes out.
import { belongsTo } from './follow.js'
import type { TopicLoad } from './budget.js'
import type { RawEntry } from '../view.js'
import type { LobbyV2Topic } from './topics.js'

/** A presence's size when none is held to measure: one with a record of two relay addresses. */
export const TYPICAL_PRESENCE_BYTES = 510

/** Whether a held entry is a presence on `topic` (a seek rides with its seeker's presence). */
export function onTopic (topic: LobbyV2Topic): (e: RawEntry['presence'] & object) => boolean {
  return p => belongsTo(topic, p.sizes, p.ratings)
}

/**
 * The publishers on a topic as this node holds them, itself included, and their entries' mean
 * size: presences, and the live entries of players in a game (`live`: those held, and this node's
 * own count there, beyond the one it counts as anyway).
 */
export function topicLoad (held: readonly RawEntry[], live: { readonly others: readonly Uint8Array[], readonly own: number } = { others: [], own: 0 }): TopicLoad {
  let others = 0
  let bytes = 0
  for (const raw of [...held.filter(e => e.presence != null).map(e => e.raw), ...live.others]) {
    others++
    bytes += raw.byteLength
  }
  return { publishers: others + Math.max(1, live.own), meanBytes: others > 0 ? bytes / others : TYPICAL_PRESENCE_BYTES }
}

/**
 * A catch-up answer's material from the entries held for `topic` (each presence followed by its
 * seeker's seeks, as `LobbyView.rawEntries` lists them): presences nearest to `mu` first, each
 * with its seeks of the topic's size.
 */
export function catchUpEntries (held: readonly RawEntry[], topic: LobbyV2Topic, mu: number | undefined): Array<{ t: 'presence' | 'seek', bytes: Uint8Array }> {
  const groups: Array<{ distance: number, entries: Array<{ t: 'presence' | 'seek', bytes: Uint8Array }> }> = []
  for (const e of held) {
    if (e.presence != null) {
      const r = e.presence.ratings?.[topic.size]?.mu
      groups.push({ distance: mu != null && r != null ? Math.abs(r - mu) : 0, entries: [{ t: 'presence', bytes: e.raw }] })
    } else if (e.seek != null && e.seek.terms.size === topic.size) {
      groups.at(-1)?.entries.push({ t: 'seek', bytes: e.raw })
    }
  }
  return groups.sort((a, b) => a.distance - b.distance).flatMap(g => g.entries)
}
