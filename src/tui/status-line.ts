// The status line at the top of every screen: who this node is, how many peers it has,
// how others reach it, and what it is doing. Pure.
import { shortPeer } from './lobby-rows.js'
import type { Reach } from '../net/rung.js'

export interface Status {
  readonly name: string
  readonly peer: string
  readonly peers: number
  /** Unknown until the node has found out (AutoNAT, UPnP, a relay reservation). */
  readonly reach?: Reach
  /** With reach `relayed`: the relay's peer ID. */
  readonly relay?: string
  /** "in the lobby", "playing bob (9x9)", ... */
  readonly activity: string
}

/** How others reach this node, in words. */
export function reachText (reach: Reach | undefined, relay?: string): string {
  switch (reach) {
    case 'public': return 'reachable directly'
    case 'upnp': return 'reachable through UPnP'
    case 'relayed': return relay != null ? `relayed via ${shortPeer(relay)}` : 'relayed'
    default: return 'finding out how it is reached'
  }
}

/** One line, at most `width` columns: the activity is cut first, then the name. */
export function statusLine (s: Status, width = 80): string {
  const fixed = ` ${shortPeer(s.peer)} · ${s.peers} ${s.peers === 1 ? 'peer' : 'peers'} · ${reachText(s.reach, s.relay)} · `
  const room = width - [...fixed].length
  const name = [...(s.name === '' ? '(no name)' : s.name)].slice(0, Math.max(1, Math.min(20, room - 1))).join('')
  const activity = [...s.activity]
  const left = room - [...name].length
  const shown = activity.length <= left ? s.activity : `${activity.slice(0, Math.max(0, left - 1)).join('')}…`
  return [...`${name}${fixed}${shown}`].slice(0, width).join('')
}
