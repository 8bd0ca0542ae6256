// Runs that belong to a step attempt of another run (ParentRef): the parent's `child_ended`, applied in the
// transaction that ends each child, keeps the attempt's count of children by status and its rollup of their leaf
// steps. On SQLite, and PostgreSQL when BATON_TEST_PG_URL is set.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
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

const definition = (id: string, step: unknown) =>
  parseDefinition({
    properties: { owner: 'o', run_strategy: { rule: 'PARALLEL' } },
    workflow: { id, steps: [{ step }] },
  }).workflow!;

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  it("counts each child's end in its parent step attempt's rollup, in the transaction that ends it", async () => {
    const store = await openStore();
    const engine = createEngine(
      { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      { timeScale: 0.001 },
    );
    open.push({ engine, store });
    await engine.createWorkflow(
      definition('outer', {
        id: 'loop',
        type: 'Shell',
        params: { command: { type: 'STRING', value: 'sleep 30' } },
      }),
    );
    await engine.createWorkflow(definition('inner', { id: 'a', type: 'NoOp' }));
    await engine.createWorkflow(
      definition('slow', {
        id: 'b',
        type: 'Shell',
        params: { command: { type: 'STRING', value: 'sleep 30' } },
      }),
    );
    engine.start();
    const outer = (await engine.startRun({ workflow_id: 'outer' })).run;
    const loop = async () => (await engine.getRun(outer))?.state.steps['loop'];
    await expect.poll(async () => (await loop())?.status).toBe('RUNNING');
    const parent = {
      workflow_id: 'outer',
      instance_id: outer.instance_id,
      run_id: 1,
      step_id: 'loop',
      attempt: 1,
    };

    const children = await Promise.all([
      engine.startRun({ workflow_id: 'inner', parent }),
      engine.startRun({ workflow_id: 'inner', parent }),
      engine.startRun({ workflow_id: 'slow', parent }),
      // a child of an attempt that is not the current one counts nowhere
      engine.startRun({ workflow_id: 'inner', parent: { ...parent, attempt: 9 } }),
    ]);
    expect(children.map((c) => c.run.parent)).toEqual([parent, parent, parent, { ...parent, attempt: 9 }]);
    for (const c of [children[0]!, children[1]!, children[3]!])
      expect((await engine.waitForEnd(c.run)).run.status).toBe('SUCCEEDED');
    const slow: RunKey = children[2]!.run;
    await expect.poll(async () => (await engine.getRun(slow))?.run.status).toBe('IN_PROGRESS');
    expect((await loop())?.rollup).toEqual({ SUCCEEDED: 2 });
    expect((await loop())?.children).toEqual({ SUCCEEDED: 2 });

    await engine.action(slow, 'STOP');
    expect((await engine.waitForEnd(slow)).run.status).toBe('STOPPED');
    expect((await loop())?.rollup).toEqual({ SUCCEEDED: 2, STOPPED: 1 });
    // read back from the store, not a cache
    const stored = await store.transact((tx) => tx.getSteps(outer));
    expect(stored.find((s) => s.step_id === 'loop')?.state).toMatchObject({
      rollup: { SUCCEEDED: 2, STOPPED: 1 },
      children: { SUCCEEDED: 2, STOPPED: 1 },
    });

    // once the attempt is over, a late child changes nothing
    await engine.action(outer, 'STOP');
    await engine.waitForEnd(outer);
    const late = await engine.startRun({ workflow_id: 'inner', parent });
    await engine.waitForEnd(late.run);
    expect((await loop())?.rollup).toEqual({ SUCCEEDED: 2, STOPPED: 1 });
  });
});
