// libp2p hands each service a proxy of every component and service it knows; reading one that
// is not configured throws libp2p's MissingServiceError (libp2p/src/components.ts). A p2pgo
// service that can work without another (a node with no relay server, a test with no lobby)
// reads it through `optional`.

/** The component `read` returns, or undefined when libp2p has no such service. */
export function optional<T> (read: () => T): T | undefined {
  try {
    return read()
  } catch (err) {
    if ((err as Error).name === 'MissingServiceError') return undefined
    throw err
  }
}
