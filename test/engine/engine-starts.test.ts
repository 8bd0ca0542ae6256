// Starts through the engine's batched start path (src/engine/start-runs.ts) with a real store (SQLite, and
// PostgreSQL when BATON_TEST_PG_URL is set): bursts, racing engines, bad params, run strategies inside one batch.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { ADAPTERS } from './adapters.js';
import { engineFixture, shell, statusOf } from './engine-fixture.js';

const fixture = engineFixture();
const { engineWith } = fixture;

describe.each(ADAPTERS)('on %s', (_name, open) => {
  beforeAll(() => {
    fixture.use(open);
  });

  describe('engine starts', () => {
    it('starts a burst together: one run per request id, repeats and stored ids DUPLICATED, a bad one fails alone', async () => {
      const engine = await engineWith(shell('w', 'parallel', 'true'), {
        properties: { owner: 'tester' },
        workflow: {
          id: 't',
          params: { n: { type: 'LONG', value: 1 } },
          steps: [{ step: { id: 'a', type: 'NoOp' } }],
        },
      });
      const stored = await engine.startRun({ workflow_id: 'w', request_id: 'stored' });
      const ids = ['a', 'dup', 'stored', 'b', 'dup', ...Array.from({ length: 20 }, (_, i) => `r${i}`)];
      const results = await Promise.all(
        ids.map((request_id) => engine.startRun({ workflow_id: 'w', request_id })),
      );
      // A start that fails in a batch of others makes the batch go one by one: only it fails. (The first start
      // goes alone; the four after it wait for it and make one batch.)
      const lead = engine.startRun({ workflow_id: 'w', request_id: 'lead' });
      const bad = engine.startRun({ workflow_id: 't', run_params: { n: 'ten' } });
      const good = engine.startRun({ workflow_id: 't', run_params: { n: 2 } });
      const more = engine.startRun({ workflow_id: 'w', request_id: 'more' });
      const again = engine.startRun({ workflow_id: 'w', request_id: 'more' });
      await expect(bad).rejects.toThrow(/run params are not valid/);
      expect((await good).run.instance_id).toBe(1);
      expect([(await lead).status, (await more).status, (await again).status]).toEqual([
        'CREATED',
        'CREATED',
        'DUPLICATED',
      ]);
      expect((await again).run.instance_id).toBe((await more).run.instance_id);
      expect(results.map((r) => r.status)).toEqual(
        ids.map((id, i) => (id === 'stored' || (id === 'dup' && i === 4) ? 'DUPLICATED' : 'CREATED')),
      );
      expect(results[2]!.run.instance_id).toBe(stored.run.instance_id);
      expect(results[4]!.run.instance_id).toBe(results[1]!.run.instance_id);
      const instances = results.filter((r) => r.status === 'CREATED').map((r) => r.run.instance_id);
      expect(new Set(instances).size).toBe(instances.length);
      expect(Math.max(...instances)).toBe(instances.length + 1); // ids in a row, none lost
      expect([(await lead).run.instance_id, (await more).run.instance_id]).toEqual([
        instances.length + 2,
        instances.length + 3,
      ]);
      const ended = await Promise.all(results.map((r) => engine.waitForEnd(r.run)));
      expect(ended.every((r) => r.run.status === 'SUCCEEDED')).toBe(true);
    });

    it('two engines starting the same request ids at once make one run each and lose no instance id', async () => {
      const store = await fixture.openStore();
      const engines = [0, 1].map(() =>
        createEngine({
          store,
          clock: systemClock,
          runtimes: createStepRuntimes(),
          evaluator: createEngineEvaluator(),
        }),
      );
      try {
        const parsed = parseDefinition(shell('w', 'parallel', 'true'));
        await engines[0]!.createWorkflow(parsed.workflow!);
        const instances = new Map<string, Set<number>>();
        for (let round = 0; round < 6; round++) {
          const ids = Array.from({ length: 30 }, (_, i) => `${round}-${i}`);
          const answers = await Promise.all(
            engines.flatMap((e) => ids.map((request_id) => e.startRun({ workflow_id: 'w', request_id }))),
          );
          for (const a of answers) {
            const seen = instances.get(a.run.request_id) ?? new Set<number>();
            instances.set(a.run.request_id, seen.add(a.run.instance_id));
          }
        }
        expect([...instances.values()].every((s) => s.size === 1)).toBe(true); // one run per request id
        const latest = await store.transact(async (tx) => (await tx.getWorkflow('w'))!.latest_instance_id);
        expect(latest).toBe(instances.size); // 180 runs, ids 1..180: none reserved and left unused
      } finally {
        for (const e of engines) await e.stop();
        await store.close();
      }
    });

    it('refuses a start whose run params do not fit, and stores nothing', async () => {
      const engine = await engineWith({
        properties: { owner: 'tester' },
        workflow: {
          id: 'typed',
          params: { n: { type: 'LONG', value: 1 } },
          steps: [{ step: { id: 'a', type: 'NoOp' } }],
        },
      });
      await expect(engine.startRun({ workflow_id: 'typed', run_params: { n: 'ten' } })).rejects.toThrow(
        /run params are not valid/,
      );
      expect(await engine.getRun({ workflow_id: 'typed', instance_id: 1, run_id: 1 })).toBeUndefined();
    });

    it('one batch of starts of several workflows applies each run strategy to its arrivals in request order', async () => {
      const engine = await engineWith(
        shell('par', 'parallel', 'true'),
        shell('first', 'first_only', 'sleep 5'),
        shell('last', 'last_only', 'sleep 5'),
      );
      const running = await engine.startRun({ workflow_id: 'last' });
      await expect.poll(() => statusOf(engine, 'last', running.run.instance_id)).toBe('IN_PROGRESS');
      // The first start goes alone; the others wait for it and make one batch.
      const lead = engine.startRun({ workflow_id: 'par' });
      const burst = ['first', 'last', 'par', 'first', 'last', 'par', 'first', 'last'].map((workflow_id, i) =>
        engine.startRun({ workflow_id, request_id: i === 6 ? 'again' : `r${i}` }),
      );
      const repeat = engine.startRun({ workflow_id: 'first', request_id: 'again' });
      await lead;
      const results = await Promise.all(burst);
      expect(results.map((r) => `${r.run.workflow_id}/${r.run.instance_id}:${r.status}`)).toEqual([
        'first/1:CREATED',
        'last/2:CREATED',
        'par/2:CREATED',
        'first/2:STOPPED', // FIRST_ONLY: first/1 is not finished
        'last/3:CREATED',
        'par/3:CREATED',
        'first/3:STOPPED',
        'last/4:CREATED',
      ]);
      expect(await repeat).toMatchObject({ status: 'DUPLICATED', run: { instance_id: 3 } });
      // LAST_ONLY: each arrival stopped the ones before it, the running one included; the newest runs.
      for (const instance of [1, 2, 3])
        expect(
          (await engine.waitForEnd({ workflow_id: 'last', instance_id: instance, run_id: 1 })).run.status,
        ).toBe('STOPPED');
      await expect.poll(() => statusOf(engine, 'last', 4)).toBe('IN_PROGRESS');
      expect(await statusOf(engine, 'first', 1)).not.toBe('STOPPED');
      for (const key of [results[2]!.run, results[5]!.run])
        expect((await engine.waitForEnd(key)).run.status).toBe('SUCCEEDED');
      await engine.action({ workflow_id: 'last', instance_id: 4, run_id: 1 }, 'STOP');
      await engine.action({ workflow_id: 'first', instance_id: 1, run_id: 1 }, 'STOP');
    });
  });
});
