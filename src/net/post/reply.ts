// Reply addresses (protocols/post.md, "Payload"): a sender names its own circuit addresses in
// its item, so a recipient that never met it can answer through its relays. Only addresses that
// end in the sender's own peer ID behind a relay are taken: a sender can only say where it is.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { relayOf } from '../address-order.js'
import { REPLY_MAX, REPLY_MAX_BYTES } from './wire.js'

/** This node's circuit addresses as bytes, each ending in its own peer ID, at most REPLY_MAX. */
export function ownReplyAddresses (addrs: readonly Multiaddr[], self: string): Uint8Array[] {
  return addrs
    .filter(a => relayOf(a) != null)
    .map(a => {
      const parts = a.getComponents()
      const last = parts[parts.length - 1]
      return last?.name === 'p2p' ? a : a.encapsulate(`/p2p/${self}`)
    })
    .map(a => a.bytes)
    .filter(b => b.length <= REPLY_MAX_BYTES)
    .slice(0, REPLY_MAX)
}

/** The sender's reply addresses that are circuit addresses of `from` itself; the rest are ignored. */
export function replyAddresses (reply: readonly Uint8Array[], from: string): Multiaddr[] {
  const out: Multiaddr[] = []
  for (const bytes of reply) {
    try {
      const ma = multiaddr(bytes)
      const parts = ma.getComponents()
      const last = parts[parts.length - 1]
      if (relayOf(ma) != null && last?.name === 'p2p' && last.value === from) out.push(ma)
    } catch {}
  }
  return out
}
