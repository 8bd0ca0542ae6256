import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../store/port.js';
import { FakeClock } from './clock.js';
import { StepType } from '../model/enums.js';
import type { StepResult, StepRuntime, StepRuntimes } from './step-runtime.js';
import { WorkerPool } from './worker-pool.js';

const item: WorkItem = {
  id: 7,
  kind: 'step',
  workflow_id: 'wf',
  instance_id: 1,
  run_id: 1,
  step_id: 'a',
  attempt: 1,
  payload: { step_type: 'NoOp', params: {}, start_time: 0 },
  run_at: 0,
  created_at: 0,
  lease_owner: 'me',
  lease_until: 1000,
};

const everyType = (runtime: StepRuntime): StepRuntimes =>
  Object.fromEntries(Object.values(StepType).map((type) => [type, runtime])) as StepRuntimes;

describe('WorkerPool', () => {
  it('keeps an attempt among the items it holds until its result is committed', async () => {
    let commit!: () => void;
    const reported: StepResult[] = [];
    const pool = new WorkerPool(
      {
        clock: new FakeClock(0),
        runtimes: everyType({ execute: async () => ({ state: 'done' }) }),
        report: (_item, result) => {
          reported.push(result);
          return new Promise<void>((resolve) => (commit = resolve));
        },
        onIdle: () => undefined,
      },
      { size: 2, timeScale: 1 },
    );
    pool.run(item, false);
    expect(pool.heldItems().map((i) => i.id)).toEqual([7]);
    await new Promise((resolve) => setImmediate(resolve));
    // the runtime is done and its worker free, but the result is not in the store yet: the lease must live on
    expect(reported).toEqual([{ state: 'done' }]);
    expect(pool.free).toBe(2);
    expect(pool.heldItems().map((i) => i.id)).toEqual([7]);
    commit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.heldItems()).toEqual([]);
  });

  it('drops the result of an attempt aborted because its lease was lost', async () => {
    const reported: StepResult[] = [];
    const pool = new WorkerPool(
      {
        clock: new FakeClock(0),
        runtimes: everyType({
          execute: (ctx) =>
            new Promise((resolve) =>
              ctx.signal.addEventListener('abort', () => resolve({ state: 'stopped', message: 'aborted' })),
            ),
        }),
        report: async (_item, result) => {
          reported.push(result);
        },
        onIdle: () => undefined,
      },
      { size: 2, timeScale: 1 },
    );
    pool.run(item, false);
    pool.run({ ...item, id: 8, step_id: 'b' }, false);
    pool.abortLost(new Set([7])); // taken over elsewhere: not this process's to report
    pool.abort({ workflow_id: 'wf', instance_id: 1, run_id: 1 }, 'b', 1); // stopped here: reported
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([{ state: 'stopped', message: 'aborted' }]);
    expect(pool.heldItems()).toEqual([]);
  });

  it('on close, aborts running attempts and hands them back unreported, starts nothing more, holds them until idle', async () => {
    const reported: StepResult[] = [];
    let finishOther!: () => void;
    const onAbort = (ctx: { signal: AbortSignal }, result: StepResult) =>
      new Promise<StepResult>((resolve) => ctx.signal.addEventListener('abort', () => resolve(result)));
    const pool = new WorkerPool(
      {
        clock: new FakeClock(0),
        runtimes: everyType({
          execute: (ctx) => {
            if (ctx.step_id === 'fails') return onAbort(ctx, { state: 'platform_error', message: 'cut' });
            if (ctx.step_id !== 'other') return onAbort(ctx, { state: 'stopped', message: 'aborted' });
            return new Promise((resolve) => (finishOther = () => resolve({ state: 'done' })));
          },
        }),
        report: async (_item, result) => {
          reported.push(result);
        },
        onIdle: () => undefined,
      },
      { size: 4, timeScale: 1 },
    );
    const ids = (items: readonly WorkItem[]) => items.map((i) => i.id).sort((a, b) => a - b);
    pool.run(item, false);
    pool.run({ ...item, id: 9, step_id: 'other' }, false);
    pool.run({ ...item, id: 10, step_id: 'fails' }, false);
    pool.close();
    // claimed or dispatched after the stop began: never started, kept for the hand-back
    pool.run({ ...item, id: 8, step_id: 'late' }, true);
    expect(ids(pool.heldItems())).toEqual([7, 8, 9, 10]);
    await new Promise((resolve) => setImmediate(resolve));
    // what aborted attempts say (stopped, or a failure the abort caused) is not reported: they are handed back
    expect(reported).toEqual([]);
    expect(pool.working).toBe(true);
    finishOther();
    await pool.idle();
    expect(pool.working).toBe(false);
    // a success that came in despite the abort is kept, and that item is not handed back
    expect(reported).toEqual([{ state: 'done' }]);
    expect(ids(pool.handedBackItems())).toEqual([7, 8, 10]);
  });
});
