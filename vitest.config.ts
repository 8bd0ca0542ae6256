import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // run on their own by vitest.faults.config.ts: they restart PostgreSQL
    exclude: ['test/faults/**', '**/node_modules/**'],
    // once per run, before any file: says which suites the run leaves out (PostgreSQL without BATON_TEST_PG_URL)
    globalSetup: ['test/support/global-setup.ts'],
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
