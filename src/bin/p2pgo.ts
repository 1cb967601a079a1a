#!/usr/bin/env node
import '../polyfill.js'
import { main } from '../cli/main.js'

// A process another p2pgo started (the local network's relay and bots) ends with its parent:
// the parent holds the other end of its stdin, and that end closes however the parent exits.
if (process.env.P2PGO_LIFELINE === '1') {
  delete process.env.P2PGO_LIFELINE
  process.stdin.on('end', () => { process.kill(process.pid, 'SIGTERM') })
  process.stdin.on('error', () => { process.kill(process.pid, 'SIGTERM') })
  process.stdin.resume()
}

let code: number
try {
  code = await main(process.argv.slice(2))
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
