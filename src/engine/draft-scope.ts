import type { JsonObject } from '../model/json.js';
import type { StepInstanceStatus } from '../model/status.js';
import type { RunInfo, Scope } from './evaluator.js';
import type { StepState } from './state.js';

/** Statuses after which a step's params are visible downstream as `step__param`. */
const VISIBLE = new Set<StepInstanceStatus>(['SUCCEEDED', 'COMPLETED_WITH_ERROR', 'SKIPPED']);

/**
 * What a run's expressions see: its workflow params, the step's own (`ownParams`, also readable as
 * `<selfId>__param`), and the params of the steps that finished, gathered only when an expression reads them.
 */
export function scopeOf(
  workflowParams: JsonObject,
  all: { readonly [stepId: string]: StepState },
  info: RunInfo,
  now: number,
  ownParams?: JsonObject,
  selfId?: string,
): Scope {
  let steps: Map<string, JsonObject> | undefined;
  let subworkflows: Map<string, { readonly [stepId: string]: JsonObject }> | undefined;
  return {
    workflowParams,
    ...(ownParams ? { ownParams } : {}),
    // Built only when an expression reads upstream steps: most params and conditions never do.
    get steps() {
      if (!steps) {
        steps = new Map();
        for (const [id, s] of Object.entries(all))
          if (VISIBLE.has(s.status) && s.params) steps.set(id, s.params);
        if (selfId !== undefined && ownParams) steps.set(selfId, ownParams);
      }
      return steps;
    },
    get subworkflows() {
      if (!subworkflows) {
        subworkflows = new Map();
        for (const [id, s] of Object.entries(all))
          if (VISIBLE.has(s.status) && s.child_params) subworkflows.set(id, s.child_params);
      }
      return subworkflows;
    },
    info,
    now,
  };
}
