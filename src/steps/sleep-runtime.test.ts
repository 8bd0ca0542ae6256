import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../model/json.js';
import type { StepContext } from './runtime.js';
import { stepContext } from './test-helpers.js';
import { createSleepRuntime } from './sleep-runtime.js';

/** A context whose clock reads `now`; the attempt started at t=10 000 ms. */
function context(now: number, params: JsonObject = {}, extra: Partial<StepContext> = {}): StepContext {
  return stepContext({ step_id: 'nap', type: 'Sleep', params, start_time: 10_000, now: () => now, ...extra });
}

describe('Sleep runtime', () => {
  const sleep = createSleepRuntime();

  it('asks to be polled again when the remaining time is up, then is done', async () => {
    const params = { sleep_seconds: 5 };
    await expect(sleep.execute(context(10_000, params))).resolves.toEqual({
      state: 'continue',
      nextPollMs: 5_000,
    });
    await expect(sleep.execute(context(13_500, params))).resolves.toEqual({
      state: 'continue',
      nextPollMs: 1_500,
    });
    await expect(sleep.execute(context(15_000, params))).resolves.toEqual({ state: 'done' });
    await expect(sleep.execute(context(99_000, params))).resolves.toEqual({ state: 'done' });
  });

  it('measures from start_time, so a poll after a crash finishes at the original deadline', async () => {
    // The worker died at t=11 s; the re-run at t=12 s still ends at start + 5 s, not 12 s + 5 s.
    await expect(sleep.execute(context(12_000, { sleep_seconds: 5 }))).resolves.toEqual({
      state: 'continue',
      nextPollMs: 3_000,
    });
  });

  it('defaults to 3 seconds', async () => {
    await expect(sleep.execute(context(10_000))).resolves.toEqual({ state: 'continue', nextPollMs: 3_000 });
    await expect(sleep.execute(context(13_000))).resolves.toEqual({ state: 'done' });
  });

  it('scales the wait by time_scale', async () => {
    const result = await sleep.execute(context(10_000, { sleep_seconds: 60 }, { time_scale: 0.001 }));
    expect(result).toEqual({ state: 'continue', nextPollMs: 60 });
  });

  it('accepts a LONG given as text, and zero', async () => {
    await expect(sleep.execute(context(10_000, { sleep_seconds: '2' }))).resolves.toEqual({
      state: 'continue',
      nextPollMs: 2_000,
    });
    await expect(sleep.execute(context(10_000, { sleep_seconds: 0 }))).resolves.toEqual({ state: 'done' });
  });

  it.each([[-1], ['soon'], [true], [{ seconds: 3 }], ['']])('rejects sleep_seconds = %j', async (value) => {
    const result = await sleep.execute(context(10_000, { sleep_seconds: value }));
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('sleep_seconds must be a non-negative number');
  });

  it('is stopped once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await sleep.execute(context(10_000, {}, { signal: controller.signal }));
    expect(result.state).toBe('stopped');
  });
});
