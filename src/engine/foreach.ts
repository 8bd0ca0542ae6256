import { createHash } from 'node:crypto';
import type { ForeachStep, WhileStep } from '../model/definition.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import { DEFAULT_LIMITS, DEFAULTS } from '../model/limits.js';
import { IllegalStateError } from '../model/errors.js';
import type { Draft } from './draft.js';
import type { StepState } from './state.js';
import { failLaunch, isBelowAnother, passedDown } from './subworkflow.js';
import { applyStepResult } from './transitions.js';

/** Where a foreach attempt keeps its progress (Maestro's ForeachArtifact fields, less what Baton keeps elsewhere). */
export const FOREACH_ARTIFACT = 'maestro_foreach';
/** Where a while attempt keeps its progress (Maestro's WhileArtifact fields). */
export const WHILE_ARTIFACT = 'maestro_while';
/** Inline workflows (a loop's iterations) have ids no user workflow may take: `maestro_` is reserved. */
export const INLINE_PREFIX = 'maestro_';
const FOREACH_PREFIX = 'maestro_foreach_';
/** Iterations launched together at most once the first are running (Maestro's `loop-batch-limit`). */
const LAUNCH_CHUNK_MAX = 50;

/** What a foreach attempt knows of its iterations (all counters: nothing here grows with the iteration count). */
export interface ForeachProgress {
  /** The inline workflow whose instance k is iteration k (1-based). */
  readonly foreach_workflow_id: string;
  readonly total_loop_count: number;
  /** Iterations launched so far: the next one is instance `next_loop_index + 1`. */
  readonly next_loop_index: number;
  /** How many iterations run at once. */
  readonly concurrency: number;
  /**
   * With `strict_ordering`: the lowest iteration that has not ended (Maestro's checkpoint), `total + 1` once all
   * have; without, unused (it stays 1).
   */
  readonly checkpoint: number;
  /** Iterations above the checkpoint that ended, ascending (at most `concurrency` of them: strict ordering). */
  readonly ended_above?: readonly number[];
}

/** Whether a workflow id names an inline workflow (a loop's iterations), which listings and admissions skip. */
export function isInlineWorkflow(workflowId: string): boolean {
  return workflowId.startsWith(INLINE_PREFIX);
}

/** A loop's iterations belong to their loop step: started and stopped by it, never by a caller. */
export function refuseInline(workflowId: string, what: string): void {
  if (isInlineWorkflow(workflowId))
    throw new IllegalStateError(
      `'${workflowId}' is a loop's inline workflow: its runs are ${what} by their loop step, not directly`,
    );
}

/**
 * A foreach attempt that has its params: its loop params' cross product is the iteration count (the first loop param
 * varies fastest, REFERENCE §6). An empty product succeeds at once; otherwise the attempt runs (RUNNING) and launches
 * its first iterations, as many as its concurrency allows; each iteration is a run of the loop's inline workflow.
 */
export function launchForeach(draft: Draft, id: string, waiting: StepState): void {
  const step = draft.stepDef(id) as ForeachStep;
  const fail = (message: string) => failLaunch(draft, id, waiting, `foreach: ${message}`);
  const loop = loopValues(waiting.params);
  if (typeof loop === 'string') return fail(loop);
  const total = loop.reduce((n, [, values]) => n * values.length, loop.length === 0 ? 0 : 1);
  const limit = draft.ctx.loopIterations ?? DEFAULT_LIMITS.loopIterations;
  if (total > limit) return fail(`its loop params make ${total} iterations; a foreach runs at most ${limit}`);
  const running: StepState = { ...waiting, status: 'RUNNING', start_time: draft.now };
  if (total === 0) {
    draft.set(id, running);
    return applyStepResult(draft, id, waiting.attempt, { state: 'done', message: 'no iterations' });
  }
  const progress: ForeachProgress = {
    foreach_workflow_id: inlineWorkflowId(draft, id, waiting.attempt),
    total_loop_count: total,
    next_loop_index: 0,
    concurrency: concurrencyOf(draft, step),
    checkpoint: 1,
  };
  draft.set(id, withProgress(running, progress));
  launchIterations(draft, id, true);
}

/**
 * An iteration of a running foreach attempt ended (already counted in its `children`): launch the next ones while
 * none failed, or end the attempt once none runs. A failed iteration stops the launches; with FAIL_IMMEDIATELY it
 * also stops the running ones and fails the step at once (REFERENCE §4.5).
 */
export function foreachIterationEnded(draft: Draft, id: string, iteration: number): void {
  const s = draft.steps[id]!;
  const progress = progressOf(s);
  if (!progress || s.status !== 'RUNNING') return;
  // The checkpoint is kept for strict ordering only, whose window it bounds (and which bounds what it keeps).
  if ((draft.stepDef(id) as ForeachStep).strict_ordering === true)
    draft.set(id, withProgress(s, passCheckpoint(progress, iteration)));
  const failed = (s.children?.['FAILED'] ?? 0) > 0;
  if (failed && draft.stepDef(id).failure_mode === 'FAIL_IMMEDIATELY' && runningCount(s, progress) > 0) {
    stopIterations(draft, id);
    return applyStepResult(draft, id, s.attempt, endResult(s, progress));
  }
  if (!failed) launchIterations(draft, id, false);
  const now = draft.steps[id]!;
  if (runningCount(now, progressOf(now)!) === 0)
    applyStepResult(draft, id, s.attempt, endResult(now, progress));
}

/** The attempt is being cancelled (a stop, a kill, a timeout, its run ending): its unfinished iterations stop. */
export function stopIterations(draft: Draft, id: string): void {
  const s = draft.steps[id]!;
  const workflowId = progressOf(s)?.foreach_workflow_id ?? whileWorkflowOf(s);
  if (workflowId === undefined) return;
  draft.effects.push({ type: 'stop_iterations', step_id: id, attempt: s.attempt, workflow_id: workflowId });
}

/** The inline workflow of a while attempt, once it has launched an iteration. */
function whileWorkflowOf(s: StepState): string | undefined {
  const a = s.artifacts?.[WHILE_ARTIFACT];
  return isJsonObject(a) && typeof a['while_workflow_id'] === 'string' ? a['while_workflow_id'] : undefined;
}

export function progressOf(s: StepState): ForeachProgress | undefined {
  const a = s.artifacts?.[FOREACH_ARTIFACT];
  return isJsonObject(a) ? (a as unknown as ForeachProgress) : undefined;
}

/** Launches iterations while there is room: below the concurrency, counted from the checkpoint when strictly ordered. */
function launchIterations(draft: Draft, id: string, first: boolean): void {
  const s = draft.steps[id]!;
  const progress = progressOf(s)!;
  const step = draft.stepDef(id) as ForeachStep;
  const room =
    step.strict_ordering === true
      ? progress.checkpoint + progress.concurrency - 1 - progress.next_loop_index
      : progress.concurrency - runningCount(s, progress);
  const left = progress.total_loop_count - progress.next_loop_index;
  const count = Math.min(room, left);
  // Launched in chunks (a tenth of the concurrency, at most 50, as Maestro's loop batch limit): one start of many
  // runs costs about what a start of one does, so a big loop does not start its iterations one by one.
  const chunk = Math.max(1, Math.min(LAUNCH_CHUNK_MAX, Math.floor(progress.concurrency / 10)));
  if (count <= 0 || (!first && count < Math.min(chunk, left))) return;
  const loop = loopValues(s.params) as LoopValues;
  const types = loopTypes(step);
  const base = iterationBase(draft, s);
  const iterations = [];
  for (let n = 0; n < count; n++) {
    const index = progress.next_loop_index + n;
    const params: Record<string, JsonValue> = { ...base };
    let rest = index;
    for (const [name, values] of loop) {
      const value = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
      params[name] = { type: types.get(name) ?? scalarType(value), value };
    }
    params['loop_index'] = { type: 'LONG', value: index };
    iterations.push({ instance_id: index + 1, params });
  }
  draft.set(id, withProgress(s, { ...progress, next_loop_index: progress.next_loop_index + count }));
  const limit = treeLimitOf(draft);
  draft.effects.push({
    type: 'start_iterations',
    step_id: id,
    attempt: s.attempt,
    workflow_id: progress.foreach_workflow_id,
    ...(first ? { steps: step.steps } : {}),
    loop: 'FOREACH',
    iterations,
    ...(limit === undefined ? {} : { instance_step_concurrency: limit }),
  });
}

const LOOP_PARAMS = new Set(['loop_params']);

/** What every iteration of a loop attempt gets: the run's workflow params, then the step's own but `loop_params`. */
export function iterationBase(draft: Draft, s: StepState): Record<string, JsonValue> {
  return { ...passedDown(draft.run.params), ...passedDown(s.params ?? {}, LOOP_PARAMS) };
}

type LoopValues = [string, readonly JsonValue[]][];

/** The evaluated loop params, each an array, in definition order; a message when one is not. */
function loopValues(params: StepState['params']): LoopValues | string {
  const loop = params?.['loop_params'];
  const value = isJsonObject(loop) ? loop['value'] : undefined;
  if (!isJsonObject(value)) return 'its loop_params is not a MAP of arrays';
  const out: LoopValues = [];
  for (const [name, values] of Object.entries(value)) {
    if (!Array.isArray(values)) return `its loop param '${name}' is not an array`;
    out.push([name, values]);
  }
  return out;
}

/** Each loop param's element type, from its definition's array type (`LONG_ARRAY` → `LONG`). */
export function loopTypes(step: ForeachStep | WhileStep): Map<string, string> {
  const out = new Map<string, string>();
  const loop = step.params?.['loop_params'];
  const defs = loop && isJsonObject(loop.value as JsonValue) ? (loop.value as JsonObject) : {};
  for (const [name, def] of Object.entries(defs)) {
    const type = isJsonObject(def) && typeof def['type'] === 'string' ? def['type'].toUpperCase() : '';
    if (type !== '') out.set(name, type.endsWith('_ARRAY') ? type.slice(0, -'_ARRAY'.length) : type);
  }
  return out;
}

export function scalarType(value: JsonValue): string {
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number') return Number.isInteger(value) ? 'LONG' : 'DOUBLE';
  return 'STRING';
}

/**
 * Iterations at once (REFERENCE §4.2): the foreach's `concurrency`, at most the tree's derived limit, which is the
 * lower of `instance_step_concurrency` and the workflow's `step_concurrency`, whichever are set, else 20.
 */
function concurrencyOf(draft: Draft, step: ForeachStep): number {
  const set = [treeLimitOf(draft), draft.ctx.stepConcurrency].filter((n): n is number => n !== undefined);
  const derived = set.length > 0 ? Math.min(...set) : DEFAULTS.stepConcurrency;
  return Math.max(1, Math.min(step.concurrency ?? derived, derived));
}

/** The tree's limit of leaf steps at once: its root's, which a run below another inherited. */
export function treeLimitOf(draft: Draft): number | undefined {
  return isBelowAnother(draft.ctx.info.initiator_type)
    ? draft.run.instance_step_concurrency
    : draft.ctx.plan.workflow.instance_step_concurrency;
}

/**
 * The inline workflow of one foreach attempt: the same id however often its transaction is tried (so a start found
 * there is the same iteration), a new one for each attempt of the step and each run of its workflow instance.
 */
export function inlineWorkflowId(draft: Draft, id: string, attempt: number, prefix = FOREACH_PREFIX): string {
  const { workflow_id, instance_id, run_id } = draft.ctx.info;
  const digest = createHash('sha256')
    .update(JSON.stringify([workflow_id, instance_id, run_id, id, attempt]))
    .digest('hex');
  return `${prefix}${digest.slice(0, 32)}`;
}

function withProgress(s: StepState, progress: ForeachProgress): StepState {
  return { ...s, artifacts: { ...s.artifacts, [FOREACH_ARTIFACT]: progress as unknown as JsonObject } };
}

/** Iteration `iteration` ended: the checkpoint moves past every ended iteration in a row. */
function passCheckpoint(p: ForeachProgress, iteration: number): ForeachProgress {
  if (iteration < p.checkpoint || (p.ended_above ?? []).includes(iteration)) return p;
  if (iteration !== p.checkpoint) {
    const above = [...(p.ended_above ?? []), iteration].sort((a, b) => a - b);
    return { ...p, ended_above: above };
  }
  let checkpoint = p.checkpoint + 1;
  const above = [...(p.ended_above ?? [])];
  while (above[0] === checkpoint) {
    above.shift();
    checkpoint += 1;
  }
  const { ended_above: _, ...rest } = p;
  return { ...rest, checkpoint, ...(above.length > 0 ? { ended_above: above } : {}) };
}

function runningCount(s: StepState, p: ForeachProgress): number {
  const ended = Object.values(s.children ?? {}).reduce((a, b) => a + b, 0);
  return p.next_loop_index - ended;
}

/** How the attempt ends (REFERENCE §6): any iteration failed, else timed out, else stopped, else done. */
function endResult(s: StepState, p: ForeachProgress) {
  const c = s.children ?? {};
  const ran = `${p.next_loop_index} of ${p.total_loop_count} iterations ran`;
  if ((c['FAILED'] ?? 0) > 0)
    return { state: 'fatal_error', message: `${c['FAILED']} iteration(s) failed; ${ran}` } as const;
  if ((c['TIMED_OUT'] ?? 0) > 0)
    return { state: 'timed_out', message: `${c['TIMED_OUT']} iteration(s) timed out` } as const;
  if ((c['STOPPED'] ?? 0) > 0)
    return { state: 'stopped', message: `${c['STOPPED']} iteration(s) were stopped` } as const;
  return { state: 'done' } as const;
}
