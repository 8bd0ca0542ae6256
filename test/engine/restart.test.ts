import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { planOf } from '../../src/engine/plan.js';
import { carriedSteps, downstreamOf } from '../../src/engine/restart.js';
import type { StepState } from '../../src/engine/state.js';
import { runHarness, workflowOf } from './harness.js';

const request = workflowOf([
  ['a', 'NoOp', { b: 'true', c: 'true' }],
  ['b', 'NoOp', { d: 'true' }],
  ['c', 'NoOp'],
  ['d', 'NoOp'],
]);
const plan = planOf(parseDefinition(request).workflow!.workflow);
const step = (status: StepState['status']): StepState => ({
  status,
  attempt: 1,
  retries: { error: 0, platform: 0, timeout: 0 },
  create_time: 0,
});
const previous = {
  a: { ...step('SUCCEEDED'), transitions: { b: true, c: true } },
  b: step('FATALLY_FAILED'),
  c: step('SUCCEEDED'),
};

describe('restart', () => {
  it('from incomplete carries every completed step', () => {
    expect(Object.keys(carriedSteps(plan, previous, 'RESTART_FROM_INCOMPLETE'))).toEqual(['a', 'c']);
    expect(carriedSteps(plan, previous, 'RESTART_FROM_INCOMPLETE')['a']!.carried).toBe(true);
  });

  it('from the beginning carries nothing', () => {
    expect(carriedSteps(plan, previous, 'RESTART_FROM_BEGINNING')).toEqual({});
  });

  it('from a step runs it and its downstream again', () => {
    expect([...downstreamOf(plan, 'a')].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.keys(carriedSteps(plan, previous, 'RESTART_FROM_SPECIFIC', 'c'))).toEqual(['a']);
  });

  it('a run that starts with carried steps runs only the rest', () => {
    const restarted = runHarness(request);
    Object.assign(restarted.run.state.steps, carriedSteps(plan, previous, 'RESTART_FROM_INCOMPLETE'));
    const start = restarted.send({ type: 'start' });
    expect(
      start.effects.filter((e) => e.type === 'run_step').map((e) => (e as { step_id: string }).step_id),
    ).toEqual(['b']);
    restarted.result('b', { state: 'done' });
    restarted.result('d', { state: 'done' });
    expect(restarted.run.status).toBe('SUCCEEDED');
  });
});
