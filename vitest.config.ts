import { defineConfig } from 'vitest/config'

/**
 * Files that run many nodes in one process (50- and 20-node DHTs, a PUT flood) or time the
 * trimming of connections: they get the machine to themselves, after the rest.
 */
const alone = [
  'test/net/rating/churn.test.ts',
  'test/net/rating/network.test.ts',
  'test/net/rating/weighted-lookup.test.ts',
  'test/hostile/dht-flood.test.ts',
  'test/net/reputation/pruning.test.ts'
]

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Node 20 lacks Promise.withResolvers, which libp2p 3 uses.
    setupFiles: ['src/polyfill.ts'],
    // Network and engine tests start real processes: give them room, but never rely on timing for a verdict.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          // The NAT lab needs root and network namespaces: `npm run test:lab` (CI runs both).
          exclude: ['test/lab/**', 'node_modules/**', ...alone],
          // Most of the suite's time is spent waiting (on real processes, engines, the network),
          // not computing: three files at a time on two cores took it from 16 minutes to 7.
          maxWorkers: 3,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: { name: 'alone', include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } }
      }
    ]
  }
})
