import type { SubworkflowStep } from '../model/definition.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import { RESERVED_PARAM_NAMES } from '../model/param.js';
import type { WorkflowInstanceStatus } from '../model/status.js';
import { DEFAULT_STEP_PARAM_NAMES, defaultWorkflowParams } from '../params/index.js';
import type { ParentRef, RunKey, RunRecord } from '../store/port.js';
import type { Draft } from './draft.js';
import type { Effect } from './events.js';
import type { StartRequest, VersionSelector } from './start-run.js';
import type { Plan } from './plan.js';
import type { RunState, StepState } from './state.js';
import type { StepResult } from './step-runtime.js';
import { applyStepResult } from './transitions.js';
import { stopIterations } from './foreach.js';

/** Runs below runs, at most (REFERENCE §6: Maestro's workflow depth limit). */
export const MAX_DEPTH = 10;
/** Where a subworkflow step keeps the run it started (Maestro's SubworkflowArtifact fields). */
export const SUBWORKFLOW_ARTIFACT = 'maestro_subworkflow';
/** Params the system sets on every run (workflow_id, owner): the child gets its own. */
const SET_BY_SYSTEM: ReadonlySet<string> = new Set(
  Object.entries(defaultWorkflowParams()).flatMap(([name, d]) =>
    d.internal_mode === 'RESERVED' ? [name] : [],
  ),
);
/** Step params that choose the child and are not passed down to it. */
const TARGET_PARAMS = new Set(['subworkflow_id', 'subworkflow_version', ...DEFAULT_STEP_PARAM_NAMES]);

/**
 * A subworkflow attempt that has its params: it runs (RUNNING) while its child is started in the same transaction
 * (`start_child`). The child's params: the parent's workflow params unless `explicit_params`, then the step's own
 * params over them, less `subworkflow_id` / `subworkflow_version`, which name the child (REFERENCE §2.4).
 */
export function launchSubworkflow(draft: Draft, id: string, waiting: StepState): void {
  const step = draft.stepDef(id) as SubworkflowStep;
  const own = waiting.params ?? {};
  const target = valueOf(own['subworkflow_id']);
  const fail = (message: string) => failLaunch(draft, id, waiting, message);
  if (typeof target !== 'string' || target === '')
    return fail('subworkflow: its param subworkflow_id names no workflow');
  const version = versionOf(valueOf(own['subworkflow_version']));
  if (version === undefined)
    return fail(
      `subworkflow: subworkflow_version '${String(valueOf(own['subworkflow_version']))}' is not a version ` +
        '(a number, active, latest or default)',
    );
  const params: Record<string, JsonValue> = {};
  if (step.explicit_params !== true) Object.assign(params, passedDown(draft.run.params));
  Object.assign(params, passedDown(own, TARGET_PARAMS));
  draft.set(id, { ...waiting, status: 'RUNNING', start_time: draft.now });
  // The tree's limit is its root's: inherited by every run below it (a run below another passes down only that).
  const limit = isBelowAnother(draft.ctx.info.initiator_type)
    ? draft.run.instance_step_concurrency
    : draft.ctx.plan.workflow.instance_step_concurrency;
  // A restarted parent restarts the child its previous run had, rather than starting another (REFERENCE §6).
  const previous = draft.run.prior_children?.[id];
  draft.effects.push({
    type: 'start_child',
    step_id: id,
    attempt: waiting.attempt,
    workflow_id: target,
    version,
    params,
    sync: step.sync !== false,
    ...(previous && previous.workflow_id === target ? { restart: previous } : {}),
    ...(limit === undefined ? {} : { instance_step_concurrency: limit }),
  });
}

/** An attempt that cannot launch what it runs (no target, too many iterations): it fails for good, with why. */
export function failLaunch(draft: Draft, id: string, waiting: StepState, message: string): void {
  draft.set(id, {
    ...waiting,
    status: 'FATALLY_FAILED',
    start_time: draft.now,
    end_time: draft.now,
    message,
  });
}

/** The child was made: the attempt records it, and a fire-and-forget one is done. */
export function applyChildStarted(
  draft: Draft,
  id: string,
  attempt: number,
  child: RunKey,
  versionId: number,
): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt) return;
  const running = s.status === 'RUNNING';
  draft.set(id, {
    ...s,
    artifacts: {
      ...s.artifacts,
      [SUBWORKFLOW_ARTIFACT]: {
        subworkflow_id: child.workflow_id,
        subworkflow_version_id: versionId,
        subworkflow_instance_id: child.instance_id,
        subworkflow_run_id: child.run_id,
      },
    },
  });
  // The attempt ended (stopped, failed with its run) after it asked for the child and before the child was stored:
  // nothing would stop the child, so it is stopped now.
  if (!running) return void draft.effects.push({ type: 'stop_child', step_id: id, attempt, child });
  if ((draft.stepDef(id) as SubworkflowStep).sync === false)
    applyStepResult(draft, id, attempt, { state: 'done' });
}

/** The run(s) the attempt asked for were refused: it fails (a foreach's running iterations stop first). */
export function applyChildStartFailed(draft: Draft, id: string, attempt: number, message: string): void {
  const kind = draft.stepDef(id).kind;
  if (
    (kind === 'foreach' || kind === 'while') &&
    draft.steps[id]?.attempt === attempt &&
    draft.steps[id]?.status === 'RUNNING'
  )
    stopIterations(draft, id);
  applyStepResult(draft, id, attempt, { state: 'fatal_error', message: `${kind}: ${message}` });
}

/** A waiting subworkflow step ends as its child did (REFERENCE §6). */
export function childEndedResult(status: WorkflowInstanceStatus): StepResult {
  switch (status) {
    case 'SUCCEEDED':
      return { state: 'done' };
    case 'STOPPED':
      return { state: 'stopped', message: 'its subworkflow run was stopped' };
    case 'TIMED_OUT':
      return { state: 'timed_out', message: 'its subworkflow run timed out' };
    default:
      return { state: 'fatal_error', message: `its subworkflow run ended ${status}` };
  }
}

/** The child a running subworkflow attempt started, if it has one. */
export function childOf(s: StepState): RunKey | undefined {
  const a = s.artifacts?.[SUBWORKFLOW_ARTIFACT];
  if (!isJsonObject(a)) return undefined;
  return {
    workflow_id: a['subworkflow_id'] as string,
    instance_id: a['subworkflow_instance_id'] as number,
    run_id: a['subworkflow_run_id'] as number,
  };
}

/**
 * The start of the run a `start_child` effect asks for: the same request id however often the transaction is tried
 * (a start of it then finds the run), the parent's correlation id (one through the whole tree), and an initiator
 * naming its ancestors, nearest last (Appendix B). A string when it may not start: too deep.
 */
export function childStartRequest(
  parent: RunRecord,
  effect: Extract<Effect, { type: 'start_child' }>,
): (StartRequest & { readonly parent: ParentRef; readonly request_id: string }) | string {
  const link = treeLink(parent, 'SUBWORKFLOW', effect.step_id, effect.attempt, effect.sync);
  if (typeof link === 'string') return link;
  return {
    workflow_id: effect.workflow_id,
    version: effect.version,
    run_param_definitions: effect.params as never,
    request_id: `${parent.workflow_id}:${parent.instance_id}:${parent.run_id}:${effect.step_id}:${effect.attempt}`,
    ...link,
    ...(effect.instance_step_concurrency === undefined
      ? {}
      : { instance_step_concurrency: effect.instance_step_concurrency }),
  };
}

/**
 * How a run below a step attempt joins its parent's tree: the parent's correlation id, an initiator of `type`
 * naming its ancestors, nearest last (Appendix B), and the attempt it belongs to. A string when it would be too deep.
 */
export function treeLink(
  parent: RunRecord,
  type: 'SUBWORKFLOW' | 'FOREACH' | 'WHILE',
  stepId: string,
  attempt: number,
  sync = true,
): { readonly initiator: JsonObject; readonly parent: ParentRef; readonly correlation_id: string } | string {
  const upstream = parent.initiator as { ancestors?: unknown; depth?: unknown };
  const ancestors = Array.isArray(upstream.ancestors) ? (upstream.ancestors as JsonValue[]) : [];
  const depth = ancestors.length + 1;
  if (depth > MAX_DEPTH) return `it would be ${depth} runs deep; runs nest at most ${MAX_DEPTH} deep`;
  const ref = {
    workflow_id: parent.workflow_id,
    instance_id: parent.instance_id,
    run_id: parent.run_id,
    step_id: stepId,
    attempt,
  };
  const ancestor = {
    workflow_id: ref.workflow_id,
    instance_id: ref.instance_id,
    run_id: ref.run_id,
    step_id: stepId,
    step_attempt_id: attempt,
    ...(type === 'SUBWORKFLOW' ? { sync } : {}),
  };
  return {
    initiator: { type, ancestors: [...ancestors, ancestor], depth },
    parent: ref,
    correlation_id: parent.correlation_id,
  };
}

/** Typed params as definitions a child's start takes (`{type, value}`), less the reserved and the `skip`ped. */
export function passedDown(params: JsonObject, skip?: ReadonlySet<string>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of Object.entries(params)) {
    if (RESERVED_PARAM_NAMES.has(name) || SET_BY_SYSTEM.has(name) || skip?.has(name) || !isJsonObject(p))
      continue;
    if (p['value'] === undefined || p['value'] === null) continue; // an optional param left unset
    out[name] = { type: p['type'] ?? 'STRING', value: p['value'] };
  }
  return out;
}

function valueOf(p: JsonValue | undefined): JsonValue | undefined {
  return isJsonObject(p) ? p['value'] : undefined;
}

function versionOf(v: JsonValue | undefined): VersionSelector | undefined {
  if (v === undefined || v === null) return 'active';
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (v === 'active' || v === 'latest' || v === 'default') return v;
  return /^[1-9][0-9]*$/.test(v) ? Number(v) : undefined;
}

/**
 * What a restarted run's subworkflow steps restart: the child of each step that is not carried over (it runs again),
 * including those that runs before the previous one had and it never reached.
 */
export function priorChildren(
  plan: Plan,
  previous: RunState,
  carried: { readonly [id: string]: StepState },
): RunState['prior_children'] {
  const out: Record<string, RunKey> = { ...previous.prior_children };
  for (const [id, s] of Object.entries(previous.steps)) {
    const step = plan.steps.get(id);
    // Only a child the step waited for (it has ended with it); a fire-and-forget one may still run: a new one starts.
    const child = step?.kind === 'subworkflow' && step.sync !== false ? childOf(s) : undefined;
    if (child) out[id] = child;
  }
  for (const id of Object.keys(carried)) delete out[id];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Initiators of runs that belong to a step of another run (REFERENCE Appendix B: the upstream types). */
const UPSTREAM_INITIATORS: ReadonlySet<string> = new Set(['SUBWORKFLOW', 'FOREACH', 'WHILE', 'TEMPLATE']);

/** Whether a run of this initiator type is below another run in its tree (not a root). */
export function isBelowAnother(initiatorType: string): boolean {
  return UPSTREAM_INITIATORS.has(initiatorType.toUpperCase());
}
