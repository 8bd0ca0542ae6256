import type { JsonObject, JsonValue } from '../model/json.js';
import type { Draft } from './draft.js';
import { EvaluationError } from './evaluator.js';
import { evaluateSignalOutputs, hasSignalOutputs } from './signal-outputs.js';
import type { StepState } from './state.js';

/**
 * Ends a step as complete (SUCCEEDED, COMPLETED_WITH_ERROR, SKIPPED): merges its outputs into its params, decides
 * each outgoing transition now, while its params are at hand, and announces its signal outputs (a SUCCEEDED step).
 */
export function completeStep(
  draft: Draft,
  id: string,
  status: 'SUCCEEDED' | 'COMPLETED_WITH_ERROR' | 'SKIPPED',
  outputs?: { readonly [k: string]: JsonValue },
  message?: string,
): void {
  const s = draft.steps[id]!;
  const params: JsonObject = outputs
    ? { ...s.params, ...draft.ctx.evaluator.outputs(outputs, s.params) }
    : (s.params ?? {});
  const transitions: Record<string, boolean> = {};
  const successors = Object.entries(draft.stepDef(id).transition.successors);
  const scope = successors.length === 0 ? undefined : draft.scope(params, id);
  for (const [successor, condition] of successors) {
    try {
      transitions[successor] = draft.ctx.evaluator.condition(condition, scope!);
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      draft.set(id, {
        ...s,
        status: 'INTERNALLY_FAILED',
        end_time: draft.now,
        message: `condition to '${successor}' (${condition}) cannot be evaluated: ${error.message}`,
      });
      return;
    }
  }
  const signals =
    status === 'SUCCEEDED' && hasSignalOutputs(draft.stepDef(id).signal_outputs, outputs)
      ? evaluateSignalOutputs(draft, id, params, outputs)
      : undefined;
  if (typeof signals === 'string')
    return draft.set(id, { ...s, status: 'INTERNALLY_FAILED', end_time: draft.now, message: signals });
  const done: StepState = {
    ...s,
    status,
    params,
    transitions,
    end_time: draft.now,
    ...(outputs ? { outputs } : {}),
    ...(signals ? { signal_outputs: signals } : {}),
  };
  draft.set(id, message === undefined ? done : { ...done, message });
  if (signals && signals.length > 0) {
    const step_instance_id = draft.ctx.plan.order.indexOf(id) + 1;
    draft.effects.push({
      type: 'announce_signals',
      step_id: id,
      attempt: s.attempt,
      step_instance_id,
      signals,
    });
  }
}
