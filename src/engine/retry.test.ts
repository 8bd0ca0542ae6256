import { describe, expect, it } from 'vitest';
import { retryPlan, substituteParams } from './retry.js';

describe('retry plans', () => {
  it('use Maestro defaults: 2 user-error retries, exponential from 60 s capped at 600 s', () => {
    const plan = retryPlan(undefined, 'error', {});
    expect(plan.limit).toBe(2);
    expect([0, 1, 2, 3, 4].map((n) => plan.delayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000, 600_000]);
    expect(retryPlan(undefined, 'platform', {}).limit).toBe(10);
    expect(retryPlan(undefined, 'timeout', {}).limit).toBe(0);
  });

  it('use fixed backoff when asked', () => {
    const plan = retryPlan(
      { error_retry_limit: 10, backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 1 } },
      'error',
      {},
    );
    expect(plan.limit).toBe(10);
    expect(plan.delayMs(7)).toBe(1000);
  });

  it('read fields that name workflow params, and fall back to defaults when they do not resolve', () => {
    const params = { retries: 4, backoff: '5' };
    const plan = retryPlan(
      {
        error_retry_limit: '${retries}',
        backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: '$backoff' },
      },
      'error',
      params,
    );
    expect(plan.limit).toBe(4);
    expect(plan.delayMs(0)).toBe(5000);
    expect(retryPlan({ error_retry_limit: '$missing' }, 'error', params).limit).toBe(2);
  });
});

describe('substituteParams', () => {
  it('replaces $x and ${x}, keeps $$ as $', () => {
    expect(substituteParams('${a} and $b cost $$5', { a: 1, b: 'two' })).toBe('1 and two cost $5');
  });
});
