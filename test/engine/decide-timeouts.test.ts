import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/events.js';
import { DEFAULTS } from '../../src/model/limits.js';
import { runHarness, workflowOf } from './harness.js';

const DAY = 86_400_000;
const timers = (effects: readonly Effect[]) => effects.filter((e) => e.type === 'timer');

describe('decide: default timeouts (10 days, as Maestro)', () => {
  it('arms the workflow timeout 10 days after the start when the definition has none', () => {
    expect(DEFAULTS.workflowTimeoutSeconds).toBe(10 * 86_400);
    const h = runHarness(workflowOf([['a', 'Sleep']]));
    const start = h.send({ type: 'start' });
    expect(timers(start.effects)).toEqual([
      { type: 'timer', at: h.now + 10 * DAY, event: { type: 'workflow_timeout' } },
    ]);
    h.advance(10 * DAY);
    h.send({ type: 'workflow_timeout' });
    expect([h.status('a'), h.run.status]).toEqual(['TIMED_OUT', 'TIMED_OUT']);
  });

  it('arms a step timeout 10 days after the attempt starts when the step has none', () => {
    const h = runHarness(
      workflowOf(
        [
          ['a', 'Sleep', { b: 'true' }],
          ['b', 'Sleep'],
        ],
        { timeout: '30 days' },
      ),
    );
    h.send({ type: 'start' });
    h.advance(DAY);
    const next = h.result('a', { state: 'done' });
    expect(timers(next.effects)).toEqual([
      { type: 'timer', at: h.now + 10 * DAY, event: { type: 'step_timeout', step_id: 'b', attempt: 1 } },
    ]);
    h.advance(10 * DAY);
    h.send({ type: 'step_timeout', step_id: 'b', attempt: 1 });
    expect([h.status('b'), h.run.status]).toEqual(['TIMED_OUT', 'TIMED_OUT']);
  });

  it('does not arm a step timeout that would come due no earlier than the run timeout', () => {
    // Both defaults: the run's 10 days end the attempt first, so the step needs no timer of its own.
    const h = runHarness(workflowOf([['a', 'Sleep', {}, { timeout: '20 days' }]], { timeout: '15 days' }));
    const start = h.send({ type: 'start' });
    expect(timers(start.effects)).toEqual([
      { type: 'timer', at: h.now + 15 * DAY, event: { type: 'workflow_timeout' } },
    ]);
    const plain = runHarness(workflowOf([['a', 'Sleep']]));
    expect(timers(plain.send({ type: 'start' }).effects)).toHaveLength(1);
  });

  it('still arms an explicit step timeout shorter than the run timeout', () => {
    const h = runHarness(workflowOf([['a', 'Sleep', {}, { timeout: '1 hour' }]]));
    const start = h.send({ type: 'start' });
    expect(timers(start.effects)).toContainEqual({
      type: 'timer',
      at: h.now + 3_600_000,
      event: { type: 'step_timeout', step_id: 'a', attempt: 1 },
    });
  });
});
