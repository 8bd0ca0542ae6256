import type { WhileStep } from '../model/definition.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import type { WorkflowInstanceStatus } from '../model/status.js';
import type { Draft } from './draft.js';
import { EvaluationError } from './evaluator.js';
import type { StepState } from './state.js';
import { failLaunch } from './subworkflow.js';
import { applyStepResult } from './transitions.js';
import {
  WHILE_ARTIFACT,
  inlineWorkflowId,
  iterationBase,
  loopTypes,
  scalarType,
  treeLimitOf,
} from './foreach.js';

const WHILE_PREFIX = 'maestro_while_';

/** What a while attempt knows: its inline workflow, iterations launched, and the loop params' current values. */
interface WhileProgress {
  readonly while_workflow_id: string;
  /** Iterations launched: the next one is instance `loop_index + 1`. */
  readonly loop_index: number;
  /** The loop params as the next check of the condition sees them (typed), carried from the last iteration. */
  readonly loop_params: JsonObject;
  readonly condition_evaluations: number;
}

/**
 * A while attempt that has its params: its condition is checked with the initial loop params; true launches the
 * first iteration (a run of the loop's inline workflow), false succeeds with none (REFERENCE §6).
 */
export function launchWhile(draft: Draft, id: string, waiting: StepState): void {
  const step = draft.stepDef(id) as WhileStep;
  const loop = waiting.params?.['loop_params'];
  const values = isJsonObject(loop) ? loop['value'] : undefined;
  if (!isJsonObject(values))
    return failLaunch(draft, id, waiting, 'while: its loop_params is not a MAP of values');
  const types = loopTypes(step);
  const typed: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(values))
    typed[name] = { type: types.get(name) ?? scalarType(value), value };
  const progress: WhileProgress = {
    while_workflow_id: inlineWorkflowId(draft, id, waiting.attempt, WHILE_PREFIX),
    loop_index: 0,
    loop_params: typed,
    condition_evaluations: 0,
  };
  draft.set(id, withProgress({ ...waiting, status: 'RUNNING', start_time: draft.now }, progress));
  next(draft, id, true);
}

/**
 * An iteration of a running while attempt ended: a failed one fails the step, a stopped or timed out one ends it so;
 * a succeeded one carries its steps' params of the loop params' names into the loop params (the last step that has
 * one wins) and the condition decides whether another runs.
 */
export function whileIterationEnded(
  draft: Draft,
  id: string,
  status: WorkflowInstanceStatus,
  steps: { readonly [stepId: string]: JsonObject } | undefined,
): void {
  const s = draft.steps[id]!;
  const progress = progressOf(s);
  if (!progress || s.status !== 'RUNNING') return;
  if (status !== 'SUCCEEDED') {
    const message = `iteration ${progress.loop_index} ended ${status}`;
    if (status === 'STOPPED') return applyStepResult(draft, id, s.attempt, { state: 'stopped', message });
    if (status === 'TIMED_OUT') return applyStepResult(draft, id, s.attempt, { state: 'timed_out', message });
    return applyStepResult(draft, id, s.attempt, { state: 'fatal_error', message });
  }
  const carried: Record<string, JsonValue> = { ...progress.loop_params };
  for (const params of Object.values(steps ?? {}))
    for (const name of Object.keys(progress.loop_params)) {
      // typed as a run param takes it; an optional param left unset leaves the loop param as it was
      const p = params[name];
      if (isJsonObject(p) && p['value'] !== undefined && p['value'] !== null)
        carried[name] = { type: p['type'] ?? 'STRING', value: p['value'] };
    }
  draft.set(id, withProgress(s, { ...progress, loop_params: carried }));
  next(draft, id, false);
}

/** Checks the condition: launches the next iteration when it holds, ends the attempt when it does not. */
function next(draft: Draft, id: string, first: boolean): void {
  const s = draft.steps[id]!;
  const step = draft.stepDef(id) as WhileStep;
  const progress = progressOf(s)!;
  let holds: boolean;
  try {
    holds = draft.ctx.evaluator.condition(
      step.condition,
      draft.scope({ ...s.params, ...progress.loop_params }),
    );
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    return applyStepResult(draft, id, s.attempt, {
      state: 'fatal_error',
      message: `while: its condition '${step.condition}' failed: ${error.message}`,
    });
  }
  const counted = { ...progress, condition_evaluations: progress.condition_evaluations + 1 };
  if (!holds) {
    draft.set(id, withProgress(s, counted));
    return applyStepResult(draft, id, s.attempt, { state: 'done' });
  }
  const limit = draft.ctx.loopIterations ?? DEFAULT_LIMITS.loopIterations;
  if (progress.loop_index >= limit)
    return applyStepResult(draft, id, s.attempt, {
      state: 'fatal_error',
      message: `while: its condition still holds after ${limit} iterations, the most a loop runs`,
    });
  draft.set(id, withProgress(s, { ...counted, loop_index: progress.loop_index + 1 }));
  const params = {
    ...iterationBase(draft, s),
    ...progress.loop_params,
    loop_index: { type: 'LONG', value: progress.loop_index },
  };
  const treeLimit = treeLimitOf(draft);
  draft.effects.push({
    type: 'start_iterations',
    step_id: id,
    attempt: s.attempt,
    workflow_id: progress.while_workflow_id,
    ...(first ? { steps: step.steps } : {}),
    loop: 'WHILE',
    iterations: [{ instance_id: progress.loop_index + 1, params }],
    ...(treeLimit === undefined ? {} : { instance_step_concurrency: treeLimit }),
  });
}

function progressOf(s: StepState): WhileProgress | undefined {
  const a = s.artifacts?.[WHILE_ARTIFACT];
  return isJsonObject(a) ? (a as unknown as WhileProgress) : undefined;
}

function withProgress(s: StepState, progress: WhileProgress): StepState {
  return { ...s, artifacts: { ...s.artifacts, [WHILE_ARTIFACT]: progress as unknown as JsonObject } };
}
