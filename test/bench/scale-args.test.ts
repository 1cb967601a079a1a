// The scale harness refuses what it cannot do before it starts a node: exit 2, with the reason.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const harness = fileURLToPath(new URL('../../dist/bench/scale.js', import.meta.url))

async function run (args: string[]): Promise<{ code: number | null, stderr: string }> {
  return await new Promise(resolve => {
    execFile(process.execPath, [harness, ...args], (err, _stdout, stderr) => {
      resolve({ code: err == null ? 0 : (err as { code?: number }).code ?? null, stderr })
    })
  })
}

describe('bench:scale arguments', () => {
  it.each([
    [['--nodes', '2'], /--nodes must be a whole number from 4/],
    [['--nodes', 'many'], /--nodes must be a whole number from 4/],
    [['--nodes', '10', '--processes', '11'], /--processes from 1 to the nodes/],
    [['--minutes', '0'], /--minutes above 0/],
    [['--churn', '1.5'], /--churn must be a fraction from 0 to 0.9/],
    [['--churn', 'some'], /--churn must be a fraction from 0 to 0.9/],
    [['--sybils=-1'], /--sybils a whole number from 0 to 1000/],
    [['--sybils', '2.5'], /--sybils a whole number from 0 to 1000/]
  ])('refuses %j with exit 2', async (args, reason) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(reason)
  })
})
