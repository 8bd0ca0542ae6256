// An engine scoped to its own runs (what `baton run` uses) claims nothing of other runs on the same store: not their
// step attempts, not their timers, and runs of others it admits get none of its workers.
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { Store, StoreTx, WorkItem } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

// A step that fails once and is retried after a backoff (a timer), then succeeds.
const WORKFLOW = {
  properties: { owner: 'tester', run_strategy: { rule: 'PARALLEL', workflow_concurrency: 10 } },
  workflow: {
    id: 'w',
    steps: [
      {
        step: {
          id: 'flaky',
          type: 'Shell',
          retry_policy: {
            error_retry_limit: 2,
            backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 1 },
          },
          params: {
            command: { type: 'STRING', value: 'test $$BATON_ATTEMPT != 1 || exit 1' },
          },
        },
      },
    ],
  },
};

/** Every item a store hands out through `claim`, and to whom. */
function recordingClaims(store: Store, claimed: { owner: string; item: WorkItem }[]): Store {
  const wrap = (tx: StoreTx): StoreTx =>
    new Proxy(tx, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        if (name === 'claim')
          return async (owner: string, ...rest: unknown[]) => {
            const items = (await (value as (...a: unknown[]) => Promise<WorkItem[]>).call(
              target,
              owner,
              ...rest,
            )) as WorkItem[];
            for (const item of items) claimed.push({ owner, item });
            return items;
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  return {
    transact: (fn) => store.transact((tx) => fn(wrap(tx))),
    onWork: (listener) => store.onWork(listener),
    close: () => store.close(),
  };
}

const engineOn = (store: Store, options: EngineOptions): Engine =>
  createEngine(
    {
      store,
      clock: systemClock,
      runtimes: createStepRuntimes({ env: process.env }),
      evaluator: createEngineEvaluator(),
    },
    { timeScale: 0.01, pollMs: 50, ...options },
  );

describe.each(ADAPTERS)('an engine scoped to its own runs, on %s', (_name, open) => {
  it("never claims another run's steps, timers or workers, and runs its own to the end", async () => {
    const claimed: { owner: string; item: WorkItem }[] = [];
    const base = await open();
    const store = recordingClaims(base, claimed);
    const other = engineOn(store, { owner: 'other' });
    const mine = engineOn(store, { owner: 'mine', scope: [] });
    try {
      await other.createWorkflow(parseDefinition(WORKFLOW).workflow!);
      // Runs of another process that is not running yet: their admissions wait in the store.
      const theirs = await Promise.all([1, 2, 3].map(() => other.startRun({ workflow_id: 'w' })));
      mine.start();
      const own = await mine.startRun({ workflow_id: 'w' });
      const ended = await mine.waitForEnd(own.run);
      expect(ended.run.status).toBe('SUCCEEDED');
      expect(ended.state.steps['flaky']).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });

      // The scoped engine admitted every run (admissions are per workflow), but ran only its own.
      const theirKeys = new Set(theirs.map((t) => t.run.instance_id));
      for (const t of theirs) {
        const loaded = await mine.getRun(t.run);
        expect(loaded!.run.status).toBe('IN_PROGRESS');
        // its first attempt is waiting for a worker: nobody ran it (it would have failed and been retried)
        expect(loaded!.state.steps['flaky']).toMatchObject({ attempt: 1 });
        expect(loaded!.state.steps['flaky']?.end_time).toBeUndefined();
      }
      const byMine = claimed.filter((c) => c.owner === 'mine').map((c) => c.item);
      expect(byMine.some((i) => i.kind === 'timer')).toBe(true); // its own retry's backoff
      for (const item of byMine)
        if (item.kind !== 'admit') expect(item.instance_id).toBe(own.run.instance_id);
      expect(byMine.filter((i) => i.kind !== 'admit' && theirKeys.has(i.instance_id))).toEqual([]);

      // Their work is all still there for the process that owns them.
      other.start();
      const theirEnds = await Promise.all(theirs.map((t) => other.waitForEnd(t.run)));
      expect(theirEnds.map((e) => e.run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(
        claimed.filter(
          (c) => c.owner === 'mine' && theirKeys.has(c.item.instance_id) && c.item.kind !== 'admit',
        ),
      ).toEqual([]);
    } finally {
      await mine.stop();
      await other.stop();
      await base.close();
    }
  });
});
