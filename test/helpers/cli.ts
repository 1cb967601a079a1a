import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built `p2pgo` entry point (test/global-setup.ts builds it). */
export const bin = fileURLToPath(new URL('../../dist/src/bin/p2pgo.js', import.meta.url))

/** Runs the real `p2pgo` binary and collects its output and exit status. */
export async function runCli (args: readonly string[], options: { cwd?: string, timeoutMs?: number } = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    // A command still running after `timeoutMs` is stopped, and what it said so far is kept for the failure message.
    const timer = options.timeoutMs != null
      ? setTimeout(() => { stderr += `\n(runCli: still running after ${options.timeoutMs} ms: stopped with SIGTERM)`; child.kill('SIGTERM') }, options.timeoutMs)
      : undefined
    child.on('error', reject)
    child.on('close', code => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}
