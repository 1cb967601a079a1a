import { defineConfig } from 'vitest/config'

// `npm run fuzz`: the decoders under fuzz for a fixed budget (FUZZ_SECONDS, FUZZ_RUNS, FUZZ_SEED; test/fuzz/settings.ts).
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    // Node 20 lacks Promise.withResolvers, which libp2p 3 uses.
    setupFiles: ['src/polyfill.ts'],
    // The budget bounds each target; the limit here only catches a decoder that never returns.
    testTimeout: 60 * 60_000,
    hookTimeout: 60_000
  }
})
