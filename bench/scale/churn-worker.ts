// A worker's side of churn and of the checks after it (bench/scale/messages.ts): a node leaves
// (gracefully, or as if its process died), a fresh one joins through the relays, which games
// ended here, and the ratings each node holds and shows.
import type { Member } from './worker.js'
import type { NodeSample, NodeRatings, Reply, Request } from './messages.js'

type ChurnRequest = Extract<Request, { t: 'leave' | 'join' | 'ended' | 'ratings' }>

/**
 * Answers a churn request. `start` starts a fresh member (new key, empty datastore) as the
 * worker starts its first ones; `sample` reads a member's counters (kept as they were when it left).
 */
export async function churnRequest (m: ChurnRequest, members: Member[], start: (index: number, bootstrap: string[]) => Promise<Member>, sample: (x: Member) => Promise<NodeSample>): Promise<Reply> {
  switch (m.t) {
    case 'leave': {
      const x = members[m.node]
      if (!x.up) return { t: 'left', id: m.id }
      x.last = await sample(x)
      x.up = false
      if (m.abrupt) {
        // As if the process died: every connection reset at once, no goodbye on any protocol (the
        // lobby's `leave` finds nobody to send to), then the node is stopped to free its sockets.
        await Promise.all(x.node.libp2p.getConnections().map(async c => { c.abort(new Error('the benchmark killed this node')) }))
      }
      await x.node.stop().catch(() => {})
      x.last = { ...x.last, up: false, connections: 0 }
      return { t: 'left', id: m.id }
    }
    case 'join': {
      const x = await start(m.index, m.bootstrap)
      members.push(x)
      return { t: 'joined', id: m.id, node: members.length - 1, peer: x.node.peerId }
    }
    case 'ended':
      return { t: 'ended', id: m.id, at: members.map(x => x.ended.get(m.game) ?? null) }
    case 'ratings': {
      const nodes: NodeRatings[] = []
      for (const x of members) {
        const own = x.node.ratings.ratingOn(9)
        const view: Record<string, number | null> = {}
        if (x.up) for (const p of x.node.lobby.presences()) view[p.peer.toString()] = p.ratings?.[9]?.mu ?? null
        nodes.push({ peer: x.node.peerId, up: x.up, mu: own.mu, sigma: own.sigma, online: x.up ? x.node.lobby.online().total : 0, view, refused: await x.meter.lobbyRefusals() })
      }
      return { t: 'ratings', id: m.id, nodes }
    }
  }
}
