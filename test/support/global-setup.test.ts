// `npm test` without BATON_TEST_PG_URL says once that it leaves the PostgreSQL suites out (they skip quietly).
import { afterEach, describe, expect, it, vi } from 'vitest';
import config from '../../vitest.config.js';
import setup from './global-setup.js';
import { PG_SKIP_REASON } from './postgres.js';

describe('the test run', () => {
  const saved = process.env['BATON_TEST_PG_URL'];
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env['BATON_TEST_PG_URL'];
    else process.env['BATON_TEST_PG_URL'] = saved;
  });

  it('runs the setup once per run, not once per file', () => {
    expect(config.test?.globalSetup).toEqual(['test/support/global-setup.ts']);
    expect(config.test?.setupFiles ?? []).not.toContain('test/support/global-setup.ts');
  });

  it('prints one line saying how to include the PostgreSQL suites when BATON_TEST_PG_URL is unset', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    delete process.env['BATON_TEST_PG_URL'];
    setup();
    expect(log.mock.calls).toEqual([[PG_SKIP_REASON]]);
    expect(PG_SKIP_REASON).toMatch(/BATON_TEST_PG_URL=postgres:\/\/\S+/);
  });

  it('prints nothing when the PostgreSQL suites run', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    process.env['BATON_TEST_PG_URL'] = 'postgres://postgres@127.0.0.1:5432/baton_test';
    setup();
    expect(log).not.toHaveBeenCalled();
  });
});
