// Property tests of decide: random DAGs, random outcomes, random delivery order (with duplicates and late
// deliveries). Invariants from ARCHITECTURE: a step starts only after all its predecessors are terminal; a run is
// terminal exactly when every reachable step is; no step attempt completes twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STEP_STATUS_TRAITS } from '../../src/model/status.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { StepResult } from '../../src/steps/runtime.js';
import { isSettled } from '../../src/engine/decide.js';
import { runHarness, workflowOf } from './harness.js';

const outcome = fc.constantFrom<StepResult['state']>(
  'done',
  'done',
  'done',
  'user_error',
  'platform_error',
  'fatal_error',
);

const dag = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean()), { maxLength: n * 2 }),
    modes: fc.array(fc.constantFrom('fail_after_running', 'fail_immediately', 'ignore_failure'), {
      minLength: n,
      maxLength: n,
    }),
    retries: fc.array(fc.nat(1), { minLength: n, maxLength: n }),
  }),
);

describe('decide under random DAGs and event orders', () => {
  it('keeps its invariants', () => {
    fc.assert(
      fc.property(
        dag,
        fc.array(outcome, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        ({ n, edges, modes, retries }, outcomes, picks) => {
          const ids = Array.from({ length: n }, (_, i) => `s${i}`);
          const successors: Record<string, Record<string, string>> = Object.fromEntries(
            ids.map((id) => [id, {}]),
          );
          for (const [a, b, cond] of edges) if (a < b) successors[ids[a]!]![ids[b]!] = String(cond);
          const predecessors = new Map(
            ids.map((id) => [id, ids.filter((p) => successors[p]![id] !== undefined)]),
          );
          const h = runHarness(
            workflowOf(
              ids.map((id, i): [string, string, Record<string, string>, Record<string, unknown>] => [
                id,
                'NoOp',
                successors[id] ?? {},
                {
                  failure_mode: modes[i],
                  retry_policy: {
                    error_retry_limit: retries[i],
                    platform_retry_limit: retries[i],
                    backoff: {
                      type: 'FIXED_BACKOFF',
                      error_retry_backoff_in_secs: 1,
                      platform_retry_backoff_in_secs: 1,
                    },
                  },
                },
              ]),
            ),
          );
          const pending: EngineEvent[] = [];
          const completions = new Map<string, number>();
          const deliver = (event: EngineEvent) => {
            const before = structuredClone(h.run.state.steps);
            const d = h.send(event);
            for (const e of d.effects) {
              if (e.type === 'run_step') {
                for (const p of predecessors.get(e.step_id)!)
                  expect(isSettled(h.run.state.steps[p]!.status), `${p} before ${e.step_id}`).toBe(true);
                const result: StepResult = {
                  state:
                    outcomes[(e.attempt * 7 + Number(e.step_id.slice(1))) % Math.max(1, outcomes.length)] ??
                    'done',
                };
                pending.push({ type: 'step_result', step_id: e.step_id, attempt: e.attempt, result });
              } else if (e.type === 'timer') {
                pending.push(e.event);
              }
            }
            for (const [id, s] of Object.entries(h.run.state.steps)) {
              const was = before[id];
              if (
                was?.status === 'RUNNING' &&
                was.attempt === s.attempt &&
                STEP_STATUS_TRAITS[s.status].terminal
              ) {
                const key = `${id}#${s.attempt}`;
                completions.set(key, (completions.get(key) ?? 0) + 1);
              }
            }
          };
          deliver({ type: 'start' });
          let i = 0;
          while (pending.length > 0) {
            const pick = (picks[i++ % Math.max(1, picks.length)] ?? 0) % pending.length;
            const [event] = pending.splice(pick, 1);
            deliver(event!);
            if (i % 5 === 0 && event!.type === 'step_result') deliver(event!); // a duplicate delivery
            expect(i).toBeLessThan(10_000);
          }
          for (const count of completions.values()) expect(count).toBe(1);
          const steps = Object.values(h.run.state.steps);
          expect(steps.every((s) => isSettled(s.status))).toBe(true);
          expect(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT']).toContain(h.run.status);
          if (h.run.status === 'SUCCEEDED') {
            // Every step either ran to completion or was never chosen; none is left waiting.
            for (const id of ids) {
              const s = h.run.state.steps[id];
              expect(s !== undefined && STEP_STATUS_TRAITS[s.status].complete).toBe(true);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
