// The status line at the top of every screen: who this node is, how many peers it has,
// how others reach it, and what it is doing. Pure.
import type { Reach } from '../net/rung.js'
import { reachText, shortPeer, type Unreached } from '../queries/reach-text.js'

// The words for how a node is reached are the query layer's (p2pgo doctor says them too).
export { addressScope, reachText, type AddressScope, type Unreached } from '../queries/reach-text.js'

/** How long a node waits for AutoNAT, UPnP or a relay reservation before the status line says how it stands without them. */
export const REACH_SETTLE_MS = 30_000

export interface Status {
  readonly name: string
  readonly peer: string
  readonly peers: number
  /** Unknown until the node has found out (AutoNAT, UPnP, a relay reservation). */
  readonly reach?: Reach
  /** With reach `relayed`: the relay's peer ID. */
  readonly relay?: string
  /** With no reach: where the node stands instead (absent: still finding out). */
  readonly unreached?: Unreached
  /** "in the lobby", "playing bob (9x9)", ... */
  readonly activity: string
}

/** One line, at most `width` columns: the activity is cut first, then the name. */
export function statusLine (s: Status, width = 80): string {
  const fixed = ` ${shortPeer(s.peer)} · ${s.peers} ${s.peers === 1 ? 'peer' : 'peers'} · ${reachText(s.reach, s.relay, s.unreached)} · `
  const room = width - [...fixed].length
  const name = [...(s.name === '' ? '(no name)' : s.name)].slice(0, Math.max(1, Math.min(20, room - 1))).join('')
  const activity = [...s.activity]
  const left = room - [...name].length
  const shown = activity.length <= left ? s.activity : `${activity.slice(0, Math.max(0, left - 1)).join('')}…`
  return [...`${name}${fixed}${shown}`].slice(0, width).join('')
}
