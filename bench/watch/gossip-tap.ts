// What a node's gossipsub sends, by topic and kind (messages, IHAVE, IWANT, IDONTWANT, GRAFT/PRUNE,
// subscriptions): libp2p's metrics count gossipsub as one protocol, which does not say whether the
// bytes are the watch topic, the lobby or the census. Reads each RPC as gossipsub sends it
// (GossipSub.sendRpc, past its published interface: a benchmark's diagnostic only).
import { RPC } from '@libp2p/gossipsub/message'
import type { GossipSub } from '@libp2p/gossipsub'

/** A topic as a label: a game's watch topic without its game ID, others as they are. */
function label (topic: string | undefined): string {
  if (topic == null) return '?'
  return topic.startsWith('/p2pgo/watch/') ? '/p2pgo/watch/1/<game>' : topic
}

export class GossipTap {
  /** "<kind> <topic>" → bytes sent (each part encoded alone: the RPC's framing is not in it). */
  readonly out = new Map<string, number>()

  constructor (pubsub: GossipSub) {
    const p = pubsub as unknown as { sendRpc: (id: string, rpc: RPC) => boolean }
    if (typeof p.sendRpc !== 'function') throw new Error('this gossipsub has no sendRpc(): the benchmark\'s gossip tap needs @libp2p/gossipsub 17')
    const send = p.sendRpc.bind(pubsub)
    p.sendRpc = (id, rpc) => {
      // Counted after the call: gossipsub piggybacks IHAVE and control retries onto the RPC there.
      const sent = send(id, rpc)
      if (sent) this.count(rpc)
      return sent
    }
  }

  private add (key: string, bytes: number): void {
    this.out.set(key, (this.out.get(key) ?? 0) + bytes)
  }

  private count (rpc: RPC): void {
    for (const m of rpc.messages) this.add(`message ${label(m.topic)}`, RPC.Message.encode(m).length)
    for (const s of rpc.subscriptions) this.add(`subscription ${label(s.topic)}`, RPC.SubOpts.encode(s).length)
    const c = rpc.control
    if (c == null) return
    for (const x of c.ihave) this.add(`IHAVE ${label(x.topicID)}`, RPC.ControlIHave.encode(x).length)
    for (const x of c.graft) this.add(`GRAFT ${label(x.topicID)}`, RPC.ControlGraft.encode(x).length)
    for (const x of c.prune) this.add(`PRUNE ${label(x.topicID)}`, RPC.ControlPrune.encode(x).length)
    for (const x of c.iwant) this.add('IWANT', RPC.ControlIWant.encode(x).length)
    for (const x of c.idontwant) this.add('IDONTWANT', RPC.ControlIDontWant.encode(x).length)
  }

  snapshot (): Map<string, number> {
    return new Map(this.out)
  }
}
