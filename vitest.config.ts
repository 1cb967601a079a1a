import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Node 20 lacks Promise.withResolvers, which libp2p 3 uses.
    setupFiles: ['src/polyfill.ts'],
    // Network and engine tests start real processes: give them room, but never rely on timing for a verdict.
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
