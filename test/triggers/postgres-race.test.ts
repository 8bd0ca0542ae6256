// Two engines (two processes' worth: each its own pool) on one PostgreSQL schema, racing on the same signals: each
// matched set starts one run, whoever gets the trigger's row lock first consumes it.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { Store } from '../../src/store/port.js';
import { matchSignal } from '../../src/triggers/signal-matcher.js';
import { freshSchema, hasPg, openTestPgStore, PG_SKIP_REASON } from '../support/postgres.js';
import { triggerBench, until, type TriggerBench } from './support.js';

const open: (TriggerBench | Store)[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

const request = {
  properties: { owner: 'tester' },
  workflow: {
    id: 'wf',
    // A random dedup id: a signal consumed twice would show as a second run.
    signal_triggers: [
      {
        definitions: { a: { join_keys: ['k'] }, b: { join_keys: ['k'] } },
        dedup_expr: 'return UUID.randomUUID().toString();',
      },
    ],
    steps: [{ step: { id: 'job.1', type: 'NoOp' } }],
  },
};

async function twoEngines(): Promise<[TriggerBench, TriggerBench]> {
  const clock = new FakeClock();
  const schema = freshSchema('sigrace');
  const stores = [await openTestPgStore(clock, { schema }), await openTestPgStore(clock, { schema })];
  open.push(stores[1]!, stores[0]!); // the schema goes with the first one closed
  // No polling: the schedulers are woken by the announcements' work items only (LISTEN/NOTIFY).
  const open2 = (store: Store) => triggerBench(() => Promise.resolve(store), { pollMs: 0 }, { store, clock });
  const benches: [TriggerBench, TriggerBench] = [await open2(stores[0]!), await open2(stores[1]!)];
  open.push(...benches);
  return benches;
}

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('two engines racing on one store', () => {
    it('consume each matched set once when both match the same signal at once', async () => {
      const [one, two] = await twoEngines();
      await one.push(request);
      const deps = { clock: one.clock, evaluator: createEngineEvaluator() };
      for (let n = 0; n < 10; n++) {
        await one.announcer.announce({ name: 'a', params: { k: n } });
        const { signal } = await two.announcer.announce({ name: 'b', params: { k: n } });
        await Promise.all([
          matchSignal(one.store, one.engine, signal, deps),
          matchSignal(two.store, two.engine, signal, deps),
          matchSignal(two.store, two.engine, signal, deps),
        ]);
      }
      const runs = await one.runs('wf');
      expect(runs.map((r) => r.initiator['signal_id_map'])).toEqual(
        Array.from({ length: 10 }, (_, n) => ({ a: n + 1, b: n + 1 })),
      );
    });

    it('start one run per matched set when both schedulers claim the signals', async () => {
      const [one, two] = await twoEngines();
      await one.push(request);
      one.engine.start();
      two.engine.start();
      for (let n = 0; n < 20; n++) {
        const by = n % 2 === 0 ? one : two;
        await by.announcer.announce({ name: 'a', params: { k: n } });
        await (n % 3 === 0 ? one : two).announcer.announce({ name: 'b', params: { k: n } });
      }
      await until('all 20 sets are consumed', async () => (await one.runs('wf')).length >= 20);
      await until('no signal item is left', async () => {
        const [sub] = await one.store.transact((tx) => tx.listSignalTriggers('wf'));
        return sub?.checkpoints['a'] === 20 && sub.checkpoints['b'] === 20;
      });
      const runs = await one.runs('wf');
      expect(runs).toHaveLength(20);
      const sets = runs.map((r) => JSON.stringify(r.initiator['signal_id_map']));
      expect(new Set(sets).size).toBe(20);
    });
  });
}
