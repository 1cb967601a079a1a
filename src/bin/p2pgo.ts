#!/usr/bin/env node
import '../polyfill.js'
import { main } from '../cli/main.js'

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  // Anything a command did not turn into a plain message is still a message, not a stack dump
  // (set DEBUG=p2pgo:* for the details).
  process.stderr.write(`p2pgo: ${err instanceof Error ? err.message : String(err)}\n`)
  if (process.env.DEBUG != null) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`)
  process.exitCode = 1
}
