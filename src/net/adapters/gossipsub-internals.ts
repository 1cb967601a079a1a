import type { GossipSub, TopicValidatorResult } from '@libp2p/gossipsub'

// The one place p2pgo reaches past @libp2p/gossipsub's (17.1.1) published `GossipSub` interface;
// test/net/adapters/gossipsub-internals.test.ts fails, naming the version, when an upgrade drops a call.

/**
 * What p2pgo uses of gossipsub beyond its published interface. The implementation has all three:
 * `reportMessageValidationResult` is the documented other half of the `asyncValidation` option,
 * and scores and meshes are what its score tests read. The interface just does not list them.
 */
export interface GossipControl {
  reportMessageValidationResult: (msgId: string, propagationSource: string, acceptance: TopicValidatorResult) => void
  getScore: (peer: string) => number
  getMeshPeers: (topic: string) => string[]
}

/** The node's gossipsub with the calls above, checked once so a library change fails loudly, not silently. */
export function gossipControl (pubsub: GossipSub): GossipSub & GossipControl {
  const p = pubsub as GossipSub & Partial<GossipControl>
  for (const name of ['reportMessageValidationResult', 'getScore', 'getMeshPeers'] as const) {
    if (typeof p[name] !== 'function') throw new Error(`this gossipsub has no ${name}(): p2pgo needs @libp2p/gossipsub 17`)
  }
  return p as GossipSub & GossipControl
}

/** Whether a publish failed for want of peers on the topic: gossipsub throws a plain Error whose message names the case. */
export function isNoPeersError (err: unknown): boolean {
  return err instanceof Error && err.message.includes('NoPeersSubscribedToTopic')
}

/**
 * Publishes with the implementation's per-call options (its `publish` takes `PublishOpts`; the
 * published interface lists two parameters): here, a message gossipsub has already seen is not an
 * error (a watched game's act published by both seeds is one message).
 */
export async function publishOnce (pubsub: GossipSub, topic: string, data: Uint8Array): Promise<void> {
  const publish = pubsub.publish.bind(pubsub) as (topic: string, data: Uint8Array, opts: { ignoreDuplicatePublishError: boolean }) => Promise<unknown>
  await publish(topic, data, { ignoreDuplicatePublishError: true })
}

/**
 * Publishes, and says whether a peer took the message: false when no peer on the topic is known
 * yet (p2pgo's gossipsub publishes to zero peers without an error, and older versions threw).
 */
export async function publishReached (pubsub: GossipSub, topic: string, data: Uint8Array): Promise<boolean> {
  try {
    const { recipients } = await pubsub.publish(topic, data)
    return recipients.length > 0
  } catch (err) {
    if (isNoPeersError(err)) return false
    throw err
  }
}
