import { randomUUID } from 'node:crypto';
import type { Workflow } from '../model/definition.js';
import { IllegalStateError, NotFoundError } from '../model/errors.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { JsonObject } from '../model/json.js';
import type {
  NewRun,
  ParentRef,
  RunKey,
  RunRecord,
  StoreTx,
  VersionKey,
  WorkflowRecord,
} from '../store/port.js';
import type { Clock } from './clock.js';
import type { AfterCommit, CommitJob } from './committer.js';
import { initiatorInfo, type Evaluator, type RunParamsInput } from './evaluator.js';
import { withSignal } from './signal-initiator.js';
import type { ParamMap } from '../model/param.js';
import { admitItem } from './carry-out.js';
import { carriedSteps, type RestartPolicy } from './restart.js';
import { priorDependencies } from './signal-deps.js';
import { priorChildren } from './subworkflow.js';
import { runStateJson, stateOf, stepRecords } from './run-record.js';
import { planOf } from './plan.js';
import type { RunState } from './state.js';

export type VersionSelector = 'active' | 'latest' | 'default' | number;

export interface StartRequest {
  readonly workflow_id: string;
  readonly version?: VersionSelector;
  /** Param values for this run (`{"name": value}`), merged over the definition's params. */
  readonly run_params?: JsonObject;
  /** Run params as Maestro's definitions (`{"name": {"value": v, "type": T}}` or an `expression`), as the API takes them. */
  readonly run_param_definitions?: ParamMap;
  /** Makes the start idempotent: a second start with the same id returns the first run (DUPLICATED). */
  readonly request_id?: string;
  readonly initiator?: JsonObject;
  /** The step attempt of another run this run belongs to (a foreach iteration, a subworkflow). */
  readonly parent?: ParentRef;
  /** The correlation id of the tree it joins (its parent's); a run of its own starts one. */
  readonly correlation_id?: string;
  /** The limit of leaf steps running at once in the tree it joins (its root's `instance_step_concurrency`). */
  readonly instance_step_concurrency?: number;
  /**
   * Its caller starts it in the same transaction (a loop's iteration, whose loop keeps its own concurrency): no
   * admission is asked for, and its workflow's run strategy does not hold it.
   */
  readonly admitted?: boolean;
}

export interface RestartRequest {
  readonly workflow_id: string;
  readonly instance_id: number;
  readonly policy?: RestartPolicy;
  /** For RESTART_FROM_SPECIFIC: the step to run again, with everything downstream of it. */
  readonly step_id?: string;
  readonly run_params?: JsonObject;
  readonly run_param_definitions?: ParamMap;
  readonly request_id?: string;
  /** The step attempt the restarted run belongs to from now on (a subworkflow's child restarted with its parent). */
  readonly parent?: ParentRef;
  /** Its initiator from now on (that child's, naming its new parent among its ancestors). */
  readonly initiator?: JsonObject;
}

export interface StartResult {
  readonly status: 'CREATED' | 'DUPLICATED' | 'STOPPED';
  readonly run: RunRecord;
}

export interface StarterDeps {
  readonly clock: Clock;
  readonly evaluator: Evaluator;
  readonly definitionOf: (tx: StoreTx, workflowId: string, versionId: number) => Promise<Workflow>;
  readonly apply: (tx: StoreTx, jobs: readonly CommitJob[], after: AfterCommit) => Promise<unknown>;
  /**
   * Asks for an admission of the queued runs of each asker's workflow, in a transaction of its own after this one: a start stays
   * short (it holds the workflow's instance counter until it commits), and admissions are made by engines, in batches.
   */
  readonly requestAdmissions: (tx: StoreTx, askers: readonly RunKey[], after: AfterCommit) => Promise<void>;
  /** Reads the definitions of these versions that are not cached yet, in one go (`definitionOf` then finds them). */
  readonly prefetchDefinitions: (tx: StoreTx, keys: readonly VersionKey[]) => Promise<void>;
}

/**
 * A new run of a start request, CREATED, with its workflow params evaluated (bad params throw: nothing is stored).
 */
export async function freshRun(
  deps: StarterDeps,
  tx: StoreTx,
  workflow: WorkflowRecord,
  request: StartRequest,
  versionId: number,
  instanceId: number,
  requestId: string,
  now: number,
): Promise<{ key: RunKey; state: RunState; run: NewRun }> {
  const definition = await deps.definitionOf(tx, request.workflow_id, versionId);
  const key: RunKey = { workflow_id: request.workflow_id, instance_id: instanceId, run_id: 1 };
  const initiator = request.initiator ?? { type: 'MANUAL' };
  const correlation = request.correlation_id ?? `${key.workflow_id}:${key.instance_id}:${key.run_id}`;
  const params = deps.evaluator.workflowParams(
    definition,
    runParamsInput(request),
    {
      ...key,
      ...initiatorInfo(initiator),
      run_policy: 'START_FRESH_NEW_RUN',
      correlation_id: correlation,
      ...(workflow.properties.owner ? { owner: workflow.properties.owner.name } : {}),
      ...withSignal(initiator),
    },
    now,
  );
  const state: RunState & { run_policy: string } = {
    params,
    steps: {},
    run_policy: 'START_FRESH_NEW_RUN',
    ...(request.instance_step_concurrency === undefined
      ? {}
      : { instance_step_concurrency: request.instance_step_concurrency }),
  };
  const run: NewRun = {
    ...key,
    version_id: versionId,
    request_id: requestId,
    status: 'CREATED',
    correlation_id: correlation,
    initiator,
    state: runStateJson(state),
    create_time: now,
    ...(request.parent ? { parent: request.parent } : {}),
  };
  return { key, state, run };
}

/**
 * A restart: a new run of the same instance (run_id + 1) on the same version, with the previous run's params
 * (each kept or re-evaluated as its mode says) and its completed steps carried over as the policy says. It is
 * queued through the run strategy like any start. Only the latest run may be restarted, and only once it ended.
 */
export async function restartRun(
  deps: StarterDeps,
  tx: StoreTx,
  request: RestartRequest,
  after: AfterCommit,
): Promise<StartResult> {
  // Holds the workflow's counter (as a start does) so a deletion cannot remove the workflow under the restart; a
  // workflow being deleted is not found, and nothing of it restarts.
  await tx.nextInstanceId(request.workflow_id, 0);
  const previous = await tx.getLatestRun(request.workflow_id, request.instance_id);
  if (!previous)
    throw new NotFoundError(`workflow '${request.workflow_id}' has no instance ${request.instance_id}`);
  if (!WORKFLOW_INSTANCE_TRAITS[previous.status].terminal) {
    throw new IllegalStateError(
      `instance ${request.instance_id} of '${request.workflow_id}' is ${previous.status}; only an ended run can be restarted`,
    );
  }
  const requestId = request.request_id ?? randomUUID();
  const existing = await tx.findRunByRequestId(request.workflow_id, requestId);
  if (existing) return { status: 'DUPLICATED', run: existing };
  const workflow = await tx.getWorkflow(request.workflow_id);
  const definition = await deps.definitionOf(tx, request.workflow_id, previous.version_id);
  const policy =
    request.policy ?? (request.step_id === undefined ? 'RESTART_FROM_INCOMPLETE' : 'RESTART_FROM_SPECIFIC');
  const plan = planOf(definition);
  if (request.step_id !== undefined && !plan.steps.has(request.step_id)) {
    throw new NotFoundError(`workflow '${request.workflow_id}' has no step '${request.step_id}'`);
  }
  const now = deps.clock.now();
  const key: RunKey = {
    workflow_id: request.workflow_id,
    instance_id: request.instance_id,
    run_id: previous.run_id + 1,
  };
  const correlation = previous.correlation_id;
  const prevState = stateOf(previous, await tx.getSteps(previous));
  const params = deps.evaluator.restartParams(
    definition,
    prevState.params,
    runParamsInput(request),
    {
      ...key,
      ...initiatorInfo(previous.initiator),
      run_policy: policy,
      correlation_id: correlation,
      ...withSignal(previous.initiator),
      ...(workflow?.properties.owner ? { owner: workflow.properties.owner.name } : {}),
    },
    now,
  );
  // A restarted FAILED run no longer holds a STRICT_SEQUENTIAL queue (REFERENCE §4.1: it is restarted, as if
  // unblocked); its restart is queued like any start.
  if (previous.status === 'FAILED') await tx.unblockRun(previous);
  const steps = carriedSteps(plan, prevState.steps, policy, request.step_id);
  const prior = priorDependencies(prevState, steps);
  const children = priorChildren(plan, prevState, steps);
  const inherited = (prevState as RunState).instance_step_concurrency;
  const state: RunState & { run_policy: string } = {
    params,
    steps,
    run_policy: policy,
    ...(prior ? { prior_dependencies: prior } : {}),
    ...(children ? { prior_children: children } : {}),
    ...(inherited === undefined ? {} : { instance_step_concurrency: inherited }),
  };
  const inserted = await tx.insertRun({
    ...key,
    version_id: previous.version_id,
    request_id: requestId,
    status: 'CREATED',
    correlation_id: correlation,
    initiator: request.initiator ?? previous.initiator,
    state: runStateJson(state),
    create_time: now,
    // A child restarted by its restarted parent belongs to the parent's new attempt.
    ...((request.parent ?? previous.parent) ? { parent: request.parent ?? previous.parent } : {}),
  });
  if (!inserted)
    throw new IllegalStateError(`run ${key.run_id} of instance ${key.instance_id} could not be stored`);
  await tx.putSteps(key, stepRecords(state, Object.keys(steps)));
  await deps.requestAdmissions(tx, [key], after);
  return { status: 'CREATED', run: inserted };
}

/**
 * `requestAdmissions` for a process: one item per workflow, leased to the process itself when it admits (the
 * `decide` role, running), so its own committer takes them after the commit; otherwise left for the engines, which a
 * NOTIFY or their next look wakes.
 */
export function admissionRequester(
  clock: Clock,
  self: { readonly owner: string; readonly leaseMs: number; readonly local: () => boolean },
): StarterDeps['requestAdmissions'] {
  return async (tx, askers, after) => {
    const now = clock.now();
    const lease = self.local() ? { owner: self.owner, until: now + self.leaseMs } : undefined;
    const byWorkflow = new Map(askers.map((a) => [a.workflow_id, a]));
    for (const item of await tx.enqueue([...byWorkflow.values()].map((a) => admitItem(a, now, lease)))) {
      if (item.lease_owner === self.owner) after.admits.push(item);
      else after.dueNow = true;
    }
  };
}

export function resolveVersion(
  selector: VersionSelector,
  latest: number,
  active: number,
  workflowId: string,
): number {
  if (typeof selector === 'number') {
    if (selector < 1 || selector > latest)
      throw new NotFoundError(`workflow '${workflowId}' has no version ${selector}`);
    return selector;
  }
  if (selector === 'latest') return latest;
  if (selector === 'active') {
    if (active === 0) throw new NotFoundError(`workflow '${workflowId}' has no active version`);
    return active;
  }
  return active || latest;
}

function runParamsInput(request: StartRequest | RestartRequest): RunParamsInput {
  return {
    ...(request.run_params === undefined ? {} : { values: request.run_params }),
    ...(request.run_param_definitions === undefined ? {} : { definitions: request.run_param_definitions }),
  };
}
