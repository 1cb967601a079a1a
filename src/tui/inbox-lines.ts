// The inbox as the terminal client lists it (`i` in the lobby): challenges and messages that
// waited for this player while it was offline (protocols/post.md), newest first, each in one line:
// who, what, and until when a challenge can be accepted. Pure.
import { termsText } from './presets.js'
import { shortPeer } from '../queries/reach-text.js'
import type { InboxView } from '../net/post/index.js'

/** "3 min ago", "5 h ago", "2 days ago". */
export function agoText (ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000))
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.round(hours / 24)} days ago`
}

/** A date a person reads: "Dec 14 09:30" (UTC, as the rest of the client shows times). */
function dateText (at: number): string {
  const d = new Date(at)
  const month = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })
  return `${month} ${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}

/** One line per item, newest first, and the item IDs in the same order. */
export function inboxRows (items: readonly InboxView[], now: number): { lines: string[], keys: string[] } {
  const sorted = [...items].sort((a, b) => b.received - a.received)
  const lines = sorted.map(item => {
    const when = agoText(now - item.at)
    if (item.kind === 'challenge' && item.challenge != null) {
      const c = item.challenge
      const plays = c.color === 'random' ? 'colours by lot' : `${c.name} plays ${c.color}`
      return `challenge from ${c.name} (${when}): ${termsText(c.terms)}, ${plays}; until ${dateText(item.expires)} UTC`
    }
    return `message from ${shortPeer(item.from)} (${when}): ${item.text ?? ''}`
  })
  return { lines, keys: sorted.map(i => i.id) }
}

/** The lobby's line about the inbox, or undefined when nothing waits. */
export function inboxNotice (count: number): string | undefined {
  if (count === 0) return undefined
  return `${count} waiting in your inbox (challenges and messages sent while you were away): i opens it`
}
