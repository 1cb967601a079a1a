// The local control socket: how `p2pgo peers` (and later the other commands) ask a running node
// in another process. One JSON request per line, one JSON response per line, over a Unix socket
// in the node's home that only its owner can open.

/** The socket's file name inside the home. */
export const CONTROL_SOCKET = 'control.sock'

/** Longest request or response line; a request is a few dozen bytes, a peer list a few hundred KiB at most. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024

/** How long a client waits for the node's answer. */
export const CONTROL_TIMEOUT_MS = 10_000

/** `{ "method": "peers" }`, `{ "method": "rating", "params": { "peer": "12D3…", "size": 9 } }` */
export interface ControlRequest {
  readonly method: string
  /** The method's arguments, a JSON object; `{}` when absent. */
  readonly params?: Readonly<Record<string, unknown>>
}

/** `{ "result": ... }` or `{ "error": { "code": ..., "message": ... } }` */
export type ControlResponse =
  | { readonly result: unknown }
  | { readonly error: { readonly code: string, readonly message: string } }
