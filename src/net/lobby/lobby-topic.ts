// The lobby's membership of its gossipsub topic: the topic validator, the subscription, and the
// two listeners (a peer joining, a message accepted). Attached at start and again once gossipsub
// runs, detached before stop; both are safe to repeat.
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { gossipControl } from '../adapters/gossipsub-internals.js'
import type { GossipSub, GossipsubMessage, Message } from '@libp2p/gossipsub'
import type { Logger, PeerId } from '@libp2p/interface'

export interface LobbyTopicInit {
  readonly topic: string
  /** The node's gossipsub (read at each attach and detach). */
  readonly pubsub: () => GossipSub
  /** The topic validator; it must never throw. */
  readonly validate: (source: PeerId, msg: Message) => Promise<TopicValidatorResult>
  /** A peer subscribed to the topic. */
  readonly onJoin: () => void
  readonly log: Logger
}

/** One gossipsub topic joined with a synchronous-final validator. */
export class LobbyTopic {
  private readonly init: LobbyTopicInit
  private subscribed = false

  constructor (init: LobbyTopicInit) {
    this.init = init
  }

  /** Registers the validator and listeners, and subscribes (later, if gossipsub is not running yet). */
  attach (): void {
    const { topic, log } = this.init
    const pubsub = this.init.pubsub()
    pubsub.topicValidators.set(topic, this.init.validate)
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.addEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.removeEventListener('gossipsub:message', this.onAccepted)
    pubsub.addEventListener('gossipsub:message', this.onAccepted)
    if (this.subscribed) return
    try {
      pubsub.subscribe(topic)
      this.subscribed = true
    } catch (err) {
      log('gossipsub is not running yet, joining %s after start - %e', topic, err)
    }
  }

  /** Removes the listeners and the validator, and leaves the topic. */
  detach (): void {
    const { topic, log } = this.init
    const pubsub = this.init.pubsub()
    pubsub.removeEventListener('subscription-change', this.onSubscriptionChange)
    pubsub.removeEventListener('gossipsub:message', this.onAccepted)
    if (pubsub.topicValidators.get(topic) === this.init.validate) pubsub.topicValidators.delete(topic)
    if (!this.subscribed) return
    this.subscribed = false
    try {
      pubsub.unsubscribe(topic)
    } catch (err) {
      log('could not leave %s - %e', topic, err)
    }
  }

  private readonly onSubscriptionChange = (evt: CustomEvent<{ subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    if (evt.detail.subscriptions.some(s => s.topic === this.init.topic && s.subscribe)) this.init.onJoin()
  }

  /**
   * p2pgo's gossipsub validates asynchronously (RNA needs the time) and forwards a message only
   * once told to. A message gets here only after the topic validator accepted it: pass it on.
   */
  private readonly onAccepted = (evt: CustomEvent<GossipsubMessage>): void => {
    const { msgId, msg, propagationSource } = evt.detail
    if (msg.topic === this.init.topic) gossipControl(this.init.pubsub()).reportMessageValidationResult(msgId, propagationSource.toString(), TopicValidatorResult.Accept)
  }
}
