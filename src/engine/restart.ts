import { STEP_STATUS_TRAITS } from '../model/status.js';
import type { Plan } from './plan.js';
import type { StepState } from './state.js';

export const RestartPolicy = {
  RESTART_FROM_INCOMPLETE: 'RESTART_FROM_INCOMPLETE',
  RESTART_FROM_BEGINNING: 'RESTART_FROM_BEGINNING',
  RESTART_FROM_SPECIFIC: 'RESTART_FROM_SPECIFIC',
} as const;
export type RestartPolicy = (typeof RestartPolicy)[keyof typeof RestartPolicy];

/**
 * The steps a restart carries over from the previous run (REFERENCE §5): from the beginning, none; from incomplete
 * (the default), every step that completed (SUCCEEDED, COMPLETED_WITH_ERROR, SKIPPED, UNSATISFIED...), so only
 * what failed, stopped, timed out or never ran runs again; from a specific step, the completed steps except that
 * step and everything downstream of it. Carried steps keep their params and outputs, so `step__param` downstream
 * still reads them.
 */
export function carriedSteps(
  plan: Plan,
  previous: { readonly [id: string]: StepState },
  policy: RestartPolicy,
  fromStep?: string,
): Record<string, StepState> {
  if (policy === 'RESTART_FROM_BEGINNING') return {};
  const rerun =
    policy === 'RESTART_FROM_SPECIFIC' && fromStep !== undefined
      ? downstreamOf(plan, fromStep)
      : new Set<string>();
  const out: Record<string, StepState> = {};
  for (const id of plan.order) {
    const s = previous[id];
    if (!s || rerun.has(id) || !STEP_STATUS_TRAITS[s.status].complete) continue;
    out[id] = { ...s, carried: true };
  }
  return out;
}

/** A step and every step reachable from it. */
export function downstreamOf(plan: Plan, stepId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [stepId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...Object.keys(plan.steps.get(id)?.transition.successors ?? {}));
  }
  return seen;
}
