import { defineConfig } from 'vitest/config'

// The NAT lab (test/lab/README.md): network namespaces, so root and a few Debian packages.
export default defineConfig({
  test: {
    include: ['test/lab/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/lab/global-setup.ts'],
    // Node 20 lacks Promise.withResolvers, which libp2p 3 uses.
    setupFiles: ['src/polyfill.ts'],
    // One lab at a time: files run one after another.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000
  }
})
