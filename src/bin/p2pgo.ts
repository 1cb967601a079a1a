#!/usr/bin/env node
import '../polyfill.js'
import { appendFileSync } from 'node:fs'
import { Logger } from '../../bootstrap/log.js'
import { resolveHome } from '../config/home.js'
import { backgroundErrorSink, backgroundErrorText, keepRunningOnBackgroundErrors } from './background-errors.js'

// A process another p2pgo started (the local network's relay and bots) ends with its parent:
// the parent holds the other end of its stdin, and that end closes however the parent exits.
if (process.env.P2PGO_LIFELINE === '1') {
  delete process.env.P2PGO_LIFELINE
  process.stdin.on('end', () => { process.kill(process.pid, 'SIGTERM') })
  process.stdin.on('error', () => { process.kill(process.pid, 'SIGTERM') })
  process.stdin.resume()
}

// An error thrown in the background (a library's event listener or timer) is logged and the node
// keeps its games (background-errors.ts; README, "When a library throws"). The bootstrap relay
// logs it as one of its JSON lines, the terminal client in a file of its home (stderr is its
// screen), every other command as plain text on stderr.
const argv = process.argv.slice(2)
const sink = backgroundErrorSink(argv, process.stdout.isTTY === true && process.stdin.isTTY === true, flag => resolveHome({ flag, env: process.env }))
const daemonLog = sink.kind === 'json' ? new Logger({ fields: { service: 'p2pgo-bootstrap' } }) : undefined
keepRunningOnBackgroundErrors(report => {
  if (daemonLog != null) {
    daemonLog.error('background error: logged, still running', { ...report, frames: report.count > 1 ? undefined : report.frames })
    return
  }
  const text = backgroundErrorText(report) + '\n'
  if (sink.kind === 'file') {
    try {
      appendFileSync(sink.path, `${new Date().toISOString()} ${text}`, { mode: 0o600 })
      return
    } catch {
      // No home yet, or not writable: stderr, where it can still be seen.
    }
  }
  process.stderr.write(text)
})
// Installed before the command and its libraries are even loaded (loading libp2p takes a second or two).
const { main } = await import('../cli/main.js')

let code: number
try {
  code = await main(argv)
} catch (err) {
  // Anything a command did not turn into a plain message is still a message, not a stack dump
  // (set DEBUG=p2pgo:* for the details).
  process.stderr.write(`p2pgo: ${err instanceof Error ? err.message : String(err)}\n`)
  if (process.env.DEBUG != null) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`)
  code = 1
}
// A command is done when main() returns: exit once output is flushed, even if a library (WebRTC's
// native threads, a lingering socket) would keep the event loop alive.
process.stdout.write('', () => { process.stderr.write('', () => { process.exit(code) }) })
