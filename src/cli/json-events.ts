import type { NodeEvents, P2pgoNode } from '../net/node.js'

/** Every node event the NDJSON stream carries: a public contract for scripts. */
export const STREAMED_EVENTS: ReadonlyArray<keyof NodeEvents> = [
  'listening', 'addresses', 'peer:connected', 'peer:disconnected', 'game:path', 'game:upgrade',
  'game:started', 'game:move', 'game:chat', 'game:proposal', 'game:ended', 'game:closed',
  'delivery', 'rejected', 'rna', 'rating', 'rna:published', 'game:mail'
]

/**
 * Writes each node event as one JSON object per line: `{"type":...,"time":...,...detail}`
 * (`time` is ISO 8601). Returns a function that stops the stream.
 */
export function streamEvents (node: P2pgoNode, print: (line: string) => void, now: () => number = Date.now): () => void {
  const listeners = STREAMED_EVENTS.map(type => {
    const listener = (e: Event): void => {
      print(JSON.stringify({ type, time: new Date(now()).toISOString(), ...(e as CustomEvent).detail }))
    }
    node.addEventListener(type, listener)
    return () => { node.removeEventListener(type, listener) }
  })
  return () => { for (const off of listeners) off() }
}
