// What the scale benchmark's coordinator and its worker processes say to each other (Node's IPC
// channel: each message a JSON object with `t`; each request carries `id`, echoed in its reply).

export type Request =
  | { t: 'start', id: number, count: number, first: number, bootstrap: string[] }
  | { t: 'sample', id: number }
  | { t: 'seek', id: number, node: number }
  | { t: 'seen', id: number, seek: string }
  | { t: 'publish', id: number, nodes: number[] }
  | { t: 'get', id: number, node: number, peer: string }
  | { t: 'play', id: number, node: number, opponent: string }
  | { t: 'holds', id: number, rna: string }
  | { t: 'match', id: number, node: number }
  | { t: 'stop', id: number }

/** One node's counters in a sample. */
export interface NodeSample {
  readonly bytesIn: number
  readonly bytesOut: number
  /** Bytes of the lobby topic's gossip are not separable from gossipsub's stream: the whole stream. */
  readonly gossipIn: number
  readonly gossipOut: number
  readonly dhtIn: number
  readonly dhtOut: number
  /** First copies of lobby (size, bucket) and census messages received, bytes: what the lobby's cost formula predicts before gossip's duplicates. */
  readonly lobbyFirstIn: number
  readonly censusFirstIn: number
  /** Players in its lobby view. */
  readonly view: number
  readonly connections: number
  /** Connected peers subscribed to the lobby topic, and those in this node's mesh for it. */
  readonly lobbyPeers: number
  readonly lobbyMesh: number
}

export type Reply =
  | { t: 'started', id: number, peers: string[] }
  | { t: 'sample', id: number, at: number, cpuMicros: number, rssBytes: number, lagMs: number, nodes: NodeSample[] }
  | { t: 'seek', id: number, seek: string, at: number }
  | { t: 'seen', id: number, at: Array<number | null> }
  | { t: 'publish', id: number, ok: number, failed: number }
  | { t: 'get', id: number, ms: number | null, error?: string }
  | { t: 'play', id: number, ms: number | null, game?: string, rna?: string, error?: string }
  | { t: 'holds', id: number, at: Array<number | null> }
  | { t: 'match', id: number, firstCandidateMs: number | null, gameMs: number | null, error?: string }
  | { t: 'stopped', id: number }
  | { t: 'error', id: number, message: string }
