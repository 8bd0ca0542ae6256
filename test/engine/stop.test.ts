// engine.stop(): a graceful stop leaves nothing behind (ARCHITECTURE invariant 7). It waits for the batch it is
// committing, ends the process groups of running steps, and hands every item it holds back at once, so another
// process takes the work over without waiting for a lease and without counting the attempt as failed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock, type Clock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunKey, Store, StoreTx } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { eventually, liveMembers, writeRunsOnceScript } from '../steps/shell-fixture.js';
import { deferred } from '../store/fixtures.js';
import { hasPg, openTestPgStore } from '../support/postgres.js';

const ADAPTERS: [string, (clock: Clock) => Promise<Store>][] = [
  ['sqlite', (clock) => openSqliteStore({ clock }, { path: ':memory:' })],
  ...(hasPg
    ? [['postgres', (clock: Clock) => openTestPgStore(clock)] as [string, (clock: Clock) => Promise<Store>]]
    : []),
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function engineOn(store: Store, clock: Clock, owner: string): Engine {
  const engine = createEngine(
    { store, clock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
    // Leases far longer than any test: a test that passes did not wait for one to run out.
    { owner, leaseMs: 600_000, pollMs: 0 },
  );
  cleanups.push(() => engine.stop());
  return engine;
}

async function define(engine: Engine, steps: unknown[]): Promise<void> {
  const parsed = parseDefinition({ properties: { owner: 'tester' }, workflow: { id: 'wf', steps } });
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
  await engine.createWorkflow(parsed.workflow);
}

const stepStatus = async (engine: Engine, key: RunKey, stepId: string) =>
  (await engine.getRun(key))?.state.steps[stepId]?.status;

describe.each(ADAPTERS)('engine.stop on %s', (_name, openStore) => {
  async function open(clock: Clock): Promise<Store> {
    const store = await openStore(clock);
    cleanups.push(() => store.close());
    return store;
  }

  it('waits for the batch it is committing before it returns', async () => {
    const clock = new FakeClock();
    const inner = await open(clock);
    // Transactions that write runs are held open, before their commit, while `hold` is set.
    let hold = false;
    const entered = deferred();
    const gate = deferred();
    const order: string[] = [];
    const store: Store = {
      onWork: (listener) => inner.onWork(listener),
      close: () => inner.close(),
      transact: async (fn) => {
        let wroteRuns = false;
        const result = await inner.transact(async (tx) => {
          const watched = new Proxy(tx, {
            get(target, name, receiver) {
              if (name === 'writeRuns') wroteRuns = true;
              const value: unknown = Reflect.get(target, name, receiver);
              return typeof value === 'function'
                ? (value as (...a: unknown[]) => unknown).bind(target)
                : value;
            },
          }) as StoreTx;
          const out = await fn(watched);
          if (hold && wroteRuns) {
            hold = false;
            entered.resolve();
            await gate.promise;
            order.push('committed');
          }
          return out;
        });
        return result;
      },
    };
    const engine = engineOn(store, clock, 'stopping');
    await define(engine, [
      { step: { id: 'a', type: 'Shell', params: { command: { type: 'STRING', value: 'true' } } } },
    ]);
    // A breakpoint keeps the run in progress with nothing running, so only the held batch is left to wait for.
    await engine.setBreakpoint({ workflow_id: 'wf', step_id: 'a', instance_id: 0, run_id: 0, attempt: 0 });
    engine.start();
    const { run } = await engine.startRun({ workflow_id: 'wf' });
    await expect.poll(() => stepStatus(engine, run, 'a')).toBe('PAUSED');

    hold = true;
    const acting = engine.action(run, 'STOP');
    await entered.promise;
    const stopped = engine.stop().then(() => order.push('stopped'));
    // Turns of the event loop, not time: a stop that does not wait for the batch returns within the first few.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    order.push('released');
    gate.resolve();
    await Promise.all([acting, stopped]);
    expect(order).toEqual(['released', 'committed', 'stopped']);
    expect((await inner.transact((tx) => tx.getRun(run)))?.status).toBe('STOPPED');
  });

  it('ends a running Shell step and hands it back: another engine runs the same attempt at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-stop-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // The first run records its process group and starts grandchildren that would run for long; a second run of the
    // same attempt finds the mark and succeeds at once.
    const script = await writeRunsOnceScript(dir);
    // The clock never moves: no lease can run out, so only a hand-back lets the second engine in.
    const clock = new FakeClock();
    const store = await open(clock);
    const first = engineOn(store, clock, 'first');
    await define(first, [
      { step: { id: 's', type: 'Shell', params: { command: { type: 'STRING', value: `sh ${script}` } } } },
    ]);
    first.start();
    const { run } = await first.startRun({ workflow_id: 'wf' });
    const pgid = await eventually(async () => {
      const text = (await readFile(path.join(dir, 'pgid'), 'utf8').catch(() => '')).trim();
      return text === '' ? undefined : Number(text);
    });
    cleanups.push(async () => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
    });
    const second = engineOn(store, clock, 'second');
    second.start();

    await first.stop();
    expect(await liveMembers(pgid)).toEqual([]);
    await expect.poll(() => stepStatus(second, run, 's'), { timeout: 20_000 }).toBe('SUCCEEDED');
    const ended = await second.getRun(run);
    expect(ended?.run.status).toBe('SUCCEEDED');
    // the same attempt, run again: no retry used, nothing recorded as failed
    expect(ended?.state.steps['s']).toMatchObject({
      attempt: 1,
      worker: 'second',
      retries: { error: 0, platform: 0, timeout: 0 },
    });
    expect(ended?.state.steps['s']?.history ?? []).toEqual([]);
  });
});
