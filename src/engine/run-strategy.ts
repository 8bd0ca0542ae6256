import type { Properties } from '../model/definition.js';
import { DEFAULTS } from '../model/limits.js';
import type { RunRecord, StoreTx } from '../store/port.js';

/** How many runs of a workflow may be in progress at once, and whether later ones queue (REFERENCE §4.1). */
export function concurrencyOf(properties: Properties | undefined): number {
  const rs = properties?.run_strategy;
  if (rs?.rule === 'PARALLEL') return rs.workflow_concurrency ?? DEFAULTS.parallelWorkflowConcurrency;
  return 1;
}

/** What happens to a new run at creation, before it queues. */
export type Arrival =
  | { readonly kind: 'queue' }
  /** FIRST_ONLY: another run is not finished, so this one is stopped at once. */
  | { readonly kind: 'reject' }
  /** LAST_ONLY / SERIAL_LATEST_ONLY: these earlier runs are stopped (queued ones at once, running ones by a STOP). */
  | { readonly kind: 'supersede'; readonly stopQueued: boolean; readonly stopRunning: boolean };

export function arrivalOf(properties: Properties | undefined): Arrival {
  switch (properties?.run_strategy?.rule ?? 'SEQUENTIAL') {
    case 'FIRST_ONLY':
      return { kind: 'reject' };
    case 'LAST_ONLY':
      return { kind: 'supersede', stopQueued: true, stopRunning: true };
    case 'SERIAL_LATEST_ONLY':
      return { kind: 'supersede', stopQueued: true, stopRunning: false };
    case 'SEQUENTIAL':
    case 'STRICT_SEQUENTIAL':
    case 'PARALLEL':
      return { kind: 'queue' };
  }
}

const BATCH = 50;

/** What one admission lets in: the queued runs that start, and whether more may be waiting for room. */
export interface Admission {
  readonly runs: readonly RunRecord[];
  readonly more: boolean;
}

const NOTHING: Admission = { runs: [], more: false };

/**
 * An admission of a workflow's queued runs under its current properties: the queued runs its run strategy has room
 * for, oldest first. STRICT_SEQUENTIAL also waits while a run FAILED and has been neither unblocked nor restarted
 * (`StoreTx.unblockRun` marks both). A workflow being deleted (not found) lets nothing in: its queued runs go with
 * it. The caller starts them (a `start` event for each, i.e. `decide`). At most BATCH runs per call (a transaction
 * of bounded size); `more` when it stopped there with room left.
 */
export async function admitWorkflow(tx: StoreTx, workflowId: string): Promise<Admission> {
  return (await admitWorkflows(tx, [workflowId]))[0]!;
}

/**
 * `admitWorkflow` of several workflows in one go (a burst of admissions): each read is made for all of them in one
 * statement. Answers in the order given.
 */
export async function admitWorkflows(tx: StoreTx, workflowIds: readonly string[]): Promise<Admission[]> {
  if (workflowIds.length === 0) return [];
  const workflows = new Map((await tx.getWorkflows(workflowIds)).map((w) => [w.workflow_id, w]));
  const limits = workflowIds.map((id) => {
    const workflow = workflows.get(id);
    return workflow ? concurrencyOf(workflow.properties) : 0;
  });
  // One indexed look-up each whatever the workflow's history (REFERENCE §4.1: a FAILED run not unblocked or restarted).
  const blocked = await Promise.all(
    workflowIds.map(
      (id, i) =>
        limits[i]! > 0 &&
        workflows.get(id)!.properties.run_strategy?.rule === 'STRICT_SEQUENTIAL' &&
        tx.hasBlockingFailedRun(id),
    ),
  );
  const open = workflowIds.filter((_, i) => limits[i]! > 0 && !blocked[i]);
  const running = new Map(
    (await tx.countRunsByStatusOf(open, ['IN_PROGRESS'])).map((n, i) => [open[i]!, n] as const),
  );
  const rooms = workflowIds.map((id, i) =>
    running.has(id) ? Math.max(0, Math.min(limits[i]! - running.get(id)!, BATCH)) : 0,
  );
  const queued = await tx.listRunsByStatusOf(
    workflowIds.map((workflow_id, i) => ({ workflow_id, limit: rooms[i]! })),
    ['CREATED'],
  );
  return workflowIds.map((id, i) => {
    const runs = queued[i]!;
    const more = rooms[i] === BATCH && runs.length === BATCH && limits[i]! - running.get(id)! > BATCH;
    return runs.length === 0 ? NOTHING : { runs, more };
  });
}
