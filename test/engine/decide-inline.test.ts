// Inline step runtimes (NoOp): an attempt completes inside the decision that starts it — no work item, no worker,
// no second transaction — with the same statuses, retries, permits and breakpoints as an attempt run by a worker.
import { describe, expect, it } from 'vitest';
import type { DecideContext } from '../../src/engine/decide.js';
import type { Effect } from '../../src/engine/events.js';
import type { FinalOutcome, StepResult } from '../../src/engine/step-runtime.js';
import { runHarness, workflowOf } from './harness.js';

/** NoOp completes inline with `answer` (done unless told otherwise); Sleep still goes to a worker. */
function noOpInline(
  answer: (stepId: string, attempt: number) => StepResult & { state: FinalOutcome } = () => ({
    state: 'done',
  }),
): DecideContext['inline'] {
  return (type) => (type === 'NoOp' ? (c) => answer(c.step_id, c.attempt) : undefined);
}

const stepEvents = (effects: readonly Effect[]) =>
  effects.flatMap((e) =>
    e.type === 'emit' && e.event_type === 'STEP_INSTANCE_STATUS_CHANGE_EVENT' ? [e.payload] : [],
  );

describe('decide: inline steps', () => {
  it('runs a chain of inline steps to the end in the start decision, one status event per step', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true' }],
        ['b', 'NoOp', { c: 'true' }],
        ['c', 'NoOp'],
      ]),
      { inline: noOpInline() },
    );
    const start = h.send({ type: 'start' });
    expect(start.effects.some((e) => e.type === 'run_step')).toBe(false);
    expect(h.run.status).toBe('SUCCEEDED');
    expect(['a', 'b', 'c'].map((id) => h.status(id))).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(h.step('b')).toMatchObject({ start_time: h.now, end_time: h.now, transitions: { c: true } });
    expect(stepEvents(start.effects)).toEqual(
      ['a', 'b', 'c'].map((step_id) => ({
        step_id,
        step_attempt_id: 1,
        status_change_records: [
          { old_status: 'NOT_CREATED', new_status: 'RUNNING', event_time: h.now },
          { old_status: 'RUNNING', new_status: 'SUCCEEDED', event_time: h.now },
        ],
      })),
    );
    expect(start.effects).toContainEqual({ type: 'run_ended', status: 'SUCCEEDED' });
  });

  it('hands a step without an inline runtime to a worker, and goes on inline after it', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true' }],
        ['b', 'Sleep', { c: 'true' }],
        ['c', 'NoOp'],
      ]),
      { inline: noOpInline() },
    );
    const start = h.send({ type: 'start' });
    expect(start.effects.filter((e) => e.type === 'run_step').map((e) => e.step_id)).toEqual(['b']);
    expect(h.status('a')).toBe('SUCCEEDED');
    expect(h.status('b')).toBe('RUNNING');
    h.result('b', { state: 'done' });
    expect(h.status('c')).toBe('SUCCEEDED');
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('neither takes nor gives back permits that are free: it holds them for no time', () => {
    const permits = [{ key: 'workflow:wf', limit: 1 }];
    const h = runHarness(workflowOf([['a', 'NoOp']]), {
      inline: noOpInline(),
      permitsFor: () => permits,
      permitState: () => ({ held: 0, waiting: false }),
    });
    const start = h.send({ type: 'start' });
    expect(h.status('a')).toBe('SUCCEEDED');
    expect(start.effects.map((e) => e.type)).not.toContain('hold_permits');
    expect(start.effects.map((e) => e.type)).not.toContain('release_permits');
  });

  it('waits in line when the permits are taken, and gives them back as soon as it has run', () => {
    const permits = [{ key: 'workflow:wf', limit: 1 }];
    const h = runHarness(workflowOf([['a', 'NoOp']]), {
      inline: noOpInline(),
      permitsFor: () => permits,
      permitState: () => ({ held: 1, waiting: false }),
    });
    const start = h.send({ type: 'start' });
    expect(h.status('a')).toBe('WAITING_FOR_PERMITS');
    expect(start.effects).toContainEqual({ type: 'acquire_permits', step_id: 'a', attempt: 1, permits });
    const granted = h.send({ type: 'permits_granted', step_id: 'a', attempt: 1 });
    expect(h.status('a')).toBe('SUCCEEDED');
    expect(granted.effects).toContainEqual({ type: 'release_permits', step_id: 'a', attempt: 1 });
    expect(granted.effects.some((e) => e.type === 'run_step')).toBe(false);
  });

  it('retries a failed inline attempt on a durable timer, under the step retry policy', () => {
    const h = runHarness(
      workflowOf([
        [
          'a',
          'NoOp',
          {},
          {
            retry_policy: {
              error_retry_limit: 1,
              backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 5 },
            },
          },
        ],
      ]),
      { inline: noOpInline((_id, attempt) => (attempt === 1 ? { state: 'user_error' } : { state: 'done' })) },
    );
    const start = h.send({ type: 'start' });
    expect(h.status('a')).toBe('USER_FAILED');
    expect(start.effects).toContainEqual({
      type: 'timer',
      at: h.now + 5000,
      event: { type: 'retry', step_id: 'a', attempt: 1 },
    });
    h.advance(5000);
    h.send({ type: 'retry', step_id: 'a', attempt: 1 });
    expect(h.step('a')).toMatchObject({ status: 'SUCCEEDED', attempt: 2, retries: { error: 1 } });
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('stops at a breakpoint before running, and completes when resumed', () => {
    const h = runHarness(workflowOf([['a', 'NoOp']]), {
      inline: noOpInline(),
      pausesAt: (id) => id === 'a',
    });
    h.send({ type: 'start' });
    expect(h.status('a')).toBe('PAUSED');
    h.send({ type: 'action', action: 'RESUME', step_id: 'a' });
    expect(h.status('a')).toBe('SUCCEEDED');
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('fails an attempt whose inline runtime asks to be polled, rather than leaving it RUNNING unwatched', () => {
    const h = runHarness(workflowOf([['a', 'NoOp', {}, { retry_policy: { platform_retry_limit: 0 } }]]), {
      inline: noOpInline(() => ({ state: 'continue' }) as unknown as StepResult & { state: FinalOutcome }),
    });
    const start = h.send({ type: 'start' });
    expect(h.step('a')).toMatchObject({ status: 'FATALLY_FAILED', message: expect.stringMatching(/polled/) });
    expect(start.effects.some((e) => e.type === 'run_step' || e.type === 'timer')).toBe(false);
    expect(h.run.status).toBe('FAILED');
  });

  it('starts no timeout clock for an attempt that has already ended', () => {
    const h = runHarness(workflowOf([['a', 'NoOp', {}, { timeout: 10 }]]), { inline: noOpInline() });
    const start = h.send({ type: 'start' });
    expect(start.effects.filter((e) => e.type === 'timer')).toEqual([]);
    expect(h.status('a')).toBe('SUCCEEDED');
  });
});
