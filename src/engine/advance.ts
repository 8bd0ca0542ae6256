import { STEP_STATUS_TRAITS } from '../model/status.js';
import type { Draft } from './draft.js';
import { finalStatus, isSettled } from './decide.js';

/**
 * Moves a run forward after an event, to a fixed point (REFERENCE §2.5): a step whose predecessors have all
 * settled is created when any of them chose it (its transition condition held) and marked UNSATISFIED when none
 * did; a failed, stopped or timed-out predecessor blocks it for good. When nothing is running or waiting for a
 * retry and nothing more can start, the run ends with the status the steps add up to.
 */
export function advance(draft: Draft): void {
  const { plan } = draft.ctx;
  if (!draft.run.ending) {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const id of plan.order) {
        if (draft.steps[id]) continue;
        const preds = plan.predecessors.get(id)!;
        if (!preds.every((p) => draft.steps[p] && isSettled(draft.steps[p].status))) continue;
        if (!preds.every((p) => STEP_STATUS_TRAITS[draft.steps[p]!.status].complete)) continue; // blocked for good
        const chosen = preds.length === 0 || preds.some((p) => draft.steps[p]!.transitions?.[id] === true);
        if (chosen) draft.startAttempt(id, 1);
        else {
          const transitions = Object.fromEntries(Object.keys(plan.steps.get(id)!.transition.successors).map((s) => [s, false]));
          draft.set(id, { status: 'UNSATISFIED', attempt: 1, retries: { error: 0, platform: 0, timeout: 0 }, create_time: draft.now, end_time: draft.now, transitions });
        }
        progressed = true;
      }
    }
  }
  const active = Object.values(draft.steps).some((s) => !isSettled(s.status));
  if (active) return;
  const status = draft.run.ending ?? finalStatus(draft.steps);
  draft.patchRun({ end_time: draft.now });
  draft.setStatus(status);
  draft.effects.push({ type: 'run_ended', status });
}
