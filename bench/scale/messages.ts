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
  | { t: 'leave', id: number, node: number, abrupt: boolean }
  | { t: 'join', id: number, index: number, bootstrap: string[] }
  | { t: 'ended', id: number, game: string }
  | { t: 'ratings', id: number }
  | { t: 'stop', id: number }
  // A Sybil process's (bench/scale/sybil.ts): start S Sybils on the relays, then take and spoil.
  | { t: 'sybils', id: number, count: number, bootstrap: string[], victims: string[] }
  | { t: 'sybil-sample', id: number }

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
  /** False once the node has left (churn); its counters stay as they were when it stopped. Absent: up. */
  readonly up?: boolean
  /** Lobby messages it refused (its p2pgo_lobby_rejected_total, every reason). */
  readonly lobbyRefused?: number
}

/** One node's ratings as it holds them and as its lobby view shows other players' (size 9). */
export interface NodeRatings {
  readonly peer: string
  readonly up: boolean
  /** Its own 9x9 rating (fixed point, as the rating service keeps it). */
  readonly mu: number
  readonly sigma: number
  /** How many players online its census estimates. */
  readonly online: number
  /** Its view's 9x9 ratings of other players: peer → mu (plain, as presences carry them; null: the presence carries none). */
  readonly view: Record<string, number | null>
  /** Lobby refusals by reason. */
  readonly refused: Record<string, number>
}

export type Reply =
  | { t: 'started', id: number, peers: string[] }
  | { t: 'sample', id: number, at: number, cpuMicros: number, rssBytes: number, lagMs: number, nodes: NodeSample[] }
  | { t: 'seek', id: number, seek: string, at: number }
  | { t: 'seen', id: number, at: Array<number | null> }
  | { t: 'publish', id: number, ok: number, failed: number, seqs: Array<number | null> }
  | { t: 'get', id: number, ms: number | null, error?: string, seq?: number, mu?: number | null, hops?: number }
  | { t: 'play', id: number, ms: number | null, game?: string, rna?: string, error?: string }
  | { t: 'holds', id: number, at: Array<number | null>, copies: number[], games: string[] }
  | { t: 'match', id: number, firstCandidateMs: number | null, gameMs: number | null, error?: string, opponent?: string }
  | { t: 'left', id: number }
  | { t: 'joined', id: number, node: number, peer: string }
  | { t: 'ended', id: number, at: Array<number | null> }
  | { t: 'ratings', id: number, nodes: NodeRatings[] }
  | { t: 'sybils', id: number, peers: string[] }
  | { t: 'sybil-sample', id: number, at: number, sent: Record<string, number>, forgedRecords: number, bytesIn: number, bytesOut: number, dhtOut: number, connections: number }
  | { t: 'stopped', id: number }
  | { t: 'error', id: number, message: string }
