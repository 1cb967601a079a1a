// What the watch benchmark's coordinator (bench/watch.ts) and its watcher processes
// (bench/watch/worker.ts) say to each other over the IPC channel: a request and its reply share `id`.

/** A player as a watcher learns it from the lobby: its peer ID and addresses. */
export interface Holder { readonly peer: string, readonly addrs: string[] }

export type Request =
  | { t: 'start', id: number, count: number, first: number, bootstrap: string[] }
  /** Each of this worker's watchers dials a few of all the watchers (`addrs`, in order; this worker's start at `first`). */
  | { t: 'mesh', id: number, addrs: string[], first: number }
  /** Every watcher here follows `game`, a few at a time, asking `holders` (the players). */
  | { t: 'follow', id: number, game: string, holders: Holder[] }
  | { t: 'seen', id: number }
  | { t: 'stop', id: number }

export type Reply =
  | { t: 'started', id: number, addrs: string[], peers: string[] }
  | { t: 'meshed', id: number }
  | { t: 'following', id: number, ok: number, failed: string[] }
  /** Per watcher, per ply: when (ms since the epoch) its `watch:move` event came, or null. */
  | { t: 'seen', id: number, at: Array<Array<number | null>>, followed: boolean[] }
  | { t: 'stopped', id: number }
  | { t: 'error', id: number, message: string }
