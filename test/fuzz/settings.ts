// The fuzz budget, from the environment: `npm run fuzz` reads it, `npm test` uses a small fixed one.

/** How a fuzz run is bounded. */
export interface FuzzSettings {
  /** Time for all targets together, ms, shared equally; ignored when `runs` is set. */
  readonly totalMs: number
  /** Inputs per target, when a fixed count is wanted instead of a time budget. */
  readonly runs?: number
  readonly seed: number
  /** One input over this long is reported as a hang, ms. */
  readonly inputMs: number
  /** One input growing the heap past this is reported as an allocation, bytes. */
  readonly allocBytes: number
  /** Target names to run; all when undefined. */
  readonly only?: readonly string[]
}

function number (env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]
  if (text == null || text === '') return undefined
  const n = Number(text)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of 0 or more, got ${JSON.stringify(text)}`)
  return n
}

/**
 * FUZZ_SECONDS (all targets together; default 240), FUZZ_RUNS (inputs per target instead of a
 * time budget), FUZZ_SEED (default: from the clock, printed so a run can be repeated),
 * FUZZ_INPUT_MS (hang budget per input; default 1000), FUZZ_ALLOC_MB (allocation budget per
 * input; default 64), FUZZ_TARGETS (comma-separated names).
 */
export function fuzzSettings (env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = number(env, 'FUZZ_RUNS')
  const only = env.FUZZ_TARGETS?.split(',').map(s => s.trim()).filter(s => s !== '')
  return {
    totalMs: (number(env, 'FUZZ_SECONDS') ?? 240) * 1000,
    ...(runs != null ? { runs } : {}),
    seed: number(env, 'FUZZ_SEED') ?? Date.now() % 2 ** 31,
    inputMs: number(env, 'FUZZ_INPUT_MS') ?? 1000,
    allocBytes: (number(env, 'FUZZ_ALLOC_MB') ?? 64) * 2 ** 20,
    ...(only != null && only.length > 0 ? { only } : {})
  }
}
