import { createConnection } from 'node:net'
import { join } from 'node:path'
import { CONTROL_SOCKET, CONTROL_TIMEOUT_MS, MAX_LINE_BYTES, type ControlResponse } from './protocol.js'

/** No node runs with this home (nothing answers on its control socket). */
export class NoRunningNodeError extends Error {
  static readonly code = 'ERR_NO_NODE'
  readonly code = NoRunningNodeError.code
  constructor (home: string) {
    super(`no p2pgo node is running with home ${home} (start one with p2pgo bot, p2pgo bootstrap or the terminal client)`)
    this.name = 'NoRunningNodeError'
  }
}

/** The node answered with an error, or not in time, or not in the protocol. */
export class ControlError extends Error {
  static readonly code = 'ERR_CONTROL'
  readonly code = ControlError.code
  constructor (message: string) {
    super(message)
    this.name = 'ControlError'
  }
}

/** Asks the node running with `home` one question; resolves with its answer. */
export async function callControl (home: string, method: string, params: Readonly<Record<string, unknown>> = {}, timeoutMs = CONTROL_TIMEOUT_MS): Promise<unknown> {
  const path = join(home, CONTROL_SOCKET)
  return new Promise((resolve, reject) => {
    const socket = createConnection(path)
    let text = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new ControlError(`the node with home ${home} did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.setEncoding('utf8')
    socket.once('connect', () => { socket.write(JSON.stringify({ method, params }) + '\n') })
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.length > MAX_LINE_BYTES) socket.destroy(new ControlError('the node\'s answer is too large'))
    })
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new NoRunningNodeError(home))
      else reject(err instanceof ControlError ? err : new ControlError(err.message))
    })
    socket.once('end', () => {
      clearTimeout(timer)
      let response: ControlResponse
      try {
        response = JSON.parse(text)
      } catch {
        reject(new ControlError('the node\'s answer is not JSON'))
        return
      }
      if ('error' in response) reject(new ControlError(`${response.error.code}: ${response.error.message}`))
      else resolve(response.result)
    })
  })
}
