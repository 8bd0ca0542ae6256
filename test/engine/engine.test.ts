// The engine with a real store (SQLite, and PostgreSQL when BATON_TEST_PG_URL is set) and real runtimes: starts,
// run strategies, actions, unblock, permits, breakpoints, step restart.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { IllegalStateError, NotFoundError } from '../../src/model/errors.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunKey, Store } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

const open: { engine: Engine; store: Store }[] = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.stop();
    await store.close();
  }
});

let openStore: () => Promise<Store> = ADAPTERS[0]![1];

async function engineWith(...requests: unknown[]): Promise<Engine> {
  const store = await openStore();
  const engine = createEngine(
    { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
    { timeScale: 0.001 },
  );
  open.push({ engine, store });
  for (const r of requests) {
    const parsed = parseDefinition(r);
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await engine.createWorkflow(parsed.workflow);
  }
  engine.start();
  return engine;
}

const shell = (id: string, rule: unknown, command: string) => ({
  properties: { owner: 'tester', run_strategy: rule },
  workflow: {
    id,
    steps: [
      {
        step: {
          id: 'work',
          type: 'Shell',
          retry_policy: { error_retry_limit: 0 },
          params: { command: { type: 'STRING', value: command } },
        },
      },
    ],
  },
});

const stepStatus = async (engine: Engine, key: RunKey, stepId: string) =>
  (await engine.getRun(key))?.state.steps[stepId]?.status;

const statusOf = async (engine: Engine, workflow_id: string, instance_id: number) =>
  (await engine.getRun({ workflow_id, instance_id, run_id: 1 }))!.run.status;

describe.each(ADAPTERS)('on %s', (_name, open) => {
  beforeAll(() => {
    openStore = open;
  });

  describe('engine', () => {
    it('starts a request id once: the second start returns the first run as DUPLICATED', async () => {
      const engine = await engineWith(shell('w', 'parallel', 'true'));
      const first = await engine.startRun({ workflow_id: 'w', request_id: 'abc' });
      const second = await engine.startRun({ workflow_id: 'w', request_id: 'abc' });
      expect(first.status).toBe('CREATED');
      expect(second.status).toBe('DUPLICATED');
      expect(second.run.instance_id).toBe(first.run.instance_id);
    });

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
      const store = await openStore();
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

    it('SEQUENTIAL queues runs and starts the next when one ends', async () => {
      const engine = await engineWith(shell('seq', 'sequential', 'sleep 0.3'));
      const a = await engine.startRun({ workflow_id: 'seq' });
      const b = await engine.startRun({ workflow_id: 'seq' });
      // A start stores the run CREATED; an engine admits it in a transaction of its own.
      expect([a.run.status, b.run.status]).toEqual(['CREATED', 'CREATED']);
      await expect.poll(() => statusOf(engine, 'seq', a.run.instance_id)).toBe('IN_PROGRESS');
      expect(await statusOf(engine, 'seq', b.run.instance_id)).toBe('CREATED');
      const endA = await engine.waitForEnd(a.run);
      const endB = await engine.waitForEnd(b.run);
      expect(endB.run.start_time!).toBeGreaterThanOrEqual(endA.run.end_time!);
    });

    it('FIRST_ONLY stops a start while another run is unfinished', async () => {
      const engine = await engineWith(shell('first', 'first_only', 'sleep 0.3'));
      await engine.startRun({ workflow_id: 'first' });
      const second = await engine.startRun({ workflow_id: 'first' });
      expect(second.status).toBe('STOPPED');
      expect(second.run.status).toBe('STOPPED');
    });

    it('LAST_ONLY stops the running run for the newest one', async () => {
      const engine = await engineWith(shell('last', 'last_only', 'sleep 5'));
      const old = await engine.startRun({ workflow_id: 'last' });
      const latest = await engine.startRun({ workflow_id: 'last' });
      expect((await engine.waitForEnd(old.run)).run.status).toBe('STOPPED');
      await expect.poll(() => statusOf(engine, 'last', latest.run.instance_id)).toBe('IN_PROGRESS');
      await engine.action(latest.run, 'STOP');
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

    it('STRICT_SEQUENTIAL holds its queue after a failure until the failed run is unblocked', async () => {
      const strict = shell('strict', 'strict_sequential', 'test "${GO}" = yes');
      const engine = await engineWith({
        ...strict,
        workflow: { ...strict.workflow, params: { GO: { type: 'STRING', value: 'no' } } },
      });
      const failed = await engine.startRun({ workflow_id: 'strict' });
      expect((await engine.waitForEnd(failed.run)).run.status).toBe('FAILED');
      const next = await engine.startRun({ workflow_id: 'strict', run_params: { GO: 'yes' } });
      expect(next.run.status).toBe('CREATED');
      await expect(engine.unblock(next.run)).rejects.toThrow(IllegalStateError);
      await engine.unblock(failed.run);
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });

    it('STRICT_SEQUENTIAL lets a restart of the failed run through, and the queue after it', async () => {
      const strict = shell('strict-r', 'strict_sequential', 'test "${GO}" = yes');
      const engine = await engineWith({
        ...strict,
        workflow: { ...strict.workflow, params: { GO: { type: 'STRING', value: 'no' } } },
      });
      const failed = await engine.startRun({ workflow_id: 'strict-r' });
      expect((await engine.waitForEnd(failed.run)).run.status).toBe('FAILED');
      const next = await engine.startRun({ workflow_id: 'strict-r', run_params: { GO: 'yes' } });
      const restarted = await engine.restart({
        workflow_id: 'strict-r',
        instance_id: failed.run.instance_id,
        run_params: { GO: 'yes' },
      });
      expect(restarted.run.run_id).toBe(2);
      expect((await engine.waitForEnd(restarted.run)).run.status).toBe('SUCCEEDED');
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });

    it('stops a running Shell step and its whole run', async () => {
      const engine = await engineWith(shell('stop-me', 'sequential', 'sleep 30'));
      const started = await engine.startRun({ workflow_id: 'stop-me' });
      await expect.poll(() => stepStatus(engine, started.run, 'work')).toBe('RUNNING');
      await engine.action(started.run, 'STOP', 'work');
      const ended = await engine.waitForEnd(started.run);
      expect(ended.run.status).toBe('STOPPED');
      expect(ended.state.steps['work']!.status).toBe('STOPPED');
    });

    it('refuses an action the status does not allow, and changes nothing', async () => {
      const engine = await engineWith(shell('done', 'sequential', 'true'));
      const started = await engine.startRun({ workflow_id: 'done' });
      const ended = await engine.waitForEnd(started.run);
      await expect(engine.action(started.run, 'STOP')).rejects.toThrow(
        /cannot STOP run done\/1\/1: it is SUCCEEDED/,
      );
      await expect(engine.action(started.run, 'STOP', 'work')).rejects.toThrow(
        /cannot STOP step 'work' of run done\/1\/1: its run is SUCCEEDED/,
      );
      await expect(engine.action({ ...started.run, run_id: 9 }, 'KILL')).rejects.toThrow(NotFoundError);
      expect((await engine.getRun(started.run))!.run.version).toBe(ended.run.version);
    });
  });

  describe('engine: permits', () => {
    const fanout = (id: string, extra: Record<string, unknown>, stepExtra: Record<string, unknown> = {}) => ({
      properties: { owner: 'tester', run_strategy: 'parallel', ...extra },
      workflow: {
        id,
        steps: ['a', 'b', 'c'].map((s) => ({
          step: {
            id: s,
            type: 'Shell',
            params: { command: { type: 'STRING', value: 'sleep 0.2' } },
            ...stepExtra,
          },
        })),
      },
    });

    const overlapping = (steps: Record<string, { start_time?: number; end_time?: number }>) => {
      const spans = Object.values(steps).map((s) => [s.start_time!, s.end_time!] as const);
      let max = 0;
      for (const [start] of spans)
        max = Math.max(max, spans.filter(([s, e]) => s <= start && start < e).length);
      return max;
    };

    it('step_concurrency caps the leaf steps of a workflow running at once; the others wait for permits', async () => {
      const engine = await engineWith(fanout('capped', { step_concurrency: 1 }));
      const started = await engine.startRun({ workflow_id: 'capped' });
      await expect
        .poll(async () =>
          Object.values((await engine.getRun(started.run))!.state.steps)
            .map((s) => s.status)
            .sort(),
        )
        .toEqual(['RUNNING', 'WAITING_FOR_PERMITS', 'WAITING_FOR_PERMITS']);
      const ended = await engine.waitForEnd(started.run);
      expect(ended.run.status).toBe('SUCCEEDED');
      expect(overlapping(ended.state.steps)).toBe(1);
    });

    it('a tag permit caps the steps carrying the tag, across runs', async () => {
      const engine = await engineWith(fanout('tagged', { step_concurrency: 100 }, { tags: ['gpu'] }));
      await engine.setTagPermit('gpu', 2);
      const runs = await Promise.all([
        engine.startRun({ workflow_id: 'tagged' }),
        engine.startRun({ workflow_id: 'tagged' }),
      ]);
      const ended = await Promise.all(runs.map((r) => engine.waitForEnd(r.run)));
      const all = Object.fromEntries(
        ended.flatMap((e) =>
          Object.entries(e.state.steps).map(([id, s]) => [`${e.run.instance_id}/${id}`, s]),
        ),
      );
      expect(ended.map((e) => e.run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(overlapping(all)).toBe(2);
    });

    it('stopping a run lets the steps that waited for its permits go', async () => {
      const engine = await engineWith(fanout('stopper', { step_concurrency: 1 }));
      const started = await engine.startRun({ workflow_id: 'stopper' });
      await engine.action(started.run, 'STOP');
      const ended = await engine.waitForEnd(started.run);
      expect(Object.values(ended.state.steps).map((s) => s.status)).toEqual([
        'STOPPED',
        'STOPPED',
        'STOPPED',
      ]);
      const next = await engine.startRun({ workflow_id: 'stopper' });
      expect((await engine.waitForEnd(next.run)).run.status).toBe('SUCCEEDED');
    });
  });

  describe('engine: breakpoints', () => {
    it('pauses a step at a breakpoint until it is resumed', async () => {
      const engine = await engineWith(shell('bp', 'sequential', 'true'));
      await engine.setBreakpoint({
        workflow_id: 'bp',
        step_id: 'work',
        instance_id: 0,
        run_id: 0,
        attempt: 0,
      });
      const started = await engine.startRun({ workflow_id: 'bp' });
      await expect.poll(() => stepStatus(engine, started.run, 'work')).toBe('PAUSED');
      await expect(engine.action(started.run, 'SKIP')).rejects.toThrow(IllegalStateError);
      await engine.action(started.run, 'RESUME', 'work');
      expect((await engine.waitForEnd(started.run)).run.status).toBe('SUCCEEDED');
      await engine.deleteBreakpoint({
        workflow_id: 'bp',
        step_id: 'work',
        instance_id: 0,
        run_id: 0,
        attempt: 0,
      });
      const again = await engine.startRun({ workflow_id: 'bp' });
      expect((await engine.waitForEnd(again.run)).run.status).toBe('SUCCEEDED');
    });
  });

  describe('engine: step restart', () => {
    it('restarts a failed step of a running run as a new attempt, and of an ended run as a new run', async () => {
      const engine = await engineWith({
        properties: { owner: 'tester' },
        workflow: {
          id: 'partial',
          params: { GO: { type: 'STRING', value: 'no' } },
          steps: [
            {
              step: {
                id: 'flaky',
                type: 'Shell',
                retry_policy: { error_retry_limit: 0 },
                params: { command: { type: 'STRING', value: 'test -f "${GO}"' } },
              },
            },
            {
              step: {
                id: 'slow',
                type: 'Shell',
                params: { command: { type: 'STRING', value: 'sleep 0.5' } },
              },
            },
          ],
        },
      });
      const started = await engine.startRun({ workflow_id: 'partial' });
      await expect
        .poll(async () => (await engine.getRun(started.run))!.state.steps['flaky']!.status)
        .toBe('FATALLY_FAILED');
      expect(await engine.restartStep(started.run, 'flaky')).toBeUndefined();
      const ended = await engine.waitForEnd(started.run);
      expect(ended.state.steps['flaky']!.attempt).toBe(2);
      expect(ended.run.status).toBe('FAILED'); // the file still does not exist
      const again = await engine.restartStep(started.run, 'flaky');
      expect(again!.run.run_id).toBe(2);
      const second = await engine.waitForEnd(again!.run);
      expect(second.state.steps['slow']!.carried).toBe(true);
    });
  });
});
