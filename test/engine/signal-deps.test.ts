// Step signal dependencies and signal outputs through the whole engine on a real store, on the fake clock (SQLite,
// and PostgreSQL when BATON_TEST_PG_URL is set): a waiting step is woken by the commit of the announcement that
// meets it, never by polling (the engines here never poll: pollMs 0, and the fake clock only moves when told).
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { StepRuntimes } from '../../src/engine/step-runtime.js';
import type { SignalParamValue } from '../../src/model/signal.js';
import { signalLineage, startedRunUses } from '../../src/signals/lineage.js';
import { announceIn } from '../../src/signals/announce.js';
import { announceStepOutputs } from '../../src/signals/step-outputs.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunKey, Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { hasPg, openTestPgStore, pgTestUrl } from '../support/postgres.js';
import { FAKE_CLOCK_ADAPTERS, stoppedAfterEach, until } from '../support/fake-clock-engines.js';

const opened = stoppedAfterEach();

const ADAPTERS = FAKE_CLOCK_ADAPTERS;

/** A test runtime for `Titus` steps: succeeds with the output params the test gives. */
function runtimes(outputs: Record<string, unknown> = {}): StepRuntimes {
  return {
    ...createStepRuntimes(),
    Titus: { execute: () => Promise.resolve({ state: 'done', outputs: outputs as never }) },
  };
}

async function engineOn(
  store: Store,
  clock: FakeClock,
  workflows: readonly Record<string, unknown>[],
  outputs?: Record<string, unknown>,
): Promise<Engine> {
  const engine = createEngine(
    { store, clock, runtimes: runtimes(outputs), evaluator: createEngineEvaluator() },
    { timeScale: 1, pollMs: 0 },
  );
  opened.push({ engine, store });
  for (const w of workflows) {
    const parsed = parseDefinition({
      properties: { owner: 'tester', run_strategy: 'parallel' },
      workflow: w,
    });
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await engine.createWorkflow(parsed.workflow);
  }
  engine.start();
  return engine;
}

const dep = (name: string, match: Record<string, [SignalParamValue | string, string]> = {}) => ({
  name,
  match_params: Object.fromEntries(
    Object.entries(match).map(([p, [value, operator]]) => [
      p,
      { param: { value, type: typeof value === 'number' ? 'LONG' : 'STRING' }, operator },
    ]),
  ),
});

/** `wait` waits for `table` (date = the run's `day`) and `ready` (n >= 5), reads the first, then `after` runs. */
const waiter = {
  id: 'waiter',
  params: { day: { type: 'STRING', value: '20240101' } },
  steps: [
    {
      step: {
        id: 'wait',
        type: 'NoOp',
        transition: { successors: { after: 'true' } },
        signal_dependencies: [dep('table', { date: ['${day}', '='] }), dep('ready', { n: [5, '>='] })],
        params: { got: { type: 'STRING', expression: "params.getFromSignalDependency('0', 'date')" } },
      },
    },
    { step: { id: 'after', type: 'NoOp' } },
  ],
};

const KEY: RunKey = { workflow_id: 'waiter', instance_id: 1, run_id: 1 };

/** The same without the param that reads a matched signal (a bypassed dependency has none to read). */
const { params: _reads, ...waitStep } = waiter.steps[0]!.step;
const bypassable = { ...waiter, steps: [{ step: waitStep }, waiter.steps[1]!] };

async function announce(
  store: Store,
  clock: FakeClock,
  name: string,
  params: Record<string, SignalParamValue>,
  id = `${name}:${JSON.stringify(params)}`,
) {
  return store.transact((tx) => announceIn(tx, { name, params, request_id: id }, clock.now()));
}

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  async function setUp(workflows: readonly Record<string, unknown>[], outputs?: Record<string, unknown>) {
    const clock = new FakeClock();
    const store = await openStore(clock);
    const engine = await engineOn(store, clock, workflows, outputs);
    const status = async (key: RunKey, step?: string) => {
      const run = await engine.getRun(key);
      return step === undefined ? run?.run.status : run?.state.steps[step]?.status;
    };
    return { clock, store, engine, status };
  }

  describe('signal dependencies', () => {
    it('a step whose signals are already stored does not wait', async () => {
      const { clock, store, engine, status } = await setUp([waiter]);
      await announce(store, clock, 'table', { date: '20240101' });
      await announce(store, clock, 'ready', { n: 9 });
      await engine.startRun({ workflow_id: 'waiter' });
      await until('the run succeeds', async () => (await status(KEY)) === 'SUCCEEDED');
      const run = (await engine.getRun(KEY))!;
      expect(run.state.steps['wait']!.signal_dependencies!.map((d) => [d.status, d.signal_id])).toEqual([
        ['MATCHED', 1],
        ['MATCHED', 1],
      ]);
      expect(run.state.steps['wait']!.params!['got']).toMatchObject({ value: '20240101' });
    });

    it('a waiting step is released by the announcements that meet it, and only by those', async () => {
      const { clock, store, engine, status } = await setUp([waiter]);
      await engine.startRun({ workflow_id: 'waiter' });
      await until('the step waits', async () => (await status(KEY, 'wait')) === 'WAITING_FOR_SIGNALS');
      await announce(store, clock, 'table', { date: '20231231' }); // another day
      await announce(store, clock, 'ready', { n: 4 }); // too small
      await announce(store, clock, 'ready', { n: '9' }); // a string is not a LONG
      await announce(store, clock, 'table', { date: '20240101' });
      await until(
        'the first dependency is matched',
        async () =>
          (await engine.getRun(KEY))!.state.steps['wait']!.signal_dependencies![0]!.status === 'MATCHED',
      );
      expect(await status(KEY, 'wait')).toBe('WAITING_FOR_SIGNALS');
      expect(await store.transact((tx) => tx.signalWaitsOn('ready'))).toHaveLength(1);
      await announce(store, clock, 'ready', { n: 5 });
      await until('the run succeeds', async () => (await status(KEY)) === 'SUCCEEDED');
      const wait = (await engine.getRun(KEY))!.state.steps['wait']!;
      expect(wait.signal_dependencies!.map((d) => d.signal_id)).toEqual([2, 3]);
      expect(await store.transact((tx) => tx.signalWaitsOn('ready'))).toEqual([]);
      const lineage = await store.transact((tx) => signalLineage(tx, 'ready', 3));
      expect(lineage!.released_steps).toEqual([
        {
          workflow_id: 'waiter',
          workflow_instance_id: 1,
          workflow_run_id: 1,
          step_id: 'wait',
          step_attempt_id: 1,
          dependency_index: 1,
          create_time: clock.now(),
        },
      ]);
    });

    it('bypass releases a waiting step; stop ends one and leaves no wait', async () => {
      const { engine, store, status } = await setUp([bypassable]);
      await engine.startRun({ workflow_id: 'waiter' });
      await engine.startRun({ workflow_id: 'waiter' });
      const second: RunKey = { ...KEY, instance_id: 2 };
      await until(
        'both wait',
        async () =>
          (await status(second, 'wait')) === 'WAITING_FOR_SIGNALS' &&
          (await status(KEY, 'wait')) === 'WAITING_FOR_SIGNALS',
      );
      await engine.action(KEY, 'BYPASS_STEP_DEPENDENCIES', 'wait');
      await until('the bypassed run succeeds', async () => (await status(KEY)) === 'SUCCEEDED');
      const bypassed = (await engine.getRun(KEY))!.state.steps['wait']!;
      expect(bypassed.signal_dependencies!.map((d) => d.status)).toEqual(['SKIPPED', 'SKIPPED']);
      await expect(engine.action(KEY, 'BYPASS_STEP_DEPENDENCIES', 'wait')).rejects.toThrow(
        /cannot BYPASS_STEP_DEPENDENCIES step 'wait' .*SUCCEEDED/,
      );
      await engine.action(second, 'STOP');
      await until('the stopped run ends', async () => (await status(second)) === 'STOPPED');
      expect(await store.transact((tx) => tx.signalWaitsOn('table'))).toEqual([]);
      expect(await store.transact((tx) => tx.signalWaitsOn('ready'))).toEqual([]);
    });

    it("a restart reuses the previous run's matched dependencies and waits for the rest", async () => {
      const { clock, store, engine, status } = await setUp([waiter]);
      await engine.startRun({ workflow_id: 'waiter' });
      await until('the step waits', async () => (await status(KEY, 'wait')) === 'WAITING_FOR_SIGNALS');
      await announce(store, clock, 'table', { date: '20240101' });
      await until(
        'table matched',
        async () =>
          (await engine.getRun(KEY))!.state.steps['wait']!.signal_dependencies![0]!.status === 'MATCHED',
      );
      await engine.action(KEY, 'STOP');
      await until('stopped', async () => (await status(KEY)) === 'STOPPED');
      await engine.restart({ workflow_id: 'waiter', instance_id: 1 });
      const run2: RunKey = { ...KEY, run_id: 2 };
      await until(
        'the restarted step waits',
        async () => (await status(run2, 'wait')) === 'WAITING_FOR_SIGNALS',
      );
      const deps = (await engine.getRun(run2))!.state.steps['wait']!.signal_dependencies!;
      expect(deps.map((d) => [d.status, d.signal_id])).toEqual([
        ['MATCHED', 1],
        ['PENDING', undefined],
      ]);
      expect((await store.transact((tx) => tx.signalWaitsOn('ready'))).map((w) => w.run_id)).toEqual([2]);
      await announce(store, clock, 'ready', { n: 6 });
      await until('the restarted run succeeds', async () => (await status(run2)) === 'SUCCEEDED');
    });
  });

  describe('lineage', () => {
    it('lists the runs a signal instance started, as the trigger path records them, and says who produced it', async () => {
      const { store, clock } = await setUp([]);
      await announce(store, clock, 'a', { k: 'v' });
      await announce(store, clock, 'b', {});
      const run: RunKey = { workflow_id: 'triggered', instance_id: 7, run_id: 1 };
      await store.transact((tx) => tx.recordSignalUses(startedRunUses(run, { a: 1, b: 1 }, clock.now())));
      const lineage = await store.transact((tx) => signalLineage(tx, 'a', 1));
      expect(lineage).toEqual({
        name: 'a',
        seq_id: 1,
        instance_id: 'a:{"k":"v"}',
        create_time: clock.now(),
        started_runs: [
          { workflow_id: 'triggered', workflow_instance_id: 7, workflow_run_id: 1, create_time: clock.now() },
        ],
        released_steps: [],
      });
      expect(await store.transact((tx) => signalLineage(tx, 'a', 2))).toBeUndefined();
    });
  });

  describe('signal outputs', () => {
    it("announcing an attempt's outputs again (a transaction tried again) stores nothing twice", async () => {
      const { store, clock } = await setUp([]);
      const made: RunKey = { workflow_id: 'producer', instance_id: 1, run_id: 1 };
      const effect = (attempt: number) => ({
        type: 'announce_signals' as const,
        step_id: 'make',
        attempt,
        step_instance_id: 1,
        signals: [{ name: 't', params: { a: '1' }, payload: {} }],
      });
      const first = await store.transact((tx) => announceStepOutputs(tx, made, effect(1), clock.now()));
      const at = clock.now();
      clock.advance(1000);
      const again = await store.transact((tx) => announceStepOutputs(tx, made, effect(1), clock.now()));
      expect(first).toEqual([{ step_id: 'make', index: 0, signal_id: 1, announce_time: at }]);
      expect(again).toEqual([{ step_id: 'make', index: 0, signal_id: 1 }]);
      expect(await store.transact((tx) => tx.latestSignalSeq('t'))).toBe(1);
      // a new attempt (a retry of the step) announces anew
      const retried = await store.transact((tx) => announceStepOutputs(tx, made, effect(2), clock.now()));
      expect(retried[0]!.signal_id).toBe(2);
    });

    const producer = {
      id: 'producer',
      params: { day: { type: 'STRING', value: '20240101' } },
      steps: [
        {
          step: {
            id: 'make',
            type: 'Titus',
            signal_outputs: [
              {
                name: 'table',
                params: { date: { type: 'STRING', value: '${day}' } },
                payload: { rows: { type: 'LONG', value: 3 } },
              },
            ],
          },
        },
      ],
    };

    it('a step announces its static and dynamic outputs with its success, with their source; they release waiters', async () => {
      const { engine, store, status, clock } = await setUp([waiter, producer], {
        signal_outputs: [{ name: 'ready', n: 5, payload: { note: 'dynamic' } }],
      });
      await engine.startRun({ workflow_id: 'waiter' });
      await until('the step waits', async () => (await status(KEY, 'wait')) === 'WAITING_FOR_SIGNALS');
      await engine.startRun({ workflow_id: 'producer' });
      const made: RunKey = { workflow_id: 'producer', instance_id: 1, run_id: 1 };
      await until('the waiter succeeds', async () => (await status(KEY)) === 'SUCCEEDED');
      expect(await status(made)).toBe('SUCCEEDED');
      const outputs = (await engine.getRun(made))!.state.steps['make']!.signal_outputs;
      expect(outputs).toEqual([
        {
          name: 'table',
          params: { date: '20240101' },
          payload: { rows: 3 },
          signal_id: 1,
          announce_time: clock.now(),
        },
        {
          name: 'ready',
          params: { n: 5 },
          payload: { note: 'dynamic' },
          signal_id: 1,
          announce_time: clock.now(),
        },
      ]);
      const source = {
        workflow_id: 'producer',
        workflow_instance_id: 1,
        workflow_run_id: 1,
        step_id: 'make',
        step_instance_id: 1,
        step_attempt_id: 1,
      };
      const table = await store.transact((tx) => tx.getSignal('table', 1));
      expect(table!.payload).toEqual({ rows: 3, signal_source: source });
      const lineage = await store.transact((tx) => signalLineage(tx, 'ready', 'latest'));
      expect(lineage).toMatchObject({
        name: 'ready',
        seq_id: 1,
        signal_source: source,
        started_runs: [],
        released_steps: [{ workflow_id: 'waiter', step_id: 'wait', dependency_index: 1 }],
      });
    });
  });
});

describe.skipIf(!hasPg)('on postgres, two engines', () => {
  it('a step waiting in one engine is woken by an announcement another process commits', async () => {
    const clock = new FakeClock();
    const mine = await openTestPgStore(clock);
    const theirs = await openPostgresStore({ clock }, { url: pgTestUrl!, schema: mine.schema, poolSize: 2 });
    const engine = await engineOn(mine, clock, [waiter]);
    // the other process only announces: its store shares the schema, not the engine
    opened.push({
      engine: createEngine({
        store: theirs,
        clock,
        runtimes: runtimes(),
        evaluator: createEngineEvaluator(),
      }),
      store: theirs,
    });
    await engine.startRun({ workflow_id: 'waiter' });
    const status = async () => (await engine.getRun(KEY))?.run.status;
    await until(
      'the step waits',
      async () => (await engine.getRun(KEY))?.state.steps['wait']?.status === 'WAITING_FOR_SIGNALS',
    );
    await announce(theirs, clock, 'table', { date: '20240101' });
    await announce(theirs, clock, 'ready', { n: 50 });
    await until('the run succeeds', async () => (await status()) === 'SUCCEEDED');
  });
});
