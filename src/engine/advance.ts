import { STEP_STATUS_TRAITS } from '../model/status.js';
import type { Draft } from './draft.js';
import { finalStatus, isSettled } from './state.js';
import type { Plan } from './plan.js';

/**
 * Moves a run forward after an event, to a fixed point (REFERENCE §2.5): a step whose predecessors have all
 * settled is created when any of them chose it (its transition condition held) and marked UNSATISFIED when none
 * did; a failed, stopped or timed-out predecessor blocks it for good. When nothing is running or waiting for a
 * retry and nothing more can start, the run ends with the status the steps add up to.
 *
 * Only the successors of steps that changed can have become ready (and the roots, at the start), so that is all
 * it looks at: a wide fan-out costs O(changes), not O(steps), per event.
 */
export function advance(draft: Draft): void {
  const { plan } = draft.ctx;
  if (!draft.run.ending) {
    // At the start every step is a candidate (a restarted run begins with carried-over steps); later, only the
    // successors of what changed.
    const candidates: string[] = draft.starting ? [...plan.order] : successorsOf(plan, draft.touched);
    // A candidate not ready yet is looked at again if another of its predecessors settles later in this pass.
    while (candidates.length > 0) {
      const id = candidates.shift()!;
      if (draft.steps[id]) continue;
      const preds = plan.predecessors.get(id)!;
      if (!preds.every((p) => draft.steps[p] && isSettled(draft.steps[p].status))) continue;
      if (!preds.every((p) => STEP_STATUS_TRAITS[draft.steps[p]!.status].complete)) continue; // blocked for good
      const chosen = preds.length === 0 || preds.some((p) => draft.steps[p]!.transitions?.[id] === true);
      if (chosen) draft.startAttempt(id, 1);
      else {
        const transitions = Object.fromEntries(
          Object.keys(plan.steps.get(id)!.transition.successors).map((s) => [s, false]),
        );
        draft.set(id, {
          status: 'UNSATISFIED',
          attempt: 1,
          retries: { error: 0, platform: 0, timeout: 0 },
          create_time: draft.now,
          end_time: draft.now,
          transitions,
        });
      }
      // A step that settled at once (UNSATISFIED, or INTERNALLY_FAILED before running) may free its successors.
      if (isSettled(draft.steps[id]!.status))
        candidates.push(...Object.keys(plan.steps.get(id)!.transition.successors));
    }
  }
  for (const s of Object.values(draft.steps)) if (!isSettled(s.status)) return;
  const status = draft.run.ending ?? finalStatus(draft.steps);
  // Timers this decision armed (the run's timeout, which every run has) can no longer matter: an ended run ignores
  // every event. Dropping them keeps a run that ends in its first decision free of timer rows.
  for (let i = draft.effects.length - 1; i >= 0; i--)
    if (draft.effects[i]!.type === 'timer') draft.effects.splice(i, 1);
  draft.patchRun({ end_time: draft.now });
  draft.setStatus(status);
  draft.effects.push({ type: 'run_ended', status });
}

function successorsOf(plan: Plan, changed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const id of changed) out.push(...Object.keys(plan.steps.get(id)!.transition.successors));
  return out;
}
