// The watch benchmark's watcher processes, seen from the coordinator: fork, ask (a request and
// its reply, matched by id), and stop, leaving no process behind even when one hangs.
import { fork, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Reply, Request } from './messages.js'

type Ask = Request extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never

export class WatcherProcess {
  readonly child: ChildProcess
  private next = 1
  private readonly pending = new Map<number, { resolve: (r: Reply) => void, reject: (e: Error) => void }>()

  constructor (readonly index: number) {
    this.child = fork(join(dirname(fileURLToPath(import.meta.url)), 'worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.child.on('message', (r: Reply) => {
      const p = this.pending.get(r.id)
      if (p == null) return
      this.pending.delete(r.id)
      if (r.t === 'error') p.reject(new Error(`watcher process ${index}: ${r.message}`))
      else p.resolve(r)
    })
    this.child.on('exit', code => {
      for (const p of this.pending.values()) p.reject(new Error(`watcher process ${index} exited (${String(code)})`))
      this.pending.clear()
    })
  }

  /** Sends a request; resolves with its reply (of the type `t` names). */
  async ask<T extends Reply['t']> (request: Ask, _expect: T, timeoutMs = 300_000): Promise<Extract<Reply, { t: T }>> {
    const id = this.next++
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`watcher process ${this.index} did not answer ${request.t} within ${timeoutMs / 1000} s`)) }, timeoutMs)
      this.pending.set(id, { resolve: r => { clearTimeout(timer); resolve(r as Extract<Reply, { t: T }>) }, reject: e => { clearTimeout(timer); reject(e) } })
      this.child.send({ ...request, id })
    })
  }

  /** Stops its nodes, then the process; kills it when it does not exit within 30 s. */
  async stop (): Promise<void> {
    if (this.child.exitCode != null || this.child.signalCode != null) return
    const exited = new Promise<void>(resolve => this.child.once('exit', () => { resolve() }))
    await this.ask({ t: 'stop' }, 'stopped', 30_000).catch(() => {})
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(timer)
  }
}
