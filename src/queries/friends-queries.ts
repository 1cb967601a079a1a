// What a running node answers about friends (`p2pgo friends`, `p2pgo friends add NAME`): each
// friend's status from its presence record, and the players its lobby shows, by name.
import type { FriendEntry, SeenPlayer } from '../home/friends-file.js'
import type { FriendStatus } from '../net/friends/index.js'
import type { P2pgoNode } from '../net/node.js'

/** One friend in `p2pgo friends --json`. */
export interface FriendRow {
  readonly peer: string
  /** The name it was added with, or the one its presence record gave. */
  readonly name?: string
  readonly state: FriendStatus['state'] | 'no-node'
  readonly sizes?: readonly number[]
  /** When the node last read its record, ms since the epoch. */
  readonly checkedAt?: number
}

/** The listed friends with what the running node knows of each (the list reloaded first, so a friend just added is read at once). */
export async function friendsAnswer (node: P2pgoNode, listed: readonly FriendEntry[]): Promise<{ friends: FriendRow[] }> {
  await node.friends?.reload()
  const known = new Map((node.friends?.statuses() ?? []).map(s => [s.peer, s]))
  return {
    friends: listed.map(f => {
      const s = known.get(f.peer)
      const name = s?.name ?? f.name
      return { peer: f.peer, ...(name != null ? { name } : {}), state: s?.state ?? 'unknown', ...(s?.sizes != null ? { sizes: s.sizes } : {}), ...(s?.checkedAt != null ? { checkedAt: s.checkedAt } : {}) }
    })
  }
}

/** The players this node has seen by name: its lobby's presences, and its friends' records. */
export function seenPlayers (node: P2pgoNode): SeenPlayer[] {
  const out: SeenPlayer[] = node.lobby.presences().map(p => ({ peer: p.peer.toString(), name: p.name }))
  for (const s of node.friends?.statuses() ?? []) if (s.name != null) out.push({ peer: s.peer, name: s.name })
  return out
}
