// Which addresses a player's node listens on, once the user has chosen some: choosing a port must
// not silently cost a node behind NAT its relay reservations (the last rung of the NAT ladder) nor
// WebRTC hole punching. Pure: the home's configuration in, a listen set or a sentence out.
import { DEFAULT_LISTEN, DEFAULT_RELAY_SLOTS } from './constants.js'

/** `/p2p-circuit` (a relay reservation) or `/webrtc` (WebRTC signalled over a relay); `/webrtc-direct` is a transport of its own. */
export function isRelayEntry (address: string): boolean {
  return address.endsWith('/p2p-circuit') || address === '/webrtc' || address.endsWith('/p2p-circuit/webrtc')
}

/** How many relays hold a reservation for a node listening on `listen`: its entries ending in /p2p-circuit (the bootstrap redial counts them so). */
export function relaySlotsOf (listen: readonly string[]): number {
  return listen.filter(a => a.endsWith('/p2p-circuit')).length
}

/** True when every address the set binds is a loopback one: only this machine can reach such a node, through a relay or not. */
export function isLoopbackOnly (listen: readonly string[]): boolean {
  const bound = listen.filter(a => !isRelayEntry(a))
  return bound.length > 0 && bound.every(a => /^\/ip4\/127\./.test(a) || a.startsWith('/ip6/::1/'))
}

/**
 * The listen set a player's node uses. `relaySlots` given (`--no-relay` is 0): the relay entries are
 * exactly that many `/p2p-circuit` plus `/webrtc` (none at 0). Not given: a set that names any relay
 * entry is taken as written; one that names none (a `--listen` of TCP addresses, `--port`) gets the
 * default two slots and WebRTC, unless it binds loopback addresses only.
 */
export function listenSet (listen: readonly string[], relaySlots?: number): string[] {
  const bound = listen.filter(a => !isRelayEntry(a))
  if (relaySlots == null) {
    if (listen.some(isRelayEntry) || isLoopbackOnly(listen)) return [...listen]
    relaySlots = DEFAULT_RELAY_SLOTS
  }
  return relaySlots === 0 ? bound : [...bound, ...Array<string>(relaySlots).fill('/p2p-circuit'), '/webrtc']
}

/** `--port N`: the default set with its TCP entries on port N (every interface), relay slots and WebRTC kept. */
export function portListen (port: number): string[] {
  return DEFAULT_LISTEN.map(a => a.replace(/\/tcp\/0$/, `/tcp/${port}`))
}

/**
 * One sentence when a listen set leaves a node behind NAT unreachable (no relay slot, no address
 * announced): what was chosen, what it costs, what to do. Undefined when nothing is lost.
 */
export function listenWarning (config: { readonly listen: readonly string[], readonly announce: readonly string[], readonly upnp: boolean, readonly relaySlots?: number }): string | undefined {
  if (relaySlotsOf(config.listen) > 0 || config.announce.length > 0 || isLoopbackOnly(config.listen)) return undefined
  const way = config.upnp ? 'unless its router maps a port by UPnP or its address is public' : 'unless its address is public (UPnP is off)'
  const fix = config.relaySlots === 0
    ? 'drop --no-relay (or "relaySlots": 0 in config.json) to keep two relay reservations'
    : 'add /p2p-circuit to the listen set (or leave its relay entries out: two slots are then kept)'
  return `p2pgo: listening with no relay slot (${config.listen.join(', ') || 'no address'}), so behind a NAT nobody outside this network can reach this node ${way}; ${fix}, or forward a port and give the public address with --announce.`
}

/** A player's configuration with its listen set completed (`listenSet`); `warn` hears `listenWarning`'s sentence, if any. */
export function playerConfig<C extends { readonly listen: readonly string[], readonly relaySlots?: number, readonly announce: readonly string[], readonly upnp: boolean }> (config: C, warn: (line: string) => void = () => {}): C & { listen: string[] } {
  const out = { ...config, listen: listenSet(config.listen, config.relaySlots) }
  const warning = listenWarning(out)
  if (warning != null) warn(warning)
  return out
}
