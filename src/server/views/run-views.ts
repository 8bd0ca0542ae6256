import { rollupOf } from '../../engine/children.js';
import { stepToJson, workflowToJson } from '../../dsl/to-json.js';
import type { Plan } from '../../engine/plan.js';
import type { LoadedRun } from '../../engine/run-record.js';
import type { StartResult } from '../../engine/start-run.js';
import type { AttemptRecord, StepState } from '../../engine/state.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/json.js';
import { stepUuid } from '../../events/event-shape.js';
import { REDACTED, redactStep, redactWorkflow, secretParamNames } from '../../params/secrets.js';
import type { RunRecord } from '../../store/port.js';

// Runs and steps in Maestro's shapes (WorkflowInstance, StepInstance): times in epoch milliseconds, users as plain
// names, timelines as arrays of events.

/** The identity every instance view and live event starts with. */
export function runIdentity(run: RunRecord): JsonObject {
  return {
    workflow_id: run.workflow_id,
    workflow_instance_id: run.instance_id,
    workflow_run_id: run.run_id,
    workflow_uuid: run.request_id,
    correlation_id: run.correlation_id,
    workflow_version_id: run.version_id,
  };
}

function callerName(initiator: JsonObject): string {
  const user = initiator['user'];
  if (typeof user === 'string') return user;
  if (isJsonObject(user) && typeof user['name'] === 'string') return user['name'];
  return 'anonymous';
}

/** Maestro's WorkflowStartResponse (also the answer to a restart). */
export function startResponseView(started: StartResult): JsonObject {
  const { run } = started;
  const message =
    started.status === 'DUPLICATED'
      ? `a run with request id [${run.request_id}] exists already; nothing new was started`
      : run.run_id > 1
        ? `Restarted the workflow instance by a user [${callerName(run.initiator)}] (run ${run.run_id})`
        : `Manually run a new workflow instance by a user [${callerName(run.initiator)}]`;
  return {
    workflow_id: run.workflow_id,
    workflow_version_id: run.version_id,
    workflow_instance_id: run.instance_id,
    workflow_run_id: run.run_id,
    workflow_uuid: run.request_id,
    status: started.status,
    timeline_event: { timestamp: run.create_time, type: 'LOG', level: 'INFO', message },
  };
}

/**
 * Evaluated params as Maestro's Parameter objects (value, type, mode, evaluated result and time, source). Params
 * named in `secret` show `********` instead of their value.
 */
export function paramsView(
  params: JsonObject | undefined,
  secret: ReadonlySet<string> = new Set(),
): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, raw] of Object.entries(params ?? {})) {
    const p = isJsonObject(raw) ? raw : { value: raw };
    const value = secret.has(name) ? REDACTED : (p['value'] ?? null);
    out[name] = {
      value,
      type: p['type'] ?? typeOf(value),
      ...(p['mode'] === undefined ? {} : { mode: p['mode'] }),
      evaluated_result: value,
      ...(p['evaluated_time'] === undefined ? {} : { evaluated_time: p['evaluated_time'] }),
      ...(p['source'] === undefined ? {} : { source: p['source'] }),
    };
  }
  return out;
}

function typeOf(value: JsonValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'LONG' : 'DOUBLE';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (Array.isArray(value)) return 'STRING_ARRAY';
  if (isJsonObject(value)) return 'MAP';
  return 'STRING';
}

/** Counts of the run's steps by status with `[ordinal, start, end]` of each (Maestro's runtime_overview). */
function runtimeOverview(loaded: LoadedRun, plan: Plan): JsonObject {
  const overview: Record<string, { cnt: number; steps: (number | null)[][] }> = {};
  plan.order.forEach((id, index) => {
    const step = loaded.state.steps[id];
    if (!step) return;
    const entry = (overview[step.status] ??= { cnt: 0, steps: [] });
    entry.cnt++;
    entry.steps.push([index + 1, step.start_time ?? null, step.end_time ?? null]);
  });
  // Leaf steps across the tree below the run: a step that ran runs counts what they rolled up (`rollupOf`).
  const rollup = Object.fromEntries(
    Object.entries(rollupOf(loaded.state)).map(([status, cnt]) => [status, { cnt }]),
  );
  const notCreated = plan.order.filter((id) => loaded.state.steps[id] === undefined).length;
  const counted = Object.values(rollup).reduce((n, r) => n + r.cnt, 0);
  return {
    total_step_count: plan.order.length,
    step_overview: overview,
    rollup_overview: { total_leaf_count: counted + notCreated, overview: rollup },
  };
}

/** A run's timeline: how it was started, then its statuses at their times. */
function runTimeline(run: RunRecord): JsonValue[] {
  const events: JsonObject[] = [
    {
      timestamp: run.create_time,
      type: 'LOG',
      level: 'INFO',
      message: `${String(run.initiator['type'] ?? 'MANUAL')} start by [${callerName(run.initiator)}]`,
    },
    { timestamp: run.create_time, type: 'STATUS', status: 'CREATED' },
  ];
  if (run.start_time !== undefined)
    events.push({ timestamp: run.start_time, type: 'STATUS', status: 'IN_PROGRESS' });
  if (run.end_time !== undefined)
    events.push({ timestamp: run.end_time, type: 'STATUS', status: run.status });
  return events;
}

/** One run of an instance, as Maestro's WorkflowInstance; params marked secret show no value (params/secrets.ts). */
export function runView(loaded: LoadedRun, plan: Plan, owner?: string): JsonObject {
  const { run, state } = loaded;
  const secret = secretParamNames(plan.workflow);
  const dag: Record<string, JsonObject> = {};
  for (const id of plan.order) {
    const step = plan.steps.get(id)!;
    const predecessors = plan.predecessors.get(id) ?? [];
    dag[id] = {
      ...(predecessors.length > 0 ? { predecessors: [...predecessors] } : {}),
      ...(Object.keys(step.transition.successors).length > 0
        ? { successors: { ...step.transition.successors } }
        : {}),
    };
  }
  return {
    ...runIdentity(run),
    run_config: { policy: (run.state as { run_policy?: string }).run_policy ?? 'START_FRESH_NEW_RUN' },
    run_properties: { create_time: run.create_time, ...(owner === undefined ? {} : { owner }) },
    runtime_workflow: workflowToJson(redactWorkflow(plan.workflow)),
    runtime_dag: dag,
    params: paramsView(state.params, secret),
    initiator: { depth: 0, ...run.initiator, user: callerName(run.initiator) },
    status: run.status,
    request_time: run.create_time,
    create_time: run.create_time,
    ...(run.start_time === undefined ? {} : { start_time: run.start_time }),
    ...(run.end_time === undefined ? {} : { end_time: run.end_time }),
    modify_time: run.modify_time,
    runtime_overview: runtimeOverview(loaded, plan),
    timeline: runTimeline(run),
    ...(state.message === undefined ? {} : { status_message: state.message }),
  };
}

function runtimeState(a: AttemptRecord | StepState, modify: number): JsonObject {
  return {
    status: a.status,
    ...('create_time' in a ? { create_time: a.create_time } : {}),
    ...(a.start_time === undefined ? {} : { start_time: a.start_time }),
    ...(a.end_time === undefined ? {} : { end_time: a.end_time }),
    modify_time: a.end_time ?? modify,
  };
}

/** One attempt of a step as Maestro's StepInstance; earlier attempts come from the step's history. */
export function stepAttemptView(
  run: RunRecord,
  plan: Plan,
  stepId: string,
  step: StepState,
  attempt: number,
): JsonObject | undefined {
  const record = attempt === step.attempt ? step : step.history?.find((h) => h.attempt === attempt);
  const definition = plan.steps.get(stepId);
  if (!record || !definition) return undefined;
  const current = record === step;
  const retries = step.retries;
  return {
    ...runIdentity(run),
    step_id: stepId,
    step_attempt_id: attempt,
    step_uuid: stepUuid(run, stepId, attempt),
    step_instance_id: plan.order.indexOf(stepId) + 1,
    definition: unwrapStep(stepToJson(redactStep(definition))),
    ...(current && step.params ? { params: paramsView(step.params, secretParamNames(plan.workflow)) } : {}),
    ...(current && step.transitions ? { transition: { successors: step.transitions } } : {}),
    step_retry: {
      error_retries: retries.error,
      platform_retries: retries.platform,
      timeout_retries: retries.timeout,
      manual_retries: 0,
      retryable: true,
    },
    runtime_state: runtimeState(record, run.modify_time),
    ...(current ? signalViews(step) : {}),
    ...(current && step.artifacts && Object.keys(step.artifacts).length > 0
      ? { artifacts: step.artifacts }
      : {}),
    // Baton's counters for a step that runs runs: leaf steps below it, and its runs, by status.
    ...(current && step.rollup ? { rollup: step.rollup } : {}),
    ...(current && step.children ? { children: step.children } : {}),
    ...(record.message === undefined ? {} : { status_message: record.message }),
    ...(record.worker === undefined ? {} : { worker: record.worker }),
  };
}

/**
 * A step attempt's signal dependencies and outputs in Maestro's shapes (`SignalDependencies`, `SignalOutputs`):
 * `{dependencies: [{name, status, match_params, signal_id}]}` and `{outputs: [{name, params, payload, signal_id,
 * announce_time}]}`. The params of the matched instances stay in the run state (`getFromSignalDependency` reads them).
 */
function signalViews(step: StepState): JsonObject {
  const out: Record<string, JsonValue> = {};
  if (step.signal_dependencies)
    out['signal_dependencies'] = {
      dependencies: step.signal_dependencies.map(
        ({ params: _matched, ...dep }) => dep as unknown as JsonObject,
      ),
    };
  if (step.signal_outputs)
    out['signal_outputs'] = { outputs: step.signal_outputs as unknown as JsonObject[] };
  return out;
}

/** A step's definition without the `{"step": ...}` wrapper of the workflow's step list (Maestro's Step JSON). */
function unwrapStep(json: JsonObject): JsonValue {
  const values = Object.values(json);
  return values.length === 1 && isJsonObject(values[0]) ? values[0] : json;
}
