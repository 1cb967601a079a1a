// `npm run fuzz`: every decoder under fuzz for the budget in the environment (test/fuzz/settings.ts).
// A crash fails its target's test with the shrunk input; hangs and large allocations are listed
// in the summary printed at the end, as findings to look at (timing is not a test verdict).
import { afterAll, describe, expect, it } from 'vitest'
import { corpus } from './corpus.js'
import { formatReport, fuzzTarget, type FuzzReport } from './harness.js'
import { fuzzSettings } from './settings.js'
import { allTargets } from './targets.js'

const settings = fuzzSettings()
const targets = allTargets(await corpus()).filter(t => settings.only == null || settings.only.includes(t.name))
const perTargetMs = settings.totalMs / Math.max(1, targets.length)
const reports: FuzzReport[] = []

describe(`fuzz (seed ${settings.seed}, ${settings.runs != null ? `${settings.runs} runs` : `${Math.round(perTargetMs / 1000)} s`} per target)`, () => {
  for (const target of targets) {
    it(`${target.name}: ${target.decoder}`, async () => {
      const report = await fuzzTarget(target, {
        numRuns: settings.runs ?? Number.MAX_SAFE_INTEGER,
        ...(settings.runs == null ? { timeMs: perTargetMs } : {}),
        seed: settings.seed,
        inputMs: settings.inputMs,
        allocBytes: settings.allocBytes
      })
      reports.push(report)
      expect(report.crash, formatReport(report)).toBeUndefined()
    })
  }

  afterAll(() => {
    const total = reports.reduce((n, r) => n + r.runs, 0)
    const hangs = reports.reduce((n, r) => n + r.hangs.length, 0)
    const allocations = reports.reduce((n, r) => n + r.allocations.length, 0)
    const crashes = reports.filter(r => r.crash != null).length
    console.log([
      `fuzz summary: seed ${settings.seed}, ${total} inputs over ${reports.length} targets; ${crashes} crashes, ${hangs} hangs (> ${settings.inputMs} ms), ${allocations} allocations (> ${settings.allocBytes / 2 ** 20} MiB)`,
      ...reports.map(formatReport)
    ].join('\n'))
  })
})
