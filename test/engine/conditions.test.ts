// A successor condition that cannot be evaluated, through the whole engine on a real store (SQLite, and PostgreSQL
// when BATON_TEST_PG_URL is set): the run ends FAILED and says where the expression went wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
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

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  it('fails the run when a successor condition reads a param the step does not have', async () => {
    const store = await openStore();
    const engine = createEngine(
      { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      { timeScale: 0.001 },
    );
    open.push({ engine, store });
    const parsed = parseDefinition({
      properties: { owner: 'tester' },
      workflow: {
        id: 'counting',
        steps: [
          {
            step: {
              id: 'count',
              // Shell, not NoOp: a Shell step may write output params, so only the run can tell that `row` is none
              // of them (validation refuses count__row of a NoOp, which has no outputs).
              type: 'Shell',
              params: { rows: { type: 'LONG', value: 12 }, command: { type: 'STRING', value: 'true' } },
              transition: { successors: { report: 'count__row > 10' } },
            },
          },
          { step: { id: 'report', type: 'NoOp' } },
        ],
      },
    });
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await engine.createWorkflow(parsed.workflow);
    engine.start();

    const started = await engine.startRun({ workflow_id: 'counting' });
    const ended = await engine.waitForEnd(started.run);

    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['count']?.status).toBe('INTERNALLY_FAILED');
    expect(ended.state.steps['count']?.message).toBe(
      "condition to 'report' (count__row > 10) cannot be evaluated: line 1, column 1: 'count__row' reads param " +
        "'row' of step 'count', which has no such param (it has 'rows', 'command')",
    );
    expect(ended.state.steps['report']).toBeUndefined();
  });
});
