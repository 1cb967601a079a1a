/**
 * An Error for whatever a libp2p call rejected with. libp2p 3's `stream.close()` rejects with the
 * stream's close *event* when the stream closes while it waits to flush (`@libp2p/utils`
 * AbstractStream); passed on to `abort()`, that event became the rejection of every later read,
 * and callers got an event where they expect an Error.
 */
export function errorOf (err: unknown): Error {
  if (err instanceof Error) return err
  if (err instanceof Event) {
    const inner = (err as Event & { error?: unknown }).error
    return inner instanceof Error ? inner : new Error(`the stream closed (${err.type} event)`)
  }
  return new Error(String(err))
}
