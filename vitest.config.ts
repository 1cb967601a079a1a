import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Network and engine tests start real processes: give them room, but never rely on timing for a verdict.
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
