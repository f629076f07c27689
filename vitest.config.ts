// Three projects, run in this order by scripts/test.ts:
//   unit         pure modules (domain/, hashing, schemas): no services
//   integration  real PostgreSQL, Redis and Temporal (dev server, and the time-skipping test server
//                for workflows), started by scripts/test.ts and passed in through the environment
//   e2e          real Chromium against the whole system started by scripts/test.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One database and one Temporal server are shared; files run one at a time.
          fileParallelism: false,
        },
      },
      // A page may take a few seconds to answer on a busy 2-core machine (sign-in hashes with Argon2id): polls wait up to 10 s.
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false, expect: { poll: { timeout: 10_000 } } } },
    ],
  },
});
