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
    // Sleep stands for a step completed inline (as NoOp is in production), NoOp for one run by a worker.
    types: fc.array(fc.constantFrom('NoOp', 'Sleep'), { minLength: n, maxLength: n }),
  }),
);

describe('decide under random DAGs and event orders', () => {
  it('keeps its invariants', () => {
    fc.assert(
      fc.property(
        dag,
        fc.array(outcome, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        ({ n, edges, modes, retries, types }, outcomes, picks) => {
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
                types[i]!,
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
            {
              inline: (type) =>
                type === 'Sleep'
                  ? (c) => ({ state: outcomeOf(c.step_id, c.attempt) === 'done' ? 'done' : 'user_error' })
                  : undefined,
            },
          );
          function outcomeOf(stepId: string, attempt: number): StepResult['state'] {
            return outcomes[(attempt * 7 + Number(stepId.slice(1))) % Math.max(1, outcomes.length)] ?? 'done';
          }
          const pending: EngineEvent[] = [];
          const completions = new Map<string, number>();
          const deliver = (event: EngineEvent) => {
            const d = h.send(event);
            for (const e of d.effects) {
              if (e.type === 'run_step') {
                for (const p of predecessors.get(e.step_id)!)
                  expect(isSettled(h.run.state.steps[p]!.status), `${p} before ${e.step_id}`).toBe(true);
                const result: StepResult = { state: outcomeOf(e.step_id, e.attempt) };
                pending.push({ type: 'step_result', step_id: e.step_id, attempt: e.attempt, result });
              } else if (e.type === 'timer') {
                pending.push(e.event);
              }
            }
            // Every status change is in an event (inline attempts start and end within one decision).
            for (const e of d.effects) {
              if (e.type !== 'emit' || e.event_type !== 'STEP_INSTANCE_STATUS_CHANGE_EVENT') continue;
              const id = String(e.payload['step_id']);
              const records = e.payload['status_change_records'] as {
                old_status: string;
                new_status: string;
              }[];
              for (const r of records) {
                if (r.new_status === 'RUNNING')
                  for (const p of predecessors.get(id)!)
                    expect(isSettled(h.run.state.steps[p]!.status), `${p} before ${id}`).toBe(true);
                if (r.old_status === 'RUNNING' && STEP_STATUS_TRAITS[r.new_status as 'RUNNING'].terminal) {
                  const key = `${id}#${String(e.payload['step_attempt_id'])}`;
                  completions.set(key, (completions.get(key) ?? 0) + 1);
                }
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
