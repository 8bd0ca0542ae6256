import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, withRetryDefaults } from './retry-policy.js';
import {
  STEP_ACTION_RESULT,
  STEP_STATUS_TRAITS,
  stepInstanceActionMap,
  WORKFLOW_INSTANCE_TRAITS,
  workflowInstanceActionMap,
} from './status.js';

describe('status tables', () => {
  it('allow the workflow instance actions Maestro allows', () => {
    const map = workflowInstanceActionMap();
    expect(map.CREATED).toEqual(['STOP', 'KILL']);
    expect(map.FAILED).toEqual(['RESTART', 'UNBLOCK']);
    expect(map.SUCCEEDED).toEqual(['RESTART']);
    expect(
      Object.entries(WORKFLOW_INSTANCE_TRAITS)
        .filter(([, t]) => t.terminal)
        .map(([s]) => s),
    ).toEqual(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT']);
  });

  it('mark exactly the complete step statuses as terminal and complete', () => {
    const complete = Object.entries(STEP_STATUS_TRAITS)
      .filter(([, t]) => t.complete)
      .map(([s]) => s);
    expect(complete).toEqual(['DISABLED', 'UNSATISFIED', 'SKIPPED', 'SUCCEEDED', 'COMPLETED_WITH_ERROR']);
    for (const [status, traits] of Object.entries(STEP_STATUS_TRAITS)) {
      if (traits.complete || traits.retryable) expect(traits.terminal, status).toBe(true);
    }
    const retryable = Object.entries(STEP_STATUS_TRAITS)
      .filter(([, t]) => t.retryable)
      .map(([s]) => s);
    expect(retryable).toEqual(['USER_FAILED', 'PLATFORM_FAILED', 'TIMEOUT_FAILED']);
  });

  it('map step actions by status and to their resulting status', () => {
    const map = stepInstanceActionMap();
    expect(map.WAITING_FOR_SIGNALS).toContain('BYPASS_STEP_DEPENDENCIES');
    expect(map.PAUSED).toEqual(['RESUME', 'STOP', 'KILL', 'SKIP']);
    expect(map.UNSATISFIED).toEqual(['RESTART']);
    expect(STEP_ACTION_RESULT.KILL).toBe('FATALLY_FAILED');
    expect(STEP_ACTION_RESULT.RESUME).toBe('WAITING_FOR_SIGNALS');
  });
});

describe('retry policy defaults', () => {
  it('fill every unset field from Maestro defaults', () => {
    const resolved = withRetryDefaults({
      error_retry_limit: 5,
      backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 1 },
    });
    expect(resolved.error_retry_limit).toBe(5);
    expect(resolved.platform_retry_limit).toBe(10);
    expect(resolved.timeout_retry_limit).toBe(0);
    expect(resolved.backoff.type).toBe('FIXED_BACKOFF');
    expect(resolved.backoff.error_retry_backoff_in_secs).toBe(1);
    expect(resolved.backoff.platform_retry_limit_in_secs).toBe(3600);
    expect(withRetryDefaults(undefined)).toEqual(DEFAULT_RETRY_POLICY);
  });
});
