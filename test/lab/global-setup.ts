import { execFileSync } from 'node:child_process'
import { labScript } from './lab.js'

/** Removes labs left by runs whose process died without cleaning up (their owner PID is gone). */
function downStale (): void {
  try {
    execFileSync('bash', [labScript, 'down-all', '--stale'], { stdio: 'inherit', timeout: 60_000 })
  } catch { /* not root or tools missing: the tests themselves fail and say which */ }
}

/** Runs before the lab tests and again after them, when every worker has exited. */
export default function setup (): () => void {
  downStale()
  return downStale
}
