import { IllegalStateError } from '../../model/errors.js';
import { WorkflowInstanceStatus } from '../../model/status.js';
import type {
  Breakpoint,
  BreakpointFilter,
  ForwardPageRequest,
  InstanceKey,
  Page,
  PageRequest,
  PermitHolder,
  PropertiesSnapshot,
  RunRecord,
  TagPermit,
  WorkflowRecord,
  WorkflowTimelineEntry,
  WorkflowVersionRecord,
} from '../port.js';
import { TIMELINE_LIMIT } from '../port.js';
import { breakpointStart, checkBatchLimit, END_ID, mergeRead, pageRead, toPage } from '../paging.js';
import { toRun, toVersion, toWorkflow, type RunRow, type VersionRow, type WorkflowRow } from '../records.js';
import {
  toSnapshot,
  toTimelineEntry,
  type LockedWorkflowRow,
  type SnapshotRow,
  type TimelineRow,
} from '../workflow-changes.js';
import type { TxContext } from './tx-context.js';
import { releasePermits } from './tx-permits.js';

// The API's listings on SQLite (see the port's ListingTx), and the reads and deletion batches of workflow changes.

const ALL_STATUSES = Object.values(WorkflowInstanceStatus);

export function listWorkflows(ctx: TxContext, page: PageRequest<string>): Page<WorkflowRecord> {
  const read = pageRead(page);
  const { stmts } = ctx;
  const rows = read.forward
    ? stmts.listWorkflowsAfter.all(read.from ?? '', read.fetch)
    : read.from === undefined
      ? stmts.listWorkflowsLast.all(read.fetch)
      : stmts.listWorkflowsBefore.all(read.from, read.fetch);
  return toPage((rows as WorkflowRow[]).map(toWorkflow), read);
}

export function listVersions(
  ctx: TxContext,
  workflowId: string,
  page: PageRequest<number>,
): Page<WorkflowVersionRecord> {
  const read = pageRead(page);
  const rows = read.forward
    ? ctx.stmts.listVersionsDown.all(workflowId, read.from ?? END_ID, read.fetch)
    : ctx.stmts.listVersionsUp.all(workflowId, read.from ?? 0, read.fetch);
  return toPage((rows as VersionRow[]).map(toVersion), read);
}

export function listInstances(
  ctx: TxContext,
  workflowId: string,
  page: PageRequest<number>,
  statuses: readonly string[] = ALL_STATUSES,
): Page<RunRecord> {
  const read = pageRead(page);
  const lists = [...new Set(statuses)].map(
    (status) =>
      (read.forward
        ? ctx.stmts.listLatestDown.all(workflowId, status, read.from ?? END_ID, read.fetch)
        : ctx.stmts.listLatestUp.all(workflowId, status, read.from ?? 0, read.fetch)) as RunRow[],
  );
  return toPage(mergeRead(lists, read, (r) => -r.instance_id).map(toRun), read);
}

export function listRuns(ctx: TxContext, instance: InstanceKey, page: PageRequest<number>): Page<RunRecord> {
  const read = pageRead(page);
  const { workflow_id, instance_id } = instance;
  const rows = read.forward
    ? ctx.stmts.listRunsUp.all(workflow_id, instance_id, read.from ?? 0, read.fetch)
    : ctx.stmts.listRunsDown.all(workflow_id, instance_id, read.from ?? END_ID, read.fetch);
  return toPage((rows as RunRow[]).map(toRun), read);
}

export function countInstancesByStatus(ctx: TxContext, workflowId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { status, n } of ctx.stmts.countLatest.all(workflowId) as { status: string; n: number }[])
    out[status] = n;
  return out;
}

export function listTagPermits(ctx: TxContext, page: ForwardPageRequest<string>): Page<TagPermit> {
  const read = pageRead(page);
  return toPage(ctx.stmts.listTagPermits.all(read.from ?? '', read.fetch) as TagPermit[], read);
}

export function findBreakpoints(
  ctx: TxContext,
  filter: BreakpointFilter,
  page: ForwardPageRequest<Breakpoint>,
): Page<Breakpoint> {
  const read = pageRead(page);
  const params = { ...breakpointStart(filter, read.from), step: filter.step_id ?? null, limit: read.fetch };
  const rows =
    filter.workflow_id === undefined
      ? ctx.stmts.findBreakpoints.all(params)
      : ctx.stmts.findBreakpointsOfWorkflow.all(params);
  return toPage(rows as Breakpoint[], read);
}

export function getPropertiesSnapshot(
  ctx: TxContext,
  workflowId: string,
  snapshotId: number | 'latest',
): PropertiesSnapshot | undefined {
  const row = (
    snapshotId === 'latest'
      ? ctx.stmts.getLatestSnapshot.get(workflowId)
      : ctx.stmts.getSnapshot.get(workflowId, snapshotId)
  ) as SnapshotRow | undefined;
  return row && toSnapshot(row);
}

export function getWorkflowTimeline(ctx: TxContext, workflowId: string): WorkflowTimelineEntry[] {
  return (ctx.stmts.getTimeline.all(workflowId, TIMELINE_LIMIT) as TimelineRow[]).map(toTimelineEntry);
}

export function deleteTagPermit(ctx: TxContext, tag: string): boolean {
  const deleted = ctx.stmts.deleteTagPermit.run(tag).changes > 0;
  if (deleted) ctx.stmts.bumpRulesVersion.run();
  return deleted;
}

/** One batch of a workflow's deletion (see the port's `deleteWorkflowBatch`). */
export function deleteWorkflowBatch(
  ctx: TxContext,
  workflowId: string,
  limit: number,
): { more: boolean; permitKeys: string[] } {
  checkBatchLimit(limit);
  const { stmts } = ctx;
  const row = stmts.lockWorkflow.get(workflowId) as LockedWorkflowRow | undefined;
  if (!row) return { more: false, permitKeys: [] }; // deleted already
  if (!row.deleted)
    throw new IllegalStateError(`workflow '${workflowId}' is not being deleted: mark it deleted first`, {
      details: { workflow_id: workflowId },
    });
  const keys = new Set<string>();
  const runs = stmts.deletionRuns.all(workflowId, limit) as { instance_id: number; run_id: number }[];
  for (const { instance_id, run_id } of runs) {
    const holders = stmts.runPermitHolders.all(workflowId, instance_id, run_id) as PermitHolder[];
    for (const key of releasePermits(ctx, holders)) keys.add(key);
    stmts.deleteRunSteps.run(workflowId, instance_id, run_id);
    stmts.deleteRunAllItems.run(workflowId, instance_id, run_id);
    stmts.deleteRun.run(workflowId, instance_id, run_id);
  }
  const permitKeys = [...keys];
  if (runs.length === limit) return { more: true, permitKeys };
  if (stmts.deleteVersions.run({ workflow_id: workflowId, limit }).changes === limit)
    return { more: true, permitKeys };
  stmts.deleteWorkflowItems.run(workflowId);
  stmts.deleteSnapshots.run(workflowId);
  stmts.deleteTimeline.run(workflowId);
  stmts.deleteBreakpoints.run(workflowId);
  stmts.deleteWorkflowSignalWaits.run(workflowId);
  stmts.deleteWorkflowRow.run(workflowId);
  stmts.bumpRulesVersion.run(); // its properties and breakpoints are gone from the rules
  return { more: false, permitKeys };
}
