import { chmod, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { CONTROL_SOCKET, MAX_LINE_BYTES, type ControlRequest, type ControlResponse } from './protocol.js'

/** What the node answers: one function per method, given the request's params (`{}` when absent). */
export type ControlHandlers = Readonly<Record<string, (params: Readonly<Record<string, unknown>>) => unknown>>

/** Whether something answers on a Unix socket path (a live node), as opposed to a file left by a crash. */
async function answers (path: string): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection(path)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
}

/**
 * Serves the control socket in `home` until `close`. The socket is made with mode 0600 (the
 * home's owner only). A socket file left by a crashed node is replaced; a live one is an error.
 */
export class ControlServer {
  private readonly server: Server
  readonly path: string

  private constructor (server: Server, path: string) {
    this.server = server
    this.path = path
  }

  static async listen (home: string, handlers: ControlHandlers): Promise<ControlServer> {
    const path = join(home, CONTROL_SOCKET)
    if (await answers(path)) throw new Error(`another p2pgo node already answers on ${path}`)
    await unlink(path).catch(() => {})
    const server = createServer(socket => { serve(socket, handlers) })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      // Owner-only from the first moment: no window in which others could connect.
      const mask = process.umask(0o177)
      try {
        server.listen(path, () => { server.off('error', reject); resolve() })
      } finally {
        process.umask(mask)
      }
    })
    await chmod(path, 0o600)
    server.unref()
    return new ControlServer(server, path)
  }

  async close (): Promise<void> {
    await new Promise<void>(resolve => { this.server.close(() => { resolve() }) })
    await unlink(this.path).catch(() => {})
  }
}

function respond (socket: Socket, response: ControlResponse): void {
  socket.end(JSON.stringify(response) + '\n')
}

/** One request per connection: read a line, answer it, close. Bad input gets an error response, never a crash. */
function serve (socket: Socket, handlers: ControlHandlers): void {
  let buffered = ''
  socket.setEncoding('utf8')
  socket.on('error', () => {})
  socket.on('data', (chunk: string) => {
    buffered += chunk
    if (Buffer.byteLength(buffered) > MAX_LINE_BYTES) {
      respond(socket, { error: { code: 'too-large', message: `a request is at most ${MAX_LINE_BYTES} bytes` } })
      socket.removeAllListeners('data')
      return
    }
    const end = buffered.indexOf('\n')
    if (end < 0) return
    socket.removeAllListeners('data')
    let request: ControlRequest
    try {
      request = JSON.parse(buffered.slice(0, end))
    } catch {
      respond(socket, { error: { code: 'bad-request', message: 'a request is one JSON object on one line' } })
      return
    }
    const method = typeof request === 'object' && request != null && typeof request.method === 'string' ? request.method : undefined
    const handler = method != null && Object.hasOwn(handlers, method) ? handlers[method] : undefined
    if (handler == null) {
      respond(socket, { error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method ?? null)}; known: ${Object.keys(handlers).join(', ')}` } })
      return
    }
    const params = typeof request.params === 'object' && request.params != null && !Array.isArray(request.params) ? request.params : {}
    Promise.resolve(params).then(handler).then(result => { respond(socket, { result }) }, (err: Error) => {
      respond(socket, { error: { code: 'failed', message: err.message } })
    })
  })
}
