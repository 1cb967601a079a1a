import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The NAT lab needs root and network namespaces: `npm run test:lab` (CI runs both).
    exclude: ['test/lab/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Node 20 lacks Promise.withResolvers, which libp2p 3 uses.
    setupFiles: ['src/polyfill.ts'],
    // Network and engine tests start real processes: give them room, but never rely on timing for a verdict.
    testTimeout: 60_000,
    // Most of the suite's time is spent waiting (on real processes, engines, the network), not
    // computing: three files at a time on two cores took the suite from 16 to 7 minutes.
    maxWorkers: 3,
    hookTimeout: 60_000
  }
})
