// decide and the RESTART action on a step of a running run; no store.
import { describe, expect, it } from 'vitest';
import { runHarness, workflowOf } from './harness.js';

describe('decide: step restart in a running run', () => {
  it('gives a failed step a new attempt; what it blocked runs after it, and the run can still succeed', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { c: 'true' }, { retry_policy: { error_retry_limit: 0 } }],
        ['b', 'NoOp'],
        ['c', 'NoOp'],
      ]),
    );
    h.send({ type: 'start' });
    h.result('a', { state: 'user_error' });
    expect([h.status('a'), h.status('c'), h.run.status]).toEqual([
      'FATALLY_FAILED',
      'NOT_CREATED',
      'IN_PROGRESS',
    ]);
    h.send({ type: 'action', action: 'RESTART', step_id: 'a' });
    expect(h.step('a')).toMatchObject({ status: 'RUNNING', attempt: 2 });
    h.result('a', { state: 'done' });
    h.result('b', { state: 'done' });
    h.result('c', { state: 'done' });
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('refuses a step that is still running', () => {
    const h = runHarness(workflowOf([['a', 'NoOp']]));
    h.send({ type: 'start' });
    const restart = h.send({ type: 'action', action: 'RESTART', step_id: 'a' });
    expect([restart.changed, restart.refused]).toEqual([false, 'it is RUNNING']);
  });
});
