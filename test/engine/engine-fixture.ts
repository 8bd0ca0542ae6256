// What the engine tests share: engines on a fresh store of the adapter under test (SQLite, and PostgreSQL when
// BATON_TEST_PG_URL is set), stopped after each test, and a Shell workflow under a run strategy.
import { afterEach } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunKey, Store } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

/** Registers the stop of every engine it makes after each test; `use` picks the adapter (in `beforeAll`). */
export function engineFixture() {
  const open: { engine: Engine; store: Store }[] = [];
  afterEach(async () => {
    for (const { engine, store } of open.splice(0)) {
      await engine.stop();
      await store.close();
    }
  });
  let openStore: () => Promise<Store> = ADAPTERS[0]![1];
  return {
    use(opener: () => Promise<Store>): void {
      openStore = opener;
    },
    openStore: () => openStore(),
    /** A started engine on a fresh store, with these workflows pushed. */
    async engineWith(...requests: unknown[]): Promise<Engine> {
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
    },
  };
}

/** A workflow of one Shell step `work` running `command`, under run strategy `rule`. */
export const shell = (id: string, rule: unknown, command: string) => ({
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

export const stepStatus = async (engine: Engine, key: RunKey, stepId: string) =>
  (await engine.getRun(key))?.state.steps[stepId]?.status;

export const statusOf = async (engine: Engine, workflow_id: string, instance_id: number) =>
  (await engine.getRun({ workflow_id, instance_id, run_id: 1 }))!.run.status;
