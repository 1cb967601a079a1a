// The status line at the top of every screen: who this node is, how many peers it has,
// how others reach it, and what it is doing. Pure.
import { shortPeer } from './lobby-rows.js'
import type { Reach } from '../net/rung.js'

/** The widest place a node's own addresses reach: this machine, the LAN, or a public address (confirmed or not). */
export type AddressScope = 'loopback' | 'lan' | 'public' | 'none'

/** What a node no peer has yet confirmed reachable stands on: its addresses, its relay slots, and whether the wait is over. */
export interface Unreached {
  readonly scope: AddressScope
  /** Relay reservations the node asks for (its listen set's /p2p-circuit entries). */
  readonly relaySlots: number
  /** Long enough since start for AutoNAT, UPnP and a relay to have answered (REACH_SETTLE_MS). */
  readonly settled: boolean
}

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

const isLoopback = (address: string): boolean => /^\/ip4\/127\./.test(address) || address.startsWith('/ip6/::1/')

/** The widest scope of a node's own addresses; circuit addresses are a relay's, not the node's. */
export function addressScope (addresses: readonly string[], isPublic: (address: string) => boolean): AddressScope {
  const own = addresses.filter(a => !a.includes('/p2p-circuit') && /^\/(ip4|ip6)\//.test(a))
  if (own.some(isPublic)) return 'public'
  if (own.some(a => !isLoopback(a))) return 'lan'
  return own.length > 0 ? 'loopback' : 'none'
}

/** Why a node not reached from outside is not: no slot asked for, or none granted yet. */
function missing (u: Unreached): string {
  return u.relaySlots === 0 ? 'no relay slot' : 'no relay reservation yet'
}

/** Where a node nobody outside reaches stands, with the reason; undefined while it is still finding out. */
function unreachedText (u: Unreached): string | undefined {
  if (u.scope === 'none' && u.relaySlots === 0) return 'unreachable (listening on no address)'
  // Only this machine can reach a loopback node, relay or not: nothing left to wait for.
  if (u.scope === 'loopback') return u.relaySlots === 0 ? 'local network on this machine' : u.settled ? 'local network on this machine (no relay reservation)' : undefined
  if (!u.settled) return undefined
  switch (u.scope) {
    case 'lan': return `local network only (${u.relaySlots === 0 ? 'no relay slot: --no-relay' : missing(u)})`
    case 'public': return `unreachable (public address unconfirmed, ${missing(u)})`
    default: return `unreachable (${missing(u)})`
  }
}

/** How others reach this node, in words: found (public, UPnP, relayed via X), else where it stands and why. */
export function reachText (reach: Reach | undefined, relay?: string, unreached?: Unreached): string {
  switch (reach) {
    case 'public': return 'reachable directly'
    case 'upnp': return 'reachable through UPnP'
    case 'relayed': return relay != null ? `relayed via ${shortPeer(relay)}` : 'relayed'
    default: return (unreached != null ? unreachedText(unreached) : undefined) ?? 'finding out how it is reached'
  }
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
