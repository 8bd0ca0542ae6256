import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { SignalAnnouncement, SignalAnnouncer } from '../../src/model/signal.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunRecord, Store } from '../../src/store/port.js';
import { createSignalAnnouncer } from '../../src/signals/announce.js';
import { matchSignal } from '../../src/triggers/signal-matcher.js';
import { createTriggerHooks } from '../../src/triggers/trigger-hooks.js';
import { FAKE_CLOCK_ADAPTERS, until as waitUntil } from '../support/fake-clock-engines.js';

export const STORES = FAKE_CLOCK_ADAPTERS;

export { readSample as sample } from '../support/shared.js';

/** A store, an engine with the trigger hooks, and the announcer, on a fake clock; `close` ends them. */
export interface TriggerBench {
  readonly clock: FakeClock;
  readonly store: Store;
  readonly engine: Engine;
  readonly announcer: SignalAnnouncer;
  push(request: unknown): Promise<void>;
  /** Announces a signal and matches it at once, as the scheduler does with its work item. */
  announce(a: SignalAnnouncement): Promise<number>;
  runs(workflowId: string): Promise<RunRecord[]>;
  close(): Promise<void>;
}

export async function triggerBench(
  openStore: (clock: FakeClock) => Promise<Store>,
  options: EngineOptions = {},
  shared?: { store: Store; clock: FakeClock },
): Promise<TriggerBench> {
  const clock = shared?.clock ?? new FakeClock();
  const store = shared?.store ?? (await openStore(clock));
  const evaluator = createEngineEvaluator();
  const hooks = createTriggerHooks({
    store,
    clock,
    evaluator,
    start: (request) => engine.startRun(request),
    owner: () => engine.owner,
  });
  const engine = createEngine(
    { store, clock, runtimes: createStepRuntimes(), evaluator, triggers: hooks },
    { timeScale: 1, ...options },
  );
  const announcer = createSignalAnnouncer({ store, clock });
  return {
    clock,
    store,
    engine,
    announcer,
    async push(request) {
      const parsed = parseDefinition(request);
      if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
      await engine.createWorkflow(parsed.workflow);
    },
    async announce(a) {
      const { signal } = await announcer.announce(a);
      await matchSignal(store, engine, signal, { clock, evaluator });
      return signal.seq_id;
    },
    async runs(workflowId) {
      const page = await store.transact((tx) => tx.listInstances(workflowId, { first: 100 }));
      return [...page.rows].reverse();
    },
    async close() {
      await hooks.stop();
      await engine.stop();
      if (!shared) await store.close();
    },
  };
}

/** Waits (real time, with a deadline) for the engine to get somewhere on its own; the fake clock stands still. */
/** Waits (real time, 20 s unless told) for the engine to get somewhere on its own. */
export const until = (what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> =>
  waitUntil(what, check, ms);
