// `baton run`'s hint for a run that stays queued says what it waits for. Under STRICT_SEQUENTIAL a FAILED run holds
// the queue until it is restarted or unblocked: the hint says so instead of "starts when they end" (nothing ends).
import { afterEach, expect, it } from 'vitest';
import { hintWhileQueued } from '../../src/cli/queue-hint.js';
import { parseDefinition } from '../../src/dsl/parse.js';
import { FakeClock, systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { createStepRuntimes } from '../../src/steps/registry.js';

let open: { engine: Engine; store: Store } | undefined;
afterEach(async () => {
  await open?.engine.stop();
  await open?.store.close();
  open = undefined;
});

it('under STRICT_SEQUENTIAL, says that a FAILED run holds the queue and how to let it go', async () => {
  const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
  const engine = createEngine(
    { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
    { timeScale: 0.001 },
  );
  open = { engine, store };
  const parsed = parseDefinition({
    properties: { owner: 'tester', run_strategy: 'strict_sequential' },
    workflow: {
      id: 'strict',
      steps: [
        {
          step: {
            id: 'work',
            type: 'Shell',
            retry_policy: { error_retry_limit: 0 },
            params: { command: { type: 'STRING', value: 'exit 1' } },
          },
        },
      ],
    },
  });
  await engine.createWorkflow(parsed.workflow!);
  engine.start();
  const failed = await engine.startRun({ workflow_id: 'strict' });
  expect((await engine.waitForEnd(failed.run)).run.status).toBe('FAILED');
  const queued = await engine.startRun({ workflow_id: 'strict' });
  expect(queued.run.status).toBe('CREATED');

  const clock = new FakeClock();
  const lines: string[] = [];
  hintWhileQueued(engine, clock, queued.run, 'runs.db', (line) => lines.push(line));
  clock.advance(2000);
  await expect.poll(() => lines.length).toBe(1);
  expect(lines[0]).toContain('queued behind a FAILED run of strict');
  expect(lines[0]).toContain('baton restart strict <instance> --db runs.db');
  expect(lines[0]).not.toContain('starts when they end');
});
