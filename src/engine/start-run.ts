import { randomUUID } from 'node:crypto';
import type { Workflow } from '../model/definition.js';
import { NotFoundError } from '../model/errors.js';
import type { JsonObject } from '../model/json.js';
import type { RunKey, RunRecord, StoreTx } from '../store/port.js';
import type { Clock } from './clock.js';
import type { AfterCommit, CommitJob } from './committer.js';
import type { Evaluator } from './evaluator.js';
import { admitQueued, arrivalOf } from './run-strategy.js';
import { runStateJson } from './run-record.js';
import type { RunState } from './state.js';

export type VersionSelector = 'active' | 'latest' | 'default' | number;

export interface StartRequest {
  readonly workflow_id: string;
  readonly version?: VersionSelector;
  /** Param values for this run (`{"name": value}`), merged over the definition's params. */
  readonly run_params?: JsonObject;
  /** Makes the start idempotent: a second start with the same id returns the first run (DUPLICATED). */
  readonly request_id?: string;
  readonly initiator?: JsonObject;
}

export interface StartResult {
  readonly status: 'CREATED' | 'DUPLICATED' | 'STOPPED';
  readonly run: RunRecord;
}

interface StarterDeps {
  readonly clock: Clock;
  readonly evaluator: Evaluator;
  readonly definitionOf: (tx: StoreTx, workflowId: string, versionId: number) => Promise<Workflow>;
  readonly apply: (tx: StoreTx, jobs: readonly CommitJob[], after: AfterCommit) => Promise<void>;
}

/**
 * Creating a run, exactly once per request id: resolve the version, evaluate the workflow params (bad params
 * reject the start and store nothing), apply the run strategy's rule for arrivals, and admit queued runs.
 */
export function createRunStarter(deps: StarterDeps) {
  return {
    async start(tx: StoreTx, request: StartRequest, after: AfterCommit): Promise<StartResult> {
      const workflow = await tx.getWorkflow(request.workflow_id);
      if (!workflow) throw new NotFoundError(`workflow '${request.workflow_id}' does not exist`);
      const versionId = resolveVersion(
        request.version ?? 'default',
        workflow.latest_version_id,
        workflow.active_version_id,
        request.workflow_id,
      );
      const requestId = request.request_id ?? randomUUID();
      const existing = await tx.findRunByRequestId(request.workflow_id, requestId);
      if (existing) return { status: 'DUPLICATED', run: existing };

      const definition = await deps.definitionOf(tx, request.workflow_id, versionId);
      const now = deps.clock.now();
      const instanceId = await tx.nextInstanceId(request.workflow_id);
      const key: RunKey = { workflow_id: request.workflow_id, instance_id: instanceId, run_id: 1 };
      const initiator = request.initiator ?? { type: 'MANUAL' };
      const correlation = `${key.workflow_id}:${key.instance_id}:${key.run_id}`;
      const params = deps.evaluator.workflowParams(
        definition,
        request.run_params ?? {},
        {
          ...key,
          initiator_type: String(initiator['type'] ?? 'MANUAL'),
          run_policy: 'START_FRESH_NEW_RUN',
          correlation_id: correlation,
          ...(workflow.properties.owner ? { owner: workflow.properties.owner.name } : {}),
        },
        now,
      );
      const state: RunState & { run_policy: string } = {
        params,
        steps: {},
        run_policy: 'START_FRESH_NEW_RUN',
      };

      const arrival = arrivalOf(workflow.properties);
      // Only the rules that stop runs need to see the unfinished ones (and reading them is not free).
      const unfinished =
        arrival.kind === 'supersede'
          ? await tx.listRunsByStatus(request.workflow_id, ['CREATED', 'IN_PROGRESS'], 1000)
          : [];
      const rejected =
        arrival.kind === 'reject' &&
        (await tx.countRunsByStatus(request.workflow_id, ['CREATED', 'IN_PROGRESS'])) > 0;
      const inserted = await tx.insertRun({
        ...key,
        version_id: versionId,
        request_id: requestId,
        status: rejected ? 'STOPPED' : 'CREATED',
        correlation_id: correlation,
        initiator,
        state: runStateJson(
          rejected
            ? { ...state, end_time: now, message: 'stopped: another run is not finished (FIRST_ONLY)' }
            : state,
        ),
        create_time: now,
      });
      if (!inserted) {
        const again = await tx.findRunByRequestId(request.workflow_id, requestId);
        if (again) return { status: 'DUPLICATED', run: again };
        throw new Error(`run ${correlation} could not be stored`);
      }
      if (rejected) return { status: 'STOPPED', run: inserted };

      if (arrival.kind === 'supersede') {
        const stop = unfinished.filter((r) =>
          r.status === 'CREATED' ? arrival.stopQueued : arrival.stopRunning,
        );
        const jobs = stop.map((r): CommitJob => ({
          type: 'event',
          key: r,
          event: { type: 'action', action: 'STOP' },
        }));
        if (jobs.length > 0) await deps.apply(tx, jobs, after);
      }
      await admitQueued(tx, request.workflow_id, workflow.properties, (run, event) =>
        deps.apply(tx, [{ type: 'event', key: run, event }], after),
      );
      return { status: 'CREATED', run: (await tx.getRun(key)) ?? inserted };
    },
  };
}

function resolveVersion(
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
