import type { CommitJob, CommitterDeps } from './committer.js';
import { runKeyOf } from './run-record.js';
import { restartRun, type StarterDeps } from './start-run.js';
import { startRuns } from './start-runs.js';
import type { StoreTx } from '../store/port.js';

/** Unfinished runs of a deleted workflow whose parents are told, at most (a stop of each waiting step). */
const DELETED_CHILDREN_MAX = 100_000;

/**
 * How a committer starts and restarts the runs below its runs (subworkflows): through the one path that creates
 * runs, in the committer's transaction; what the start itself moves (runs its workflow's strategy stops) goes
 * through the caller's batch. Runs started are noted for the engine's scope. `deps` is read when called: the
 * starter's deps name the committer that is being built.
 */
export function childStarters(
  deps: () => StarterDeps,
): Pick<CommitterDeps, 'startChildren' | 'restartChild'> {
  return {
    startChildren: async (tx, requests, after, apply) => {
      const inBatch = { ...deps(), apply: (_tx: StoreTx, jobs: readonly CommitJob[]) => apply(jobs) };
      const results = await startRuns(inBatch, tx, requests, after);
      for (const r of results) if (r.status === 'CREATED') after.started.push(r.run);
      return results;
    },
    restartChild: async (tx, request, after) => {
      const result = await restartRun(deps(), tx, request, after);
      if (result.status === 'CREATED') after.started.push(result.run);
      return result;
    },
  };
}

/**
 * A workflow being deleted: its unfinished runs go without ending, so the steps of other workflows' runs that wait
 * for one of them (subworkflows) learn it now, as a stop, or they would wait for an end that never comes.
 */
export async function orphanedParentJobs(tx: StoreTx, workflowId: string): Promise<CommitJob[]> {
  const runs = await tx.listRunsByStatus(workflowId, ['CREATED', 'IN_PROGRESS'], DELETED_CHILDREN_MAX);
  return runs.flatMap((run): CommitJob[] => {
    const parent = run.parent;
    if (!parent || parent.workflow_id === workflowId) return [];
    const { step_id, attempt } = parent;
    const child = runKeyOf(run);
    return [
      {
        type: 'event',
        key: runKeyOf(parent),
        event: { type: 'child_ended', step_id, attempt, child, status: 'STOPPED' },
      },
    ];
  });
}
