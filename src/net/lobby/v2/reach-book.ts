// How other players are reached, as far as this node knows: what their last presences said, kept
// after they leave the lobby (a player in a game has left it, maybe to play us), and what a player
// says when asked directly (`/p2pgo/reach/1.0.0`, reach-ask.ts).
import { ReachAsk } from './reach-ask.js'
import type { LobbyPresence } from '../index.js'
import type { Reach } from '../../rung.js'
import type { Logger, PeerId } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

export class ReachBook {
  private readonly ask: ReachAsk
  private readonly log: Logger
  private readonly max: number
  /** Insertion order is age order: the oldest goes first past `max`. */
  private readonly reaches = new Map<string, Reach>()

  constructor (components: { readonly registrar: Registrar, readonly connectionManager: ConnectionManager }, own: () => Reach | undefined, log: Logger, max: number) {
    this.ask = new ReachAsk(components, own, log)
    this.log = log
    this.max = max
  }

  async start (): Promise<void> {
    await this.ask.start()
  }

  async stop (): Promise<void> {
    this.reaches.clear()
    await this.ask.stop()
  }

  /** What a presence said: the newest word on how its player is reached. */
  remember (presence: LobbyPresence): void {
    const peer = presence.peer.toString()
    this.reaches.delete(peer)
    if (presence.reach == null) return
    this.reaches.set(peer, presence.reach)
    if (this.reaches.size > this.max) this.reaches.delete(this.reaches.keys().next().value as string)
  }

  /** What this node last heard, from a presence or an answer. */
  get (peer: PeerId): Reach | undefined {
    return this.reaches.get(peer.toString())
  }

  /** Asks a connected peer how it is reached now and remembers the answer; on failure, what was heard before. */
  async learn (peer: PeerId): Promise<Reach | undefined> {
    try {
      const reach = await this.ask.ask(peer)
      if (reach != null) this.reaches.set(peer.toString(), reach)
      return reach
    } catch (err) {
      this.log('could not learn how %p is reached - %e', peer, err)
      return this.get(peer)
    }
  }
}
