// What the relay load benchmark (bench/relay-load.ts) and its worker processes
// (bench/relay-load-worker.ts) say to each other over Node's IPC channel. Plain JSON values only.

/** A worker's orders, passed as its one command-line argument (JSON). */
export interface WorkerSettings {
  /** Index of the worker, for logs and seeds. */
  readonly index: number
  /** The relay's full multiaddr (…/tcp/PORT/p2p/ID). */
  readonly relay: string
  /** Client peers this worker runs; each listens only on `<relay>/p2p-circuit`. */
  readonly peers: number
  /** Games played at once by this worker's peers (two peers each); the other peers only hold reservations. */
  readonly games: number
  /**
   * Mean plies per game before the side to move resigns. Each game draws its length from
   * [2/3, 4/3] of it, so games that started together do not all end together.
   */
  readonly movesPerGame: number
  /** Delay before each move, drawn uniformly from [min, max] ms. */
  readonly moveDelayMs: readonly [number, number]
  /** Pause between a pair's games, drawn uniformly from [min, max] ms. */
  readonly gapMs: readonly [number, number]
  /** A move not applied on the other side within this is counted lost (the game is cut off). */
  readonly moveTimeoutMs: number
  /** Peers started at once while ramping up (each reserves a slot on start). */
  readonly startBatch: number
  readonly seed: number
}

/** The bench's orders after `ready`. */
export type ToWorker =
  | { readonly type: 'play' }
  /** No new games; running ones end at their next turn (the side to move resigns). */
  | { readonly type: 'wind-down' }
  /** Stop every node and exit. */
  | { readonly type: 'exit' }

/** How one game went, as the worker saw both of its sides. */
export interface GameReport {
  readonly pair: number
  /** ms since the worker started, when the game started and ended. */
  readonly startedAt: number
  readonly endedAt: number
  /** Plies played (moves and passes), before the resignation. */
  readonly plies: number
  /** Both sides hold the same acts (every signature equal, in order) and the co-signed result. */
  readonly sameRecord: boolean
  readonly cosigned: boolean
  /** Why the game was cut off, when it was: the relayed connection closed early, a move or the end never arrived, the dial failed. */
  readonly cutOff?: string
  /** ms to open the relayed connection (dial of `<relay>/p2p-circuit/p2p/<peer>`). */
  readonly dialMs?: number
}

/** The worker's reports. */
export type FromWorker =
  /** Every peer holds a reservation (its circuit address is up). */
  | { readonly type: 'ready', readonly peers: number, readonly reserveMs: readonly number[], readonly failed: number, readonly errors: readonly string[] }
  /** Every PROGRESS_MS while playing; counts are cumulative. */
  | { readonly type: 'progress', readonly moves: number, readonly active: number, readonly gamesEnded: number, readonly cutOffs: number, readonly relayLost: number }
  /** After wind-down: every game, every move latency (perform → applied by the opponent), ms. */
  | { readonly type: 'result', readonly games: readonly GameReport[], readonly moveLatencyMs: readonly number[], readonly relayLost: number, readonly errors: readonly string[] }
  /** Something broke outside a game. */
  | { readonly type: 'error', readonly message: string }

/** How often a playing worker reports its counts. */
export const PROGRESS_MS = 5000
