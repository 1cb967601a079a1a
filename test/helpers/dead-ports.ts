// TCP ports that never lead to a peer, for addresses a node must not wait on: one that accepts and
// then says nothing (a dial hangs until its own limit), one on which nothing listens (refused at once).
import { createServer, type Server, type Socket } from 'node:net'

const servers: Server[] = []
const sockets: Socket[] = []

/** A TCP port that accepts connections and never says a word: a dial to it hangs until its own limit. */
export async function blackHole (): Promise<number> {
  const server = createServer(socket => { sockets.push(socket) })
  servers.push(server)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

/** A TCP port on which nothing listens: a dial to it is refused at once. */
export async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

/** Closes every black hole and its connections (call in afterEach). */
export async function closeBlackHoles (): Promise<void> {
  for (const s of sockets.splice(0)) s.destroy()
  await Promise.all(servers.splice(0).map(async s => new Promise(resolve => s.close(resolve))))
}
