import { describe, expect, it } from 'vitest';
import { createStepRuntimes } from './registry.js';
import { stepContext } from './test-helpers.js';
import { createUnavailableRuntime } from './unavailable-runtime.js';

const context = stepContext;

describe('unavailable runtime', () => {
  it('fails fatally, naming the step type, instead of succeeding silently', async () => {
    const runtime = createUnavailableRuntime();
    expect(runtime.available).toBe(false);
    const result = await runtime.execute(context({ type: 'Titus' }));
    expect(result).toEqual({ state: 'fatal_error', message: 'step type Titus is not available' });
  });
});

describe('createStepRuntimes', () => {
  it('wires NoOp, Sleep and Shell, and every other type to the unavailable runtime', async () => {
    const runtimes = createStepRuntimes();
    expect(Object.keys(runtimes).sort()).toEqual([
      'Container',
      'Http',
      'Join',
      'Kubernetes',
      'NoOp',
      'Notebook',
      'Shell',
      'Sleep',
      'Sql',
      'Titus',
    ]);
    for (const type of ['NoOp', 'Sleep', 'Shell'] as const) expect(runtimes[type].available).not.toBe(false);
    await expect(runtimes.NoOp.execute(context())).resolves.toEqual({ state: 'done' });
    const sleep = await runtimes.Sleep.execute(context({ type: 'Sleep' }));
    expect(sleep.state).toBe('continue');
    const shell = await runtimes.Shell.execute(context({ type: 'Shell' }));
    expect(shell).toEqual({
      state: 'user_error',
      message: "a Shell step needs a 'command' or a 'script' param",
    });
    for (const type of ['Titus', 'Notebook', 'Kubernetes', 'Http', 'Join', 'Sql', 'Container'] as const) {
      expect(runtimes[type].available).toBe(false);
      const result = await runtimes[type].execute(context({ type }));
      expect(result).toEqual({ state: 'fatal_error', message: `step type ${type} is not available` });
    }
  });
});
