// A gossipsub metrics register that counts what the RNA benchmark needs and drops the rest:
// gossipsub reports through it like any Prometheus register, so the counts are the library's own.
import type { GossipsubOpts } from '@libp2p/gossipsub'

type Register = NonNullable<GossipsubOpts['metricsRegister']>

/** The label gossipsub gives a topic in its metrics (metricsTopicStrToLabel). */
export const COUNTED_TOPIC_LABEL = 'counted'

/** Every message gossipsub receives on the counted topic before validation: first copies and duplicates alike. */
const RECEIVED = 'gossipsub_msg_received_prevalidation_total'
/** Bytes of every RPC gossipsub receives (all topics, control included). */
const RPC_BYTES = 'gossipsub_rpc_recv_bytes_total'

export class GossipCounter {
  copies = 0
  rpcBytes = 0

  /** Gossipsub options that report to this counter for `topic`. */
  options (topic: string): Partial<GossipsubOpts> {
    return { metricsRegister: this.register, metricsTopicStrToLabel: new Map([[topic, COUNTED_TOPIC_LABEL]]) }
  }

  private readonly register: Register = {
    gauge: (config: { name: string }) => ({
      inc: (a?: unknown, b?: number) => {
        if (config.name === RECEIVED && (a as { topic?: string } | undefined)?.topic === COUNTED_TOPIC_LABEL) this.copies += b ?? 1
        if (config.name === RPC_BYTES && typeof a === 'number') this.rpcBytes += a
      },
      set: () => {},
      addCollect: () => {}
    }),
    histogram: () => ({ startTimer: () => () => {}, observe: () => {}, reset: () => {} }),
    avgMinMax: () => ({ set: () => {} })
  } as unknown as Register
}
