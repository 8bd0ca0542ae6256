import { STEP_STATUS_TRAITS } from '../model/status.js';
import type { Draft } from './draft.js';
import type { EngineEvent, Rollup } from './events.js';
import type { RunState } from './state.js';
import { childEndedResult } from './subworkflow.js';
import { foreachIterationEnded } from './foreach.js';
import { whileIterationEnded } from './while-loop.js';
import { applyStepResult } from './transitions.js';

/**
 * A run that belongs to a step attempt of this run ended (`child_ended`, raised in the transaction that ended it):
 * its final status is counted in the attempt's `children` and its leaf steps in its `rollup`; a subworkflow step
 * that waits for its child then ends as the child did. A child of an earlier attempt, or one that ends after its
 * attempt is over (fire and forget), changes nothing.
 */
export function applyChildEnded(draft: Draft, event: Extract<EngineEvent, { type: 'child_ended' }>): void {
  const { step_id: stepId, attempt, status } = event;
  const s = draft.steps[stepId];
  if (!s || s.attempt !== attempt || STEP_STATUS_TRAITS[s.status].terminal) return;
  const subworkflow = draft.stepDef(stepId).kind === 'subworkflow';
  draft.set(stepId, {
    ...s,
    children: addCounts(s.children, { [status]: 1 }),
    rollup: addCounts(s.rollup, event.rollup ?? {}),
    // what `params.getFromSubworkflow` reads once the step is done
    ...(subworkflow && event.steps ? { child_params: event.steps } : {}),
  });
  switch (draft.stepDef(stepId).kind) {
    case 'subworkflow':
      if (s.status === 'RUNNING') applyStepResult(draft, stepId, attempt, childEndedResult(status));
      return;
    case 'foreach':
      return foreachIterationEnded(draft, stepId, event.child.instance_id);
    case 'while':
      return whileIterationEnded(draft, stepId, status, event.steps);
    default:
      return;
  }
}

/**
 * A run's leaf steps by status: each step that has runs below it counts what they rolled up, every other step
 * (a leaf, a fire-and-forget subworkflow) counts itself once.
 */
export function rollupOf(state: RunState): Rollup {
  const out: Record<string, number> = {};
  for (const s of Object.values(state.steps)) {
    if (s.rollup) for (const [status, n] of Object.entries(s.rollup)) out[status] = (out[status] ?? 0) + n;
    else out[s.status] = (out[s.status] ?? 0) + 1;
  }
  return out;
}

function addCounts(a: Rollup | undefined, b: Rollup): Rollup {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}
