import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** An `apply` whose batches finish when the test says so, recording each batch and how many ran at once. */
function controlled() {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const apply = async (jobs: readonly number[]) => {
    batches.push([...jobs]);
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => finish.push(resolve));
    running -= 1;
    if (jobs.includes(-1)) throw new Error('bad job in the batch');
    return jobs.map((j) => j * 10);
  };
  /** Lets every batch applied so far finish, until nothing is left to finish. */
  const drainAll = async (batcher: Batcher<number, number>) => {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (finish.length === 0) break;
      finish.splice(0).forEach((f) => f());
    }
    await batcher.idle();
  };
  return { apply, batches, drainAll, most: () => most };
}

describe('Batcher', () => {
  it('applies jobs submitted in one go as one batch, and answers each job', async () => {
    const c = controlled();
    const batcher = new Batcher(c.apply, 100);
    const answers = Promise.all([1, 2, 3].map((j) => batcher.submit(j)));
    expect(batcher.busy).toBe(true);
    await c.drainAll(batcher);
    expect(await answers).toEqual([10, 20, 30]);
    expect(c.batches).toEqual([[1, 2, 3]]);
    expect(batcher.busy).toBe(false);
  });

  it('applies one batch at a time, the next with the jobs that came meanwhile', async () => {
    const c = controlled();
    const batcher = new Batcher(c.apply, 2);
    const answers = Promise.all([1, 2, 3, 4, 5].map((j) => batcher.submit(j)));
    await c.drainAll(batcher);
    expect(await answers).toEqual([10, 20, 30, 40, 50]);
    expect(c.batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(c.most()).toBe(1);
  });

  it('tries a failed batch again one job at a time, so one bad job fails alone', async () => {
    const c = controlled();
    const batcher = new Batcher(c.apply, 10);
    const good = batcher.submit(1);
    const bad = batcher.submit(-1);
    const failed = bad.then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await c.drainAll(batcher);
    expect(await good).toBe(10);
    expect(await failed).toBe('bad job in the batch');
    expect(c.batches).toEqual([[1, -1], [1], [-1]]);
  });
});
