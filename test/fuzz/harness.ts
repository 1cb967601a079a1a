// The fuzz harness: drives one decoder with fast-check inputs and sorts what happens into the
// three findings the fuzz budget is about. A crash is any error the decoder does not document
// (a TypeError, a RangeError, an error class of another layer): fast-check shrinks it to a small
// input and the run fails. A hang (one input over the per-input time budget) and a large
// allocation (one input growing the heap past the allocation budget) are measured and reported,
// never asserted: timing on a shared machine is evidence to look at, not a verdict.
import fc from 'fast-check'

/** An error class a decoder documents (its named errors, e.g. WireError, SgfError). */
export type ErrorClass = abstract new (...args: any[]) => Error

/** One decoder under fuzz: where its inputs come from, how it is called, what it may throw. */
export interface FuzzTarget<T = any> {
  /** Short name, as reports list it (`game-message`, `sgf`). */
  readonly name: string
  /** The decoder and what it guards, in a few words. */
  readonly decoder: string
  readonly input: fc.Arbitrary<T>
  /** Calls the decoder; its return value is ignored. */
  readonly run: (input: T) => unknown
  /** The error classes the decoder documents; anything else thrown is a crash. Empty: it never throws. */
  readonly allowed: readonly ErrorClass[]
  /** The input as a report shows it (hex for bytes). */
  readonly show?: (input: T) => string
  /** Budgets of its own, for decoders whose largest valid input is large (an SGF file of 4 MiB). */
  readonly inputMs?: number
  readonly allocBytes?: number
}

/** How long and how hard to fuzz one target. */
export interface FuzzBudget {
  /** Inputs to try (the run also stops at `timeMs`). */
  readonly numRuns: number
  /** Stop after this long, ms; undefined for no time limit. */
  readonly timeMs?: number
  readonly seed: number
  /** One input taking longer than this is reported as a hang, ms. */
  readonly inputMs: number
  /** One input growing the heap (JS and array buffers) by more than this is reported, bytes. */
  readonly allocBytes: number
}

/** One measured input over a budget. */
export interface Excess {
  readonly input: string
  readonly ms: number
  readonly bytes: number
}

/** What one target's run found. */
export interface FuzzReport {
  readonly name: string
  readonly decoder: string
  readonly runs: number
  readonly seed: number
  /** The shrunk input and the undocumented error, when the decoder crashed. */
  readonly crash?: { readonly input: string, readonly error: string }
  readonly hangs: readonly Excess[]
  readonly allocations: readonly Excess[]
  /** Slowest input and largest heap growth seen, for the summary. */
  readonly maxMs: number
  readonly maxBytes: number
  /** How many inputs the decoder refused with a documented error (the rest decoded). */
  readonly refused: number
  /** Refusals by the error's `reason` (or name): which checks the inputs reached. */
  readonly reasons: Readonly<Record<string, number>>
}

/** An input as text: hex for bytes (cut long), JSON-ish for the rest. */
export function showInput (input: unknown): string {
  const cut = (s: string): string => s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s
  if (input instanceof Uint8Array) return cut(`hex:${Buffer.from(input).toString('hex')}`)
  if (typeof input === 'string') return cut(JSON.stringify(input))
  return cut(fc.stringify(input))
}

function heap (): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Runs one target within its budget and reports; a crash is reported, not thrown. */
export async function fuzzTarget<T> (target: FuzzTarget<T>, budget: FuzzBudget): Promise<FuzzReport> {
  const show = target.show ?? showInput
  const inputMs = Math.max(budget.inputMs, target.inputMs ?? 0)
  const allocBytes = Math.max(budget.allocBytes, target.allocBytes ?? 0)
  const hangs: Excess[] = []
  const allocations: Excess[] = []
  let maxMs = 0
  let maxBytes = 0
  let refused = 0
  let runs = 0
  const reasons: Record<string, number> = {}
  const property = fc.asyncProperty(target.input, async input => {
    runs++
    const before = heap()
    const started = performance.now()
    let thrown: unknown
    try {
      await target.run(input)
    } catch (err) {
      thrown = err
    }
    const ms = performance.now() - started
    const bytes = heap() - before
    maxMs = Math.max(maxMs, ms)
    maxBytes = Math.max(maxBytes, bytes)
    if (ms > inputMs && hangs.length < 5) hangs.push({ input: show(input), ms, bytes })
    if (bytes > allocBytes && allocations.length < 5) allocations.push({ input: show(input), ms, bytes })
    if (thrown === undefined) return
    if (target.allowed.some(cls => thrown instanceof cls)) {
      refused++
      const reason = String((thrown as { reason?: unknown }).reason ?? (thrown as Error).name)
      reasons[reason] = (reasons[reason] ?? 0) + 1
      return
    }
    throw thrown
  })
  const details = await fc.check(property, {
    numRuns: budget.numRuns,
    seed: budget.seed,
    ...(budget.timeMs != null ? { interruptAfterTimeLimit: budget.timeMs } : {}),
    // Shrinking reruns inputs: the counts above are of every call, the report's `runs` of generated inputs.
    endOnFailure: false
  })
  const crash = details.failed && details.counterexample != null
    ? { input: show(details.counterexample[0]), error: describeError(details.errorInstance) }
    : undefined
  return {
    name: target.name,
    decoder: target.decoder,
    runs: details.numRuns,
    seed: budget.seed,
    ...(crash != null ? { crash } : {}),
    hangs,
    allocations,
    maxMs,
    maxBytes,
    refused: Math.min(refused, runs),
    reasons
  }
}

function describeError (err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`
  return String(err)
}

/** A report as a few lines for people: runs, refusals, slowest input, findings. */
export function formatReport (r: FuzzReport): string {
  const head = `${r.name.padEnd(22)} runs ${String(r.runs).padStart(7)}  refused ${String(r.refused).padStart(7)}  slowest ${r.maxMs.toFixed(1).padStart(7)} ms  max heap +${(r.maxBytes / 2 ** 20).toFixed(1)} MiB`
  const lines = [head]
  const top = Object.entries(r.reasons).sort((a, b) => b[1] - a[1]).slice(0, 6)
  if (top.length > 0) lines.push(`  refused as: ${top.map(([k, n]) => `${k} ${n}`).join(', ')}`)
  if (r.crash != null) lines.push(`  CRASH (seed ${r.seed}) on ${r.crash.input}\n    ${r.crash.error.replaceAll('\n', '\n    ')}`)
  for (const h of r.hangs) lines.push(`  HANG ${h.ms.toFixed(0)} ms on ${h.input}`)
  for (const a of r.allocations) lines.push(`  ALLOCATION +${(a.bytes / 2 ** 20).toFixed(1)} MiB on ${a.input}`)
  return lines.join('\n')
}
