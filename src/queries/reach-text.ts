// How others reach a node, in words: what the terminal client's status line and `p2pgo doctor`
// both say. Pure: addresses and facts in, words out.
import type { Reach } from '../net/rung.js'

/** A peer ID shortened for a narrow column: its last six characters. */
export function shortPeer (peer: string): string {
  return peer.length <= 8 ? peer : `…${peer.slice(-6)}`
}

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
