import { randomUUID } from 'node:crypto';
import type { RunKey } from '../store/port.js';
import type { RunStarts } from './trigger-hooks.js';
import { NotFoundError } from '../model/errors.js';
import type { NewRun, RunRecord, StoreTx, WorkflowRecord } from '../store/port.js';
import type { AfterCommit, CommitJob } from './committer.js';
import { compareText, inLockOrder, runKeyString, runStateJson } from './run-record.js';
import { arrivalOf, type Arrival } from './run-strategy.js';
import {
  freshRun,
  resolveVersion,
  type StarterDeps,
  type StartRequest,
  type StartResult,
} from './start-run.js';
import type { RunState } from './state.js';

/** A start that makes a new run: its request's place in the batch, and what it makes. */
interface Fresh {
  readonly index: number;
  readonly requestId: string;
  readonly workflow: WorkflowRecord;
  run: NewRun;
  readonly state: RunState;
  /** FIRST_ONLY: stored STOPPED, because another run was not finished. */
  rejected: boolean;
}

/**
 * The one path that creates runs of start requests, exactly once per (workflow, request id), for any number of
 * requests of any workflows in one transaction, in a handful of statements whatever their number: the workflows'
 * instance counters locked (in one order), the request ids looked up, the instance ids taken, the runs inserted and
 * the admissions asked for, each in one go. Each run's params are evaluated (bad params reject the start and store
 * nothing) and its workflow's run strategy applies to arrivals in request order: FIRST_ONLY stores a start STOPPED
 * while another run is unfinished, LAST_ONLY and SERIAL_LATEST_ONLY stop the earlier runs. A request id already
 * stored, or repeated in the batch, answers DUPLICATED with the run it started. Results are in request order.
 */
export async function startRuns(
  deps: StarterDeps,
  tx: StoreTx,
  requests: readonly StartRequest[],
  after: AfterCommit,
): Promise<StartResult[]> {
  if (requests.length === 0) return [];
  // Callers draw missing ids before the transaction, so a batch tried again finds the runs it may have made.
  const ids = requests.map((r) => r.request_id ?? randomUUID());
  const workflowIds = [...new Set(requests.map((r) => r.workflow_id))].sort(compareText);
  // The counters are locked before the look-up: a start of the same request id by another process has committed by
  // then, and no instance id is taken for a run that will not be stored. One order: no deadlock between batches.
  await tx.nextInstanceIds(workflowIds.map((workflow_id) => ({ workflow_id, count: 0 })));
  const workflows = new Map((await tx.getWorkflows(workflowIds)).map((w) => [w.workflow_id, w]));
  const workflowOf = (request: StartRequest): WorkflowRecord => {
    const workflow = workflows.get(request.workflow_id);
    if (!workflow) throw new NotFoundError(`workflow '${request.workflow_id}' does not exist`);
    return workflow;
  };
  // Every request's version is checked before anything is written (a bad one fails the whole call).
  const versions = requests.map((r) => {
    const w = workflowOf(r);
    return resolveVersion(r.version ?? 'default', w.latest_version_id, w.active_version_id, r.workflow_id);
  });
  const requestKey = (i: number) => `${requests[i]!.workflow_id}\u0000${ids[i]!}`;
  const stored = new Map(
    (
      await tx.findRunsByRequestIds(
        requests.map((r, i) => ({ workflow_id: r.workflow_id, request_id: ids[i]! })),
      )
    ).map((run) => [`${run.workflow_id}\u0000${run.request_id}`, run]),
  );
  const freshIndexes: number[] = [];
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  requests.forEach((r, i) => {
    const key = requestKey(i);
    if (!stored.has(key) && !seen.has(key)) {
      freshIndexes.push(i);
      counts.set(r.workflow_id, (counts.get(r.workflow_id) ?? 0) + 1);
    }
    seen.add(key);
  });

  const made = new Map<string, StartResult>();
  if (freshIndexes.length > 0) {
    const taking = workflowIds.filter((id) => counts.has(id));
    const firsts = await tx.nextInstanceIds(
      taking.map((workflow_id) => ({ workflow_id, count: counts.get(workflow_id)! })),
    );
    const next = new Map(taking.map((id, n) => [id, firsts[n]!]));
    await deps.prefetchDefinitions(
      tx,
      freshIndexes.map((i) => ({ workflow_id: requests[i]!.workflow_id, version_id: versions[i]! })),
    );
    const now = deps.clock.now();
    const fresh: Fresh[] = [];
    for (const i of freshIndexes) {
      const request = requests[i]!;
      const workflow = workflowOf(request);
      const instanceId = next.get(request.workflow_id)!;
      next.set(request.workflow_id, instanceId + 1);
      const { run, state } = await freshRun(
        deps,
        tx,
        workflow,
        request,
        versions[i]!,
        instanceId,
        ids[i]!,
        now,
      );
      fresh.push({ index: i, requestId: ids[i]!, workflow, run, state, rejected: false });
    }
    const arrivals = new Map([...counts.keys()].map((id) => [id, arrivalOf(workflows.get(id)!.properties)]));
    const superseded = await applyArrivals(tx, fresh, arrivals, now);
    const inserted = await tx.insertRuns(fresh.map((f) => f.run));
    const created: RunRecord[] = [];
    const admit: RunRecord[] = [];
    for (const [n, f] of fresh.entries()) {
      const run = inserted[n];
      if (run) {
        made.set(requestKey(f.index), { status: f.rejected ? 'STOPPED' : 'CREATED', run });
        if (!f.rejected) created.push(run);
        if (!f.rejected && requests[f.index]!.admitted !== true) admit.push(run);
        continue;
      }
      // Another process stored this request id after the look-up above.
      const again = await tx.findRunByRequestId(f.run.workflow_id, f.requestId);
      if (!again) throw new Error(`run ${f.run.correlation_id} could not be stored`);
      made.set(requestKey(f.index), { status: 'DUPLICATED', run: again });
    }
    await stopSuperseded(deps, tx, superseded, created, arrivals, after);
    if (admit.length > 0) await deps.requestAdmissions(tx, admit, after);
  }
  const starters = new Set(freshIndexes);
  return requests.map((_, i) => {
    const first = made.get(requestKey(i));
    // the first request of a new id started the run; any other is a duplicate of what the id stands for
    if (first && starters.has(i)) return first;
    return { status: 'DUPLICATED', run: first?.run ?? stored.get(requestKey(i))! };
  });
}

/**
 * The run strategies' rules for arrivals that look at unfinished runs (read only for the workflows that have such a
 * rule: reading them is not free). FIRST_ONLY marks the starts that find one (stored or earlier in the batch)
 * rejected; for LAST_ONLY and SERIAL_LATEST_ONLY, returns the stored unfinished runs, by workflow, to stop once the
 * new runs are in.
 */
async function applyArrivals(
  tx: StoreTx,
  fresh: Fresh[],
  arrivals: ReadonlyMap<string, Arrival>,
  now: number,
): Promise<Map<string, RunRecord[]>> {
  const superseded = new Map<string, RunRecord[]>();
  const busy = new Map<string, boolean>();
  for (const f of fresh) {
    const workflowId = f.workflow.workflow_id;
    const arrival = arrivals.get(workflowId)!;
    if (arrival.kind === 'supersede' && !superseded.has(workflowId))
      superseded.set(workflowId, await tx.listRunsByStatus(workflowId, ['CREATED', 'IN_PROGRESS'], 1000));
    if (arrival.kind !== 'reject') continue;
    let unfinished = busy.get(workflowId);
    if (unfinished === undefined)
      unfinished = (await tx.countRunsByStatus(workflowId, ['CREATED', 'IN_PROGRESS'])) > 0;
    if (unfinished) {
      f.rejected = true;
      f.run = {
        ...f.run,
        status: 'STOPPED',
        state: runStateJson({
          ...f.state,
          end_time: now,
          message: 'stopped: another run is not finished (FIRST_ONLY)',
        }),
      };
    }
    busy.set(workflowId, true);
  }
  return superseded;
}

/**
 * LAST_ONLY / SERIAL_LATEST_ONLY: each new run stops the earlier ones of its workflow (queued ones at once, running
 * ones as the rule says): the stored ones as they stand under their row locks (one listed CREATED may have been
 * admitted since), and those this batch created before it.
 */
async function stopSuperseded(
  deps: StarterDeps,
  tx: StoreTx,
  superseded: ReadonlyMap<string, RunRecord[]>,
  created: readonly RunRecord[],
  arrivals: ReadonlyMap<string, Arrival>,
  after: AfterCommit,
): Promise<void> {
  if (superseded.size === 0) return;
  const latest = new Map<string, RunRecord>();
  const earlier: RunRecord[] = [];
  for (const run of created) {
    if (!superseded.has(run.workflow_id)) continue;
    const before = latest.get(run.workflow_id);
    if (before) earlier.push(before);
    latest.set(run.workflow_id, run);
  }
  const stored = await lockedCurrent(tx, [...superseded.values()].flat());
  const stop = [...stored, ...earlier].filter((r) => {
    const arrival = arrivals.get(r.workflow_id)!;
    if (arrival.kind !== 'supersede' || !latest.has(r.workflow_id)) return false;
    return r.status === 'CREATED' ? arrival.stopQueued : arrival.stopRunning;
  });
  const jobs = stop.map((r): CommitJob => ({
    type: 'event',
    key: r,
    event: { type: 'action', action: 'STOP' },
  }));
  if (jobs.length > 0) await deps.apply(tx, jobs, after);
}

/** The runs as they stand under their row locks. */
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

/**
 * `RunStarts` for the trigger handlers: `work` runs in one engine transaction (`transact`, which carries out what
 * the commit allows for the runs it reports started), each of its starts through `startRuns`.
 */
export function startsInTransactions(
  deps: StarterDeps,
  transact: <T>(
    work: (tx: StoreTx, after: AfterCommit) => Promise<T>,
    started?: (result: T) => readonly RunKey[],
  ) => Promise<T>,
): RunStarts {
  return {
    async startRunsIn(work) {
      let started: RunKey[] = [];
      return transact(
        (tx, after) => {
          started = [];
          return work(tx, async (request) => {
            const [result] = await startRuns(
              deps,
              tx,
              [{ ...request, request_id: request.request_id ?? randomUUID() }],
              after,
            );
            if (result!.status === 'CREATED') started.push(result!.run);
            return result!;
          });
        },
        () => started,
      );
    },
  };
}
