import { defineConfig } from 'vitest/config';

// The fault tests restart PostgreSQL, so they run on their own, after the other suites (`npm test`).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
