import { STEP_STATUS_TRAITS, type WorkflowInstanceStatus } from '../model/status.js';
import type { Draft } from './draft.js';

/**
 * A run that belongs to a step attempt of this run ended (`child_ended`, raised in the transaction that ended it):
 * its final status is counted in the attempt's `rollup`. A child of an earlier attempt, or one that ends after its
 * attempt is over (fire and forget), changes nothing.
 */
export function applyChildEnded(
  draft: Draft,
  stepId: string,
  attempt: number,
  status: WorkflowInstanceStatus,
): void {
  const s = draft.steps[stepId];
  if (!s || s.attempt !== attempt || STEP_STATUS_TRAITS[s.status].terminal) return;
  draft.set(stepId, { ...s, rollup: { ...s.rollup, [status]: (s.rollup?.[status] ?? 0) + 1 } });
}
