import { describe, expect, it } from 'vitest';
import { runHarness, workflowOf } from './harness.js';

const diamond = workflowOf([
  ['a', 'NoOp', { b: 'true', c: 'true' }],
  ['b', 'NoOp', { d: 'true' }],
  ['c', 'NoOp', { d: 'true' }],
  ['d', 'NoOp'],
]);

describe('decide: DAG semantics', () => {
  it('starts roots, waits for every predecessor, and succeeds when all steps do', () => {
    const h = runHarness(diamond);
    const order = h.drive();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(h.run.status).toBe('SUCCEEDED');
    expect(Object.values(h.run.state.steps).map((s) => s.status)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
  });

  it('does not start a join until all its predecessors are done', () => {
    const h = runHarness(diamond);
    h.send({ type: 'start' });
    h.result('a', { state: 'done' });
    h.result('b', { state: 'done' });
    expect(h.status('d')).toBe('NOT_CREATED');
    h.result('c', { state: 'done' });
    expect(h.status('d')).toBe('RUNNING');
  });

  it('marks a step UNSATISFIED when no condition to it holds, and propagates it', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'false', c: '1 + 1 == 2' }],
        ['b', 'NoOp', { d: 'true' }],
        ['c', 'NoOp'],
        ['d', 'NoOp'],
      ]),
    );
    expect(h.drive()).toEqual(['a', 'c']);
    expect([h.status('b'), h.status('c'), h.status('d')]).toEqual([
      'UNSATISFIED',
      'SUCCEEDED',
      'UNSATISFIED',
    ]);
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('runs a join when any predecessor chose it', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { c: 'false' }],
        ['b', 'NoOp', { c: 'true' }],
        ['c', 'NoOp'],
      ]),
    );
    h.drive();
    expect(h.status('c')).toBe('SUCCEEDED');
  });

  it('evaluates conditions with the step params and sees upstream outputs as step__param', () => {
    const h = runHarness(
      workflowOf(
        [
          [
            'a',
            'Titus', // a type with outputs: validation refuses a__out of a NoOp, which has none
            { b: 'x > 10', c: 'x <= 10' },
            { params: { x: { type: 'LONG', expression: 'base * 2' } } },
          ],
          ['b', 'NoOp', {}, { params: { y: { type: 'LONG', expression: 'a__x + a__out' } } }],
          ['c', 'NoOp'],
        ],
        { params: { base: { type: 'LONG', value: 6 } } },
      ),
    );
    h.drive((id) => (id === 'a' ? { state: 'done', outputs: { out: 100 } } : { state: 'done' }));
    expect(h.status('c')).toBe('UNSATISFIED');
    expect(h.plainParams('b')).toEqual({ y: 112 });
  });

  it('fails a step whose type has no runtime as INTERNALLY_FAILED, never a silent success', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'Titus', { b: 'true' }],
        ['b', 'NoOp'],
      ]),
      { unavailable: ['Titus'] },
    );
    h.drive();
    expect(h.status('a')).toBe('INTERNALLY_FAILED');
    expect(h.step('a')!.message).toBe('step type Titus is not available');
    expect(h.status('b')).toBe('NOT_CREATED');
    expect(h.run.status).toBe('FAILED');
  });

  it('fails a step whose params cannot be evaluated as INTERNALLY_FAILED with the reason', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', {}, { params: { x: { type: 'LONG', expression: "Long.parseLong('not a number')" } } }],
      ]),
    );
    h.drive();
    expect(h.status('a')).toBe('INTERNALLY_FAILED');
    expect(h.step('a')!.message).toMatch(/^params: /);
  });
});

describe('decide: retries', () => {
  const flaky = (extra: Record<string, unknown>) => workflowOf([['a', 'NoOp', {}, extra]]);

  it('retries user errors with a fixed backoff on a timer, then fails for good', () => {
    const h = runHarness(
      flaky({
        retry_policy: {
          error_retry_limit: 2,
          backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 5 },
        },
      }),
    );
    h.send({ type: 'start' });
    const first = h.result('a', { state: 'user_error', message: 'boom' });
    expect(h.status('a')).toBe('USER_FAILED');
    expect(first.effects).toContainEqual({
      type: 'timer',
      at: h.now + 5000,
      event: { type: 'retry', step_id: 'a', attempt: 1 },
    });
    h.advance(5000);
    h.send({ type: 'retry', step_id: 'a', attempt: 1 });
    expect(h.step('a')).toMatchObject({ status: 'RUNNING', attempt: 2, retries: { error: 1 } });
    h.result('a', { state: 'user_error' });
    h.send({ type: 'retry', step_id: 'a', attempt: 2 });
    h.result('a', { state: 'user_error', message: 'still broken' });
    expect(h.step('a')).toMatchObject({ status: 'FATALLY_FAILED', attempt: 3, message: 'still broken' });
    expect(h.step('a')!.history!.map((x) => x.status)).toEqual(['USER_FAILED', 'USER_FAILED']);
    expect(h.run.status).toBe('FAILED');
  });

  it('backs off exponentially by default and counts platform errors separately', () => {
    const h = runHarness(flaky({ retry_policy: { error_retry_limit: 0 } }));
    h.send({ type: 'start' });
    const d = h.result('a', { state: 'platform_error' });
    expect(d.effects).toContainEqual(expect.objectContaining({ type: 'timer', at: h.now + 60_000 }));
    h.send({ type: 'retry', step_id: 'a', attempt: 1 });
    const d2 = h.result('a', { state: 'platform_error' });
    expect(d2.effects).toContainEqual(expect.objectContaining({ type: 'timer', at: h.now + 120_000 }));
    expect(h.step('a')!.retries).toEqual({ error: 0, platform: 2, timeout: 0 });
  });

  it('does not retry when the output says maestro_retry.retryable is false', () => {
    const h = runHarness(flaky({ retry_policy: { error_retry_limit: 3 } }));
    h.send({ type: 'start' });
    h.result('a', { state: 'user_error', artifacts: { maestro_retry: { type: 'RETRY', retryable: false } } });
    expect(h.status('a')).toBe('FATALLY_FAILED');
  });

  it('ignores a late result of an earlier attempt, so no attempt completes twice', () => {
    const h = runHarness(flaky({ retry_policy: { error_retry_limit: 1 } }));
    h.send({ type: 'start' });
    h.result('a', { state: 'user_error' });
    h.send({ type: 'retry', step_id: 'a', attempt: 1 });
    const late = h.send({ type: 'step_result', step_id: 'a', attempt: 1, result: { state: 'done' } });
    expect(late.changed).toBe(false);
    expect(h.step('a')).toMatchObject({ status: 'RUNNING', attempt: 2 });
    h.result('a', { state: 'done' });
    const duplicate = h.send({
      type: 'step_result',
      step_id: 'a',
      attempt: 2,
      result: { state: 'user_error' },
    });
    expect(duplicate.changed).toBe(false);
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('treats an expired lease as a platform failure under the retry policy', () => {
    const h = runHarness(flaky({}));
    h.send({ type: 'start' });
    h.send({ type: 'lease_expired', step_id: 'a', attempt: 1, owner: 'dead-worker' });
    expect(h.step('a')).toMatchObject({ status: 'PLATFORM_FAILED', retries: { platform: 1 } });
    expect(h.step('a')!.message).toMatch(/dead-worker/);
  });
});

describe('decide: failure modes', () => {
  const three = (mode: string) =>
    workflowOf([
      ['a', 'NoOp', { c: 'true' }, { failure_mode: mode, retry_policy: { error_retry_limit: 0 } }],
      ['b', 'NoOp', { d: 'true' }],
      ['c', 'NoOp'],
      ['d', 'NoOp'],
    ]);

  it('FAIL_AFTER_RUNNING lets other branches finish; downstream of the failure never runs', () => {
    const h = runHarness(three('fail_after_running'));
    h.drive((id) => (id === 'a' ? { state: 'user_error' } : { state: 'done' }));
    expect([h.status('a'), h.status('b'), h.status('c'), h.status('d')]).toEqual([
      'FATALLY_FAILED',
      'SUCCEEDED',
      'NOT_CREATED',
      'SUCCEEDED',
    ]);
    expect(h.run.status).toBe('FAILED');
  });

  it('IGNORE_FAILURE completes the step with error and the DAG goes on', () => {
    const h = runHarness(three('ignore_failure'));
    h.drive((id) => (id === 'a' ? { state: 'user_error' } : { state: 'done' }));
    expect([h.status('a'), h.status('c')]).toEqual(['COMPLETED_WITH_ERROR', 'SUCCEEDED']);
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('FAIL_IMMEDIATELY stops the running steps and fails the run now', () => {
    const h = runHarness(three('fail_immediately'));
    h.send({ type: 'start' });
    const d = h.result('a', { state: 'user_error' });
    expect(d.effects).toContainEqual({ type: 'cancel_step', step_id: 'b', attempt: 1 });
    expect([h.status('a'), h.status('b'), h.status('c')]).toEqual([
      'FATALLY_FAILED',
      'STOPPED',
      'NOT_CREATED',
    ]);
    expect(h.run.status).toBe('FAILED');
  });
});

describe('decide: timeouts and actions', () => {
  it('times a step out (no timeout retries by default) and cancels its attempt', () => {
    const h = runHarness(workflowOf([['a', 'Sleep', {}, { timeout: '10s' }]]));
    const start = h.send({ type: 'start' });
    expect(start.effects).toContainEqual({
      type: 'timer',
      at: h.now + 10_000,
      event: { type: 'step_timeout', step_id: 'a', attempt: 1 },
    });
    const d = h.send({ type: 'step_timeout', step_id: 'a', attempt: 1 });
    expect(d.effects).toContainEqual({ type: 'cancel_step', step_id: 'a', attempt: 1 });
    expect(h.status('a')).toBe('TIMED_OUT');
    expect(h.run.status).toBe('TIMED_OUT');
  });

  it('retries a timed-out step when timeout retries are allowed', () => {
    const h = runHarness(
      workflowOf([['a', 'Sleep', {}, { timeout: 10, retry_policy: { timeout_retry_limit: 1 } }]]),
    );
    h.send({ type: 'start' });
    h.send({ type: 'step_timeout', step_id: 'a', attempt: 1 });
    expect(h.status('a')).toBe('TIMEOUT_FAILED');
  });

  it('times the whole run out', () => {
    const h = runHarness(
      workflowOf(
        [
          ['a', 'Sleep'],
          ['b', 'Sleep'],
        ],
        { timeout: 60 },
      ),
    );
    const start = h.send({ type: 'start' });
    expect(start.effects).toContainEqual({
      type: 'timer',
      at: h.now + 60_000,
      event: { type: 'workflow_timeout' },
    });
    h.send({ type: 'workflow_timeout' });
    expect([h.status('a'), h.status('b'), h.run.status]).toEqual(['TIMED_OUT', 'TIMED_OUT', 'TIMED_OUT']);
  });

  it('stops and kills runs', () => {
    const stopped = runHarness(diamond);
    stopped.send({ type: 'start' });
    stopped.send({ type: 'action', action: 'STOP' });
    expect([stopped.status('a'), stopped.run.status]).toEqual(['STOPPED', 'STOPPED']);
    const killed = runHarness(diamond);
    killed.send({ type: 'start' });
    killed.send({ type: 'action', action: 'KILL' });
    expect([killed.status('a'), killed.run.status]).toEqual(['FATALLY_FAILED', 'FAILED']);
  });

  it('skips a step: it counts as complete and downstream runs', () => {
    const h = runHarness(diamond);
    h.send({ type: 'start' });
    h.send({ type: 'action', action: 'SKIP', step_id: 'a' });
    expect(h.status('a')).toBe('SKIPPED');
    expect([h.status('b'), h.status('c')]).toEqual(['RUNNING', 'RUNNING']);
  });

  it('refuses actions once the run has ended, saying why', () => {
    const h = runHarness(diamond);
    h.drive();
    const stop = h.send({ type: 'action', action: 'STOP' });
    expect([stop.changed, stop.refused]).toEqual([false, 'it is SUCCEEDED']);
    expect(h.send({ type: 'action', action: 'SKIP', step_id: 'a' }).refused).toBe('its run is SUCCEEDED');
  });

  it('skips a failed step of a run still in progress, so that what it blocked runs', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { c: 'true' }, { retry_policy: { error_retry_limit: 0 } }],
        ['b', 'NoOp'],
        ['c', 'NoOp'],
      ]),
    );
    h.send({ type: 'start' });
    h.result('a', { state: 'user_error' });
    expect([h.status('a'), h.run.status]).toEqual(['FATALLY_FAILED', 'IN_PROGRESS']);
    expect(h.send({ type: 'action', action: 'SKIP', step_id: 'a' }).refused).toBeUndefined();
    expect([h.status('a'), h.status('c')]).toEqual(['SKIPPED', 'RUNNING']);
    h.result('b', { state: 'done' });
    h.result('c', { state: 'done' });
    expect(h.run.status).toBe('SUCCEEDED');
    expect(h.send({ type: 'action', action: 'SKIP', step_id: 'a' }).refused).toMatch(/its run is SUCCEEDED/);
  });

  it('refuses an action aimed at an attempt that is no longer the current one', () => {
    const h = runHarness(workflowOf([['a', 'NoOp', {}, { retry_policy: { error_retry_limit: 1 } }]]), {
      pausesAt: () => true,
    });
    h.send({ type: 'start' });
    expect(h.send({ type: 'action', action: 'RESUME', step_id: 'a', attempt: 2 }).refused).toMatch(
      /attempt 2 is not its current attempt \(1\)/,
    );
    expect(h.status('a')).toBe('PAUSED');
    expect(h.send({ type: 'action', action: 'RESUME', step_id: 'a', attempt: 1 }).refused).toBeUndefined();
    expect(h.status('a')).toBe('RUNNING');
  });

  it('refuses a step action its status does not allow, changing nothing', () => {
    const h = runHarness(diamond);
    h.send({ type: 'start' });
    h.result('a', { state: 'done' });
    const stop = h.send({ type: 'action', action: 'STOP', step_id: 'a' });
    expect([stop.changed, stop.refused, stop.effects]).toEqual([false, 'it is SUCCEEDED', []]);
    expect(h.send({ type: 'action', action: 'RESUME', step_id: 'b' }).refused).toBe('it is RUNNING');
    expect(h.send({ type: 'action', action: 'STOP', step_id: 'd' }).refused).toBe('it is NOT_CREATED');
    expect(h.send({ type: 'action', action: 'SKIP' }).refused).toMatch(/not an action on a run/);
    expect([h.status('a'), h.status('b'), h.run.status]).toEqual(['SUCCEEDED', 'RUNNING', 'IN_PROGRESS']);
  });
});

describe('decide: breakpoints', () => {
  it('pauses a matching attempt before it runs, and resumes it on RESUME', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true' }],
        ['b', 'NoOp'],
      ]),
      { pausesAt: (id) => id === 'b' },
    );
    h.send({ type: 'start' });
    h.result('a', { state: 'done' });
    expect(h.status('b')).toBe('PAUSED');
    expect(h.run.status).toBe('IN_PROGRESS');
    const resumed = h.send({ type: 'action', action: 'RESUME', step_id: 'b' });
    expect(h.status('b')).toBe('RUNNING');
    expect(resumed.effects).toContainEqual(expect.objectContaining({ type: 'run_step', step_id: 'b' }));
    h.result('b', { state: 'done' });
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('stops a paused step with the run', () => {
    const h = runHarness(workflowOf([['a', 'NoOp']]), { pausesAt: () => true });
    h.send({ type: 'start' });
    h.send({ type: 'action', action: 'STOP' });
    expect([h.status('a'), h.run.status]).toEqual(['STOPPED', 'STOPPED']);
  });
});
