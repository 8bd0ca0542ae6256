// Leases a process gives its own workers start when the batch writes them, not when it began: a batch that waited
// (for locks other processes hold) must not hand out leases that have already run out.
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { BatchQueueWrites, Store, StoreTx } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const LEASE_MS = 300;
const WAIT_MS = 500;

/**
 * The store, with every permit read in a transaction taking WAIT_MS of the fake clock (as if waiting for a lock),
 * and a record of the items written with the time they were written.
 */
function slowPermits(store: Store, clock: FakeClock, written: { lease_until: number; at: number }[]): Store {
  const wrap = (tx: StoreTx): StoreTx =>
    new Proxy(tx, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        if (name === 'permitState')
          return async (...args: unknown[]) => {
            clock.advance(WAIT_MS);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        if (name === 'writeBatch')
          return (writes: BatchQueueWrites) => {
            for (const item of writes.items)
              if (item.kind === 'step' && item.lease_until !== undefined)
                written.push({ lease_until: item.lease_until, at: clock.now() });
            return (value as (w: BatchQueueWrites) => unknown).call(target, writes);
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

describe('leases for local workers', () => {
  it('run from when the batch writes the item, so a batch that waited hands out a whole lease', async () => {
    const clock = new FakeClock();
    const store = await openSqliteStore({ clock }, { path: ':memory:' });
    const written: { lease_until: number; at: number }[] = [];
    const engine = createEngine(
      {
        store: slowPermits(store, clock, written),
        clock,
        runtimes: createStepRuntimes(),
        evaluator: createEngineEvaluator(),
      },
      { leaseMs: LEASE_MS },
    );
    try {
      const parsed = parseDefinition({
        properties: { owner: 'o' },
        workflow: {
          id: 'w',
          steps: [
            { step: { id: 'a', type: 'Shell', params: { command: { type: 'STRING', value: 'true' } } } },
          ],
        },
      });
      await engine.createWorkflow(parsed.workflow!);
      engine.start();
      const started = await engine.startRun({ workflow_id: 'w' });
      expect((await engine.waitForEnd(started.run)).run.status).toBe('SUCCEEDED');
      expect(written.length).toBeGreaterThan(0);
      // Leased at write time: nearly the whole lease is left when the item is written (the batch waited WAIT_MS,
      // longer than the lease, before it got there).
      for (const w of written) expect(w.lease_until - w.at).toBe(LEASE_MS);
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
