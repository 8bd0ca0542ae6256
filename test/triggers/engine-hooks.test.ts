// The engine's side of triggers: an engine that would claim scheduler work needs the hooks that do it.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { IllegalStateError } from '../../src/model/errors.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

describe('an engine and the schedule claim', () => {
  it('refuses to claim scheduler work without trigger hooks (it would ack signals nobody matched)', async () => {
    const clock = new FakeClock();
    const store = await openSqliteStore({ clock }, { path: ':memory:' });
    try {
      const deps = { store, clock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() };
      expect(() => createEngine(deps, { claims: ['schedule'] })).toThrow(IllegalStateError);
      // Without hooks the default claims leave signal items alone.
      const engine = createEngine(deps, { pollMs: 0 });
      engine.start();
      await store.transact((tx) =>
        tx.enqueue([
          { kind: 'signal', workflow_id: '', instance_id: 0, run_id: 0, payload: {}, run_at: clock.now() },
        ]),
      );
      // The enqueue woke the engine; its claim is queued on the store before this transaction (one writer, FIFO).
      await store.transact(async () => undefined);
      await engine.stop();
      const left = await store.transact((tx) => tx.claim('me', clock.now(), 1000, 10, ['signal']));
      expect(left).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
