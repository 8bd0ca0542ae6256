// Default timeouts through the whole engine on a real store, on the fake clock (SQLite, and PostgreSQL when
// BATON_TEST_PG_URL is set): a run or step without a `timeout` times out after 10 days, as in Maestro.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import type { LoadedRun } from '../../src/engine/run-record.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { RunKey, Store } from '../../src/store/port.js';
import { hasPg, openTestPgStore } from '../support/postgres.js';

const DAY = 86_400_000;

const open: { engine: Engine; store: Store }[] = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.stop();
    await store.close();
  }
});

const ADAPTERS: [string, (clock: FakeClock) => Promise<Store>][] = [
  ['sqlite', (clock) => openSqliteStore({ clock }, { path: ':memory:' })],
  ...(hasPg
    ? [
        ['postgres', (clock: FakeClock) => openTestPgStore(clock)] as [
          string,
          (c: FakeClock) => Promise<Store>,
        ],
      ]
    : []),
];

/** Waits (real time, with a deadline) for the engine to get somewhere on its own; the fake clock stands still. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** The run's end, or a failure after 10 s of real time (the fake clock has already been moved past the timeout). */
async function ends(ended: Promise<LoadedRun>): Promise<LoadedRun> {
  let cancel: (() => void) | undefined;
  const late = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error('the run did not end after its timeout')), 10_000);
    cancel = () => clearTimeout(timer);
  });
  try {
    return await Promise.race([ended, late]);
  } finally {
    cancel?.();
  }
}

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  async function engineWith(clock: FakeClock, workflow: Record<string, unknown>): Promise<Engine> {
    const store = await openStore(clock);
    const engine = createEngine(
      { store, clock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      { timeScale: 1 },
    );
    open.push({ engine, store });
    const parsed = parseDefinition({ properties: { owner: 'tester' }, workflow });
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await engine.createWorkflow(parsed.workflow);
    engine.start();
    return engine;
  }

  const sleeping = async (engine: Engine, key: RunKey) =>
    until(
      'the step sleeps',
      async () => (await engine.getRun(key))?.state.steps['nap']?.status === 'RUNNING',
    );

  const nap = (days: number) => ({
    step: { id: 'nap', type: 'Sleep', params: { sleep_seconds: { type: 'LONG', value: days * 86_400 } } },
  });

  it('times a run without a timeout out after 10 days', async () => {
    const clock = new FakeClock();
    const engine = await engineWith(clock, { id: 'slow', steps: [nap(30)] });
    const key = (await engine.startRun({ workflow_id: 'slow' })).run;
    await sleeping(engine, key);

    const ended = engine.waitForEnd(key);
    clock.advance(10 * DAY);
    const run = await ends(ended);
    expect(run.run.status).toBe('TIMED_OUT');
    expect(run.state.steps['nap']).toMatchObject({ status: 'TIMED_OUT' });
    expect(run.run.end_time).toBe(run.run.start_time! + 10 * DAY);
  });

  it('times a step without a timeout out 10 days after it starts', async () => {
    const clock = new FakeClock();
    const engine = await engineWith(clock, { id: 'slow-step', timeout: '30 days', steps: [nap(20)] });
    const key = (await engine.startRun({ workflow_id: 'slow-step' })).run;
    await sleeping(engine, key);

    const ended = engine.waitForEnd(key);
    clock.advance(10 * DAY);
    const run = await ends(ended);
    expect(run.state.steps['nap']).toMatchObject({
      status: 'TIMED_OUT',
      message: 'the step ran past its timeout',
    });
    expect(run.run.status).toBe('TIMED_OUT');
  });
});
