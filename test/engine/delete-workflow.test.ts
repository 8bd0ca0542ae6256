// Deleting a workflow through the engine: nothing of it starts, restarts or is let in once the deletion has begun,
// its data goes in batches, and the id can be used again with its counters going on.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { admitWorkflow } from '../../src/engine/run-strategy.js';
import { NotFoundError } from '../../src/model/errors.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { Store } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

const open: { engine: Engine; store: Store }[] = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.stop();
    await store.close();
  }
});

const definition = (concurrency: number) =>
  parseDefinition({
    properties: { owner: 'tester', run_strategy: { rule: 'PARALLEL', workflow_concurrency: concurrency } },
    workflow: { id: 'doomed', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
  }).workflow!;

describe.each(ADAPTERS)('engine.deleteWorkflow on %s', (_name, openStore) => {
  async function engine(): Promise<{ engine: Engine; store: Store }> {
    const store = await openStore();
    const e = createEngine(
      { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      { timeScale: 0.001 },
    );
    open.push({ engine: e, store });
    e.start();
    return { engine: e, store };
  }

  it('refuses starts and restarts once the deletion has begun, and lets no queued run in', async () => {
    const { engine: e, store } = await engine();
    await e.createWorkflow(definition(1));
    const done = await e.startRun({ workflow_id: 'doomed' });
    await e.waitForEnd(done.run);
    // a workflow that lets nobody in: its next run stays queued
    await store.transact((tx) =>
      tx.updateProperties('doomed', { run_strategy: { rule: 'PARALLEL', workflow_concurrency: 0 } }, 't', 1),
    );
    const queued = await e.startRun({ workflow_id: 'doomed' });
    expect(queued.run.status).toBe('CREATED');
    await store.transact((tx) => tx.markWorkflowDeleted('doomed', 2));
    await expect(e.restart({ workflow_id: 'doomed', instance_id: 1 })).rejects.toThrow(NotFoundError);
    await expect(e.startRun({ workflow_id: 'doomed' })).rejects.toThrow(NotFoundError);
    // an admission of a workflow being deleted lets nothing in, whatever its rules would have said
    expect(await store.transact((tx) => admitWorkflow(tx, 'doomed'))).toEqual({ runs: [], more: false });
    expect((await e.getRun(queued.run))?.run.status).toBe('CREATED');

    await e.deleteWorkflow('doomed', 1);
    expect(await e.getRun(queued.run)).toBeUndefined();
    expect(await e.getRun(done.run)).toBeUndefined();
    await expect(e.deleteWorkflow('doomed')).rejects.toThrow(NotFoundError);

    const again = await e.createWorkflow(definition(1));
    expect(again.version_id).toBe(2);
    const fresh = await e.startRun({ workflow_id: 'doomed' });
    expect(fresh.run.instance_id).toBe(3);
    expect((await e.waitForEnd(fresh.run)).run.status).toBe('SUCCEEDED');
  });
});
