// The live games part of lobby version 2 (protocols/watch.md, "Live games in the lobby"): the
// live entries others publish (live-view.ts) and this node's own (live-publisher.ts), joined for
// the service, which hands it checked messages and emits the changes it returns.
import { LivePublisher, type LivePublisherInit } from './live-publisher.js'
import { LiveView, type LiveChange, type LiveViewLimits } from './live-view.js'
import type { LiveV2 } from './live.js'
import type { LobbyV2Topic } from './topics.js'
import type { LobbyLiveGame } from '../index.js'
import type { PeerId } from '@libp2p/interface'

export class LiveLobby {
  private readonly view: LiveView
  private readonly publisher: LivePublisher
  private readonly now: () => number

  constructor (limits: LiveViewLimits, publisher: LivePublisherInit) {
    this.view = new LiveView(limits)
    this.publisher = new LivePublisher(publisher)
    this.now = publisher.now
  }

  start (): void {
    this.publisher.start()
  }

  async stop (): Promise<void> {
    await this.publisher.stop()
  }

  clear (): void {
    this.view.clear()
  }

  /** This node's live entries again, after a `leave` of its presence (which drops anything older). */
  announce (): void {
    this.publisher.announce()
  }

  /** A game started or ended here: announce or withdraw it now. */
  refresh (): void {
    this.publisher.refresh()
  }

  /** A checked live entry from its author: whether it was news, and the changes. */
  take (msg: LiveV2, author: PeerId, bytes: Uint8Array, now: number): { news: boolean, changes: LiveChange[] } {
    const r = this.view.apply(msg, author, now, bytes)
    return { news: r.outcome !== 'stale', changes: r.changes }
  }

  /** An author's `leave`. */
  leave (author: PeerId, seq: number, now: number): LiveChange[] {
    return this.view.leave(author, seq, now)
  }

  sweep (now: number): LiveChange[] {
    return this.view.sweep(now)
  }

  games (): LobbyLiveGame[] {
    return this.view.list(this.now())
  }

  /** A catch-up answer's live entries for a topic: this node's own, then those it holds. */
  entries (topic: LobbyV2Topic): Array<{ t: 'live', bytes: Uint8Array }> {
    return [...this.publisher.ownEntries(topic), ...this.view.rawEntries(this.now(), topic)].map(bytes => ({ t: 'live' as const, bytes }))
  }

  /** The live entries held for a topic and this node's own count there (each is a publisher on the topic's budget). */
  load (topic: LobbyV2Topic): { others: Uint8Array[], own: number } {
    return { others: this.view.rawEntries(this.now(), topic), own: this.publisher.count(topic) }
  }
}
