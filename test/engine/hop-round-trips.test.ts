// A queued step's hop on PostgreSQL: the transaction that applies a step's result and hands the next step to a
// local worker waits on the server 3 times (it sent 11 statements one by one, 11 round trips, before they were
// pipelined; 4 while permits had a round trip of their own), reads no workflow rules while their version holds,
// reads a permit key's state with one statement, and still ends the run as before.
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { recordStatements, roundTrips, transactions } from '../support/pg-statements.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON } from '../support/postgres.js';

const chain = parseDefinition({
  properties: { owner: 'test' },
  workflow: {
    id: 'chain',
    steps: ['a', 'b', 'c'].map((id, i, ids) => ({
      step: {
        id,
        type: 'Sleep',
        params: { sleep_seconds: { type: 'LONG', value: 0 } },
        transition: { successors: i + 1 < ids.length ? { [ids[i + 1]!]: 'true' } : {} },
      },
    })),
  },
}).workflow!;

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('a queued step hop on PostgreSQL', () => {
    it('applies a step result and dispatches the next step in 3 round trips', async () => {
      const store = await openTestPgStore(systemClock);
      const engine = createEngine(
        { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
        { workers: 4 },
      );
      engine.start();
      try {
        await engine.createWorkflow(chain);
        // a first run fills the caches a long-running engine has (definitions, runs, prepared statements)
        await engine.waitForEnd((await engine.startRun({ workflow_id: 'chain' })).run);
        const recorder = recordStatements();
        let ended;
        try {
          ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'chain' })).run);
        } finally {
          recorder.restore();
        }
        expect(ended.run.status).toBe('SUCCEEDED');
        expect(Object.values(ended.state.steps).map((s) => s.status)).toEqual([
          'SUCCEEDED',
          'SUCCEEDED',
          'SUCCEEDED',
        ]);
        // one transaction per step result (the last one also ends the run); admissions lock no runs
        const results = transactions(recorder.log).filter(
          (tx) => tx.some((s) => s.text === 'lockRuns') && tx.some((s) => s.text === 'ackAndAppend'),
        );
        expect(results).toHaveLength(3);
        for (const tx of results) {
          const names = tx.map((s) => s.text);
          expect(names).toEqual(expect.arrayContaining(['lockRuns', 'writeRuns']));
          // the workflow's rules were read in an earlier transaction at the rules version the run lock reports
          expect(names).not.toContain('getWorkflowRules');
          // a permit key's state (held, and whether anyone waits) is its locked count row alone
          expect(names).not.toContain('waitingKeys');
        }
        // A hop alone. (The first result's batch may also carry the admission that run 1's end asked for; its own
        // reads, getWorkflow then countRunsByStatus, wait on the server twice more.)
        const hops = results.filter((tx) => !tx.some((s) => s.text === 'getWorkflow'));
        expect(hops.length).toBeGreaterThanOrEqual(2);
        for (const tx of hops) expect(roundTrips(tx)).toBeLessThanOrEqual(3);
      } finally {
        await engine.stop();
        await store.close();
      }
    });
  });
}
