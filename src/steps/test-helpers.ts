import type { StepContext } from './runtime.js';

/** A step context for runtime tests: a NoOp attempt at t = 1000, with whatever the test overrides. */
export function stepContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    workflow_id: 'wf',
    instance_id: 1,
    run_id: 1,
    step_id: 'step1',
    attempt: 1,
    type: 'NoOp',
    params: {},
    start_time: 1_000,
    signal: new AbortController().signal,
    now: () => 1_000,
    time_scale: 1,
    ...overrides,
  };
}
