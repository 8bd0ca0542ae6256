import { describe, expect, it } from 'vitest';
import { createNoOpRuntime } from './noop-runtime.js';
import { stepContext } from './test-helpers.js';

const context = stepContext;

describe('NoOp runtime', () => {
  it('is done on the first call', async () => {
    await expect(createNoOpRuntime().execute(context())).resolves.toEqual({ state: 'done' });
  });
});
