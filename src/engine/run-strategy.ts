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

/**
 * An admission of a workflow's queued runs under its current properties; a workflow being deleted (not found) lets
 * nothing in: its queued runs go with it.
 */
export async function admitWorkflow(
  tx: StoreTx,
  workflowId: string,
  start: (runs: readonly RunRecord[]) => Promise<void>,
): Promise<boolean> {
  const workflow = await tx.getWorkflow(workflowId);
  return workflow ? admitQueued(tx, workflowId, workflow.properties, start) : false;
}

/**
 * Starts queued runs of a workflow while its run strategy has room, oldest first. STRICT_SEQUENTIAL also waits
 * while a run FAILED and has been neither unblocked nor restarted (`StoreTx.unblockRun` marks both). The runs let
 * in start through `start` (a `start` event for each, i.e. `decide`), all at once. At most BATCH runs per call (a transaction of bounded size); returns
 * true when it stopped there with room left.
 */
export async function admitQueued(
  tx: StoreTx,
  workflowId: string,
  properties: Properties | undefined,
  start: (runs: readonly RunRecord[]) => Promise<void>,
): Promise<boolean> {
  const limit = concurrencyOf(properties);
  if (limit <= 0) return false; // workflow_concurrency 0 pauses the workflow
  // One indexed look-up whatever the workflow's history (REFERENCE §4.1: any FAILED run not unblocked or restarted).
  if (properties?.run_strategy?.rule === 'STRICT_SEQUENTIAL' && (await tx.hasBlockingFailedRun(workflowId)))
    return false;
  const running = await tx.countRunsByStatus(workflowId, ['IN_PROGRESS']);
  const room = Math.min(limit - running, BATCH);
  if (room <= 0) return false;
  const queued = await tx.listRunsByStatus(workflowId, ['CREATED'], room);
  if (queued.length > 0) await start(queued);
  return room === BATCH && queued.length === BATCH && limit - running > BATCH;
}
