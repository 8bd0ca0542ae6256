// Default timeouts through the whole engine on a real store, on the fake clock (SQLite, and PostgreSQL when
// BATON_TEST_PG_URL is set): a run or step without a `timeout` times out after 10 days, as in Maestro.
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import type { LoadedRun } from '../../src/engine/run-record.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunKey } from '../../src/store/port.js';
import { FAKE_CLOCK_ADAPTERS, stoppedAfterEach } from '../support/fake-clock-engines.js';

const DAY = 86_400_000;

const open = stoppedAfterEach();

const ADAPTERS = FAKE_CLOCK_ADAPTERS;

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

  /**
   * Starts a run and resolves once its step sleeps, told by the engine's change listener: listeners are called after
   * the engine has set its wake-ups for what the commit added (the timeout's timer), so moving the fake clock then
   * cannot pass a timer the engine does not know yet (a read of the store could see the commit first).
   */
  const startSleeping = async (engine: Engine, workflowId: string): Promise<RunKey> => {
    const asleep = new Promise<void>((resolve) => {
      const off = engine.onRunChange((loaded) => {
        if (loaded.run.workflow_id !== workflowId || loaded.state.steps['nap']?.status !== 'RUNNING') return;
        off();
        resolve();
      });
    });
    const key = (await engine.startRun({ workflow_id: workflowId })).run;
    await asleep;
    return key;
  };

  const nap = (days: number) => ({
    step: { id: 'nap', type: 'Sleep', params: { sleep_seconds: { type: 'LONG', value: days * 86_400 } } },
  });

  it('times a run without a timeout out after 10 days', async () => {
    const clock = new FakeClock();
    const engine = await engineWith(clock, { id: 'slow', steps: [nap(30)] });
    const key = await startSleeping(engine, 'slow');

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
    const key = await startSleeping(engine, 'slow-step');

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
