// The lobby's "Friends" section as text: each friend followed and what its presence record says.
// Pure: the client state passes the statuses the friends service holds.
import type { FriendStatus } from '../net/friends/index.js'

const stateText: Record<FriendStatus['state'], string> = {
  open: 'open to games',
  away: 'away',
  'not-found': 'offline',
  unknown: 'looking…'
}

/** One friend's row: name (or the start of its peer ID), state, and the sizes it plays when open. */
export function friendRow (f: FriendStatus): string {
  const who = f.name ?? `${f.peer.slice(0, 12)}…`
  const sizes = f.state === 'open' && f.sizes != null && f.sizes.length > 0 ? ` on ${f.sizes.map(s => `${s}x${s}`).join(', ')}` : ''
  return `${who.padEnd(16)} ${stateText[f.state]}${sizes}`
}

/** The section's heading: how many friends are open of how many followed. */
export function friendsHeading (friends: readonly FriendStatus[]): string {
  return `Friends: ${friends.filter(f => f.state === 'open').length} open of ${friends.length}`
}
