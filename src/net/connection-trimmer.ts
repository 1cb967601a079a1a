// Keeps a node's connections within its limits, closing the least valued peers first, so the
// peers it trusts (reputation is a peer-store tag) are the ones it keeps. libp2p 3's own pruner
// sorts by the same tags but then closes only connections without streams other than identify
// and AutoNAT: on a gossipsub network every peer has a gossip stream open, so it closes nothing
// and, once full, libp2p refuses every new inbound connection instead.
import { peerIdFromString } from '@libp2p/peer-id'
import { chooseToTrim, checkLimits, type ConnectionLimits, type TrimCandidate } from './trim-choice.js'
import { RELAY_RESERVATION_TAG } from './constants.js'
import type { Libp2p, Logger } from '@libp2p/interface'

export interface ConnectionTrimmerInit {
  readonly libp2p: Libp2p
  readonly limits: ConnectionLimits
  /** Peers that must stay connected besides relays holding this node's reservation (opponents in a game). */
  readonly keep: (peer: string) => boolean
  readonly log: Logger
  readonly now?: () => number
}

export class ConnectionTrimmer extends EventTarget {
  private running = false
  private again = false
  private started = false

  constructor (private readonly init: ConnectionTrimmerInit) {
    super()
    checkLimits(init.limits)
  }

  start (): void {
    this.started = true
    this.init.libp2p.addEventListener('connection:open', this.onOpen)
  }

  stop (): void {
    this.started = false
    this.init.libp2p.removeEventListener('connection:open', this.onOpen)
  }

  private readonly onOpen = (): void => {
    if (this.init.libp2p.getPeers().length <= this.init.limits.high) return
    this.trim().catch(err => { this.init.log.error('could not trim connections - %e', err) })
  }

  /** Closes connections to the least valued peers when there are too many; returns those closed. */
  async trim (): Promise<string[]> {
    // One pass at a time; connections that open meanwhile are looked at once more afterwards.
    if (this.running) {
      this.again = true
      return []
    }
    this.running = true
    try {
      const closed: string[] = []
      do {
        this.again = false
        closed.push(...await this.pass())
      } while (this.again && this.started)
      return closed
    } finally {
      this.running = false
    }
  }

  private async pass (): Promise<string[]> {
    const { libp2p, limits, keep } = this.init
    const since = new Map<string, number>()
    for (const c of libp2p.getConnections()) {
      const peer = c.remotePeer.toString()
      since.set(peer, Math.min(since.get(peer) ?? Infinity, c.timeline.open))
    }
    if (since.size <= limits.high) return []
    const candidates: TrimCandidate[] = await Promise.all([...since].map(async ([peer, opened]) => {
      const tags = await libp2p.peerStore.get(peerIdFromString(peer)).then(p => p.tags, () => new Map<string, { value: number }>())
      let value = 0
      for (const t of tags.values()) value += t.value
      return { peer, value, since: opened, protected: keep(peer) || tags.has(RELAY_RESERVATION_TAG) }
    }))
    const chosen = chooseToTrim(candidates, limits, this.init.now?.() ?? Date.now())
    await Promise.all(chosen.map(async peer => {
      this.init.log('too many peers (%d, at most %d): closing %s', since.size, limits.high, peer)
      await libp2p.hangUp(peerIdFromString(peer)).catch(err => { this.init.log('could not close %s - %e', peer, err) })
    }))
    if (chosen.length > 0) this.dispatchEvent(new CustomEvent('trimmed', { detail: { peers: chosen } }))
    return chosen
  }
}
