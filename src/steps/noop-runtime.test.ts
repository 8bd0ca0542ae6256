import { describe, expect, it } from 'vitest';
import { createNoOpRuntime } from './noop-runtime.js';
import type { StepContext } from './runtime.js';

function context(overrides: Partial<StepContext> = {}): StepContext {
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

describe('NoOp runtime', () => {
  it('is done on the first call', async () => {
    await expect(createNoOpRuntime().execute(context())).resolves.toEqual({ state: 'done' });
  });
});
