import { randomUUID } from 'node:crypto';
import type { Workflow } from '../model/definition.js';
import { IllegalStateError, NotFoundError } from '../model/errors.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import type { JsonObject } from '../model/json.js';
import type { NewRun, RunKey, RunRecord, StoreTx, WorkflowRecord } from '../store/port.js';
import type { Clock } from './clock.js';
import type { AfterCommit, CommitJob } from './committer.js';
import { initiatorInfo, type Evaluator, type RunParamsInput } from './evaluator.js';
import { withSignal } from './signal-initiator.js';
import type { ParamMap } from '../model/param.js';
import { admitItem } from './carry-out.js';
import { arrivalOf } from './run-strategy.js';
import { carriedSteps, type RestartPolicy } from './restart.js';
import { priorDependencies } from './signal-deps.js';
import { inLockOrder, runKeyString, runStateJson, stateOf, stepRecords } from './run-record.js';
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
   * Asks for an admission of the workflow's queued runs, in a transaction of its own after this one: a start stays
   * short (it holds the workflow's instance counter until it commits), and admissions are made by engines, in batches.
   */
  readonly requestAdmission: (tx: StoreTx, asker: RunKey, after: AfterCommit) => Promise<void>;
}

/**
 * Creating a run, exactly once per request id: resolve the version, evaluate the workflow params (bad params
 * reject the start and store nothing), apply the run strategy's rule for arrivals, and ask for an admission.
 */
export function createRunStarter(deps: StarterDeps) {
  return {
    /** `read`: the workflow's row, when the caller has just read it. */
    async start(
      tx: StoreTx,
      request: StartRequest,
      after: AfterCommit,
      read?: WorkflowRecord,
    ): Promise<StartResult> {
      const workflow = read ?? (await tx.getWorkflow(request.workflow_id));
      if (!workflow) throw new NotFoundError(`workflow '${request.workflow_id}' does not exist`);
      const versionId = resolveVersion(
        request.version ?? 'default',
        workflow.latest_version_id,
        workflow.active_version_id,
        request.workflow_id,
      );
      // The engine draws a missing id before the transaction, so a start tried again (a batch split after a commit
      // whose outcome is unknown) finds the run it may already have made.
      const requestId = request.request_id ?? randomUUID();
      // The instance counter is locked before the look-up: a start of the same request id by another process has
      // committed by then, and no instance id is taken for a run that will not be stored.
      await tx.nextInstanceId(request.workflow_id, 0);
      const existing = await tx.findRunByRequestId(request.workflow_id, requestId);
      if (existing) return { status: 'DUPLICATED', run: existing };

      const now = deps.clock.now();
      const instanceId = await tx.nextInstanceId(request.workflow_id);
      const fresh = await freshRun(deps, tx, workflow, request, versionId, instanceId, requestId, now);
      const { key, state } = fresh;
      const correlation = fresh.run.correlation_id;

      const arrival = arrivalOf(workflow.properties);
      // Only the rules that stop runs need to see the unfinished ones (and reading them is not free).
      const unfinished =
        arrival.kind === 'supersede'
          ? await tx.listRunsByStatus(request.workflow_id, ['CREATED', 'IN_PROGRESS'], 1000)
          : [];
      const rejected =
        arrival.kind === 'reject' &&
        (await tx.countRunsByStatus(request.workflow_id, ['CREATED', 'IN_PROGRESS'])) > 0;
      const inserted = await tx.insertRun(
        rejected
          ? {
              ...fresh.run,
              status: 'STOPPED',
              state: runStateJson({
                ...state,
                end_time: now,
                message: 'stopped: another run is not finished (FIRST_ONLY)',
              }),
            }
          : fresh.run,
      );
      if (!inserted) {
        const again = await tx.findRunByRequestId(request.workflow_id, requestId);
        if (again) return { status: 'DUPLICATED', run: again };
        throw new Error(`run ${correlation} could not be stored`);
      }
      if (rejected) return { status: 'STOPPED', run: inserted };

      if (arrival.kind === 'supersede') {
        const stop = (await lockedCurrent(tx, unfinished)).filter((r) =>
          r.status === 'CREATED' ? arrival.stopQueued : arrival.stopRunning,
        );
        const jobs = stop.map((r): CommitJob => ({
          type: 'event',
          key: r,
          event: { type: 'action', action: 'STOP' },
        }));
        if (jobs.length > 0) await deps.apply(tx, jobs, after);
      }
      await deps.requestAdmission(tx, key, after);
      return { status: 'CREATED', run: inserted };
    },
  };
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
  const correlation = `${key.workflow_id}:${key.instance_id}:${key.run_id}`;
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
  const state: RunState & { run_policy: string } = { params, steps: {}, run_policy: 'START_FRESH_NEW_RUN' };
  const run: NewRun = {
    ...key,
    version_id: versionId,
    request_id: requestId,
    status: 'CREATED',
    correlation_id: correlation,
    initiator,
    state: runStateJson(state),
    create_time: now,
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
  const state: RunState & { run_policy: string } = {
    params,
    steps,
    run_policy: policy,
    ...(prior ? { prior_dependencies: prior } : {}),
  };
  const inserted = await tx.insertRun({
    ...key,
    version_id: previous.version_id,
    request_id: requestId,
    status: 'CREATED',
    correlation_id: correlation,
    initiator: previous.initiator,
    state: runStateJson(state),
    create_time: now,
  });
  if (!inserted)
    throw new IllegalStateError(`run ${key.run_id} of instance ${key.instance_id} could not be stored`);
  await tx.putSteps(key, stepRecords(state, Object.keys(steps)));
  await deps.requestAdmission(tx, key, after);
  return { status: 'CREATED', run: inserted };
}

/**
 * `requestAdmission` for a process: the item is leased to the process itself when it admits (the `decide` role,
 * running), so its own committer takes it after the commit; otherwise it is left for the engines, which a NOTIFY or
 * their next look wakes.
 */
export function admissionRequester(
  clock: Clock,
  self: { readonly owner: string; readonly leaseMs: number; readonly local: () => boolean },
): StarterDeps['requestAdmission'] {
  return async (tx, asker, after) => {
    const now = clock.now();
    const lease = self.local() ? { owner: self.owner, until: now + self.leaseMs } : undefined;
    const [item] = await tx.enqueue([admitItem(asker, now, lease)]);
    if (item?.lease_owner === self.owner) after.admits.push(item);
    else after.dueNow = true;
  };
}

/**
 * The runs as they stand under their row locks: one listed CREATED may have been admitted since (an engine admits
 * in transactions of its own), and LAST_ONLY / SERIAL_LATEST_ONLY must see that before choosing whom to stop.
 */
async function lockedCurrent(tx: StoreTx, runs: readonly RunRecord[]): Promise<RunRecord[]> {
  if (runs.length === 0) return [];
  const versions = new Map(
    (await tx.lockRuns(inLockOrder(runs))).map((l) => [runKeyString(l.key), l.version]),
  );
  const out: RunRecord[] = [];
  for (const run of runs) {
    const version = versions.get(runKeyString(run));
    if (version === undefined) continue;
    const current = version === run.version ? run : await tx.getRun(run);
    if (current) out.push(current);
  }
  return out;
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
