import { IllegalStateError } from '../../model/errors.js';
import { WorkflowInstanceStatus } from '../../model/status.js';
import type {
  Breakpoint,
  BreakpointFilter,
  ForwardPageRequest,
  InstanceKey,
  Page,
  PageRequest,
  PropertiesSnapshot,
  RunRecord,
  TagPermit,
  WorkflowRecord,
  WorkflowTimelineEntry,
  WorkflowVersionRecord,
} from '../port.js';
import { TIMELINE_LIMIT } from '../port.js';
import { breakpointStart, checkBatchLimit, END_ID, pageRead, toPage } from '../paging.js';
import { toRun, toVersion, toWorkflow, type RunRow, type VersionRow, type WorkflowRow } from '../records.js';
import {
  toSnapshot,
  toTimelineEntry,
  type LockedWorkflowRow,
  type SnapshotRow,
  type TimelineRow,
} from '../workflow-changes.js';
import type { Query } from './query.js';

// The API's listings on PostgreSQL (see the port's ListingTx), and the reads and deletion batches of workflow changes.

const ALL_STATUSES = Object.values(WorkflowInstanceStatus);

export async function listWorkflows(q: Query, page: PageRequest<string>): Promise<Page<WorkflowRecord>> {
  const read = pageRead(page);
  const { rows } = read.forward
    ? await q<WorkflowRow>('listWorkflowsAfter', [read.from ?? '', read.fetch])
    : read.from === undefined
      ? await q<WorkflowRow>('listWorkflowsLast', [read.fetch])
      : await q<WorkflowRow>('listWorkflowsBefore', [read.from, read.fetch]);
  return toPage(rows.map(toWorkflow), read);
}

export async function listVersions(
  q: Query,
  workflowId: string,
  page: PageRequest<number>,
): Promise<Page<WorkflowVersionRecord>> {
  const read = pageRead(page);
  const { rows } = read.forward
    ? await q<VersionRow>('listVersionsDown', [workflowId, read.from ?? END_ID, read.fetch])
    : await q<VersionRow>('listVersionsUp', [workflowId, read.from ?? 0, read.fetch]);
  return toPage(rows.map(toVersion), read);
}

export async function listInstances(
  q: Query,
  workflowId: string,
  page: PageRequest<number>,
  statuses: readonly string[] = ALL_STATUSES,
): Promise<Page<RunRecord>> {
  const read = pageRead(page);
  const wanted = [...new Set(statuses)];
  const { rows } = read.forward
    ? await q<RunRow>('listLatestDown', [workflowId, wanted, read.from ?? END_ID, read.fetch])
    : await q<RunRow>('listLatestUp', [workflowId, wanted, read.from ?? 0, read.fetch]);
  return toPage(rows.map(toRun), read);
}

export async function listRuns(
  q: Query,
  instance: InstanceKey,
  page: PageRequest<number>,
): Promise<Page<RunRecord>> {
  const read = pageRead(page);
  const { workflow_id, instance_id } = instance;
  const { rows } = read.forward
    ? await q<RunRow>('listRunsUp', [workflow_id, instance_id, read.from ?? 0, read.fetch])
    : await q<RunRow>('listRunsDown', [workflow_id, instance_id, read.from ?? END_ID, read.fetch]);
  return toPage(rows.map(toRun), read);
}

export async function countInstancesByStatus(q: Query, workflowId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { status, n } of (await q<{ status: string; n: number }>('countLatest', [workflowId])).rows)
    out[status] = n;
  return out;
}

export async function listTagPermits(q: Query, page: ForwardPageRequest<string>): Promise<Page<TagPermit>> {
  const read = pageRead(page);
  return toPage((await q<TagPermit>('listTagPermits', [read.from ?? '', read.fetch])).rows, read);
}

export async function findBreakpoints(
  q: Query,
  filter: BreakpointFilter,
  page: ForwardPageRequest<Breakpoint>,
): Promise<Page<Breakpoint>> {
  const read = pageRead(page);
  const s = breakpointStart(filter, read.from);
  const values = [
    s.workflow_id,
    s.step_id,
    s.instance_id,
    s.run_id,
    s.attempt,
    filter.step_id ?? null,
    read.fetch,
  ];
  const { rows } =
    filter.workflow_id === undefined
      ? await q<Breakpoint>('findBreakpoints', values)
      : await q<Breakpoint>('findBreakpointsOfWorkflow', values);
  return toPage(rows, read);
}

export async function getPropertiesSnapshot(
  q: Query,
  workflowId: string,
  snapshotId: number | 'latest',
): Promise<PropertiesSnapshot | undefined> {
  const { rows } =
    snapshotId === 'latest'
      ? await q<SnapshotRow>('getLatestSnapshot', [workflowId])
      : await q<SnapshotRow>('getSnapshot', [workflowId, snapshotId]);
  return rows[0] && toSnapshot(rows[0]);
}

export async function getWorkflowTimeline(q: Query, workflowId: string): Promise<WorkflowTimelineEntry[]> {
  return (await q<TimelineRow>('getTimeline', [workflowId, TIMELINE_LIMIT])).rows.map(toTimelineEntry);
}

export async function deleteTagPermit(q: Query, tag: string): Promise<boolean> {
  const deleted = (await q('deleteTagPermit', [tag])).count > 0;
  if (deleted) await q('bumpRulesVersion', []);
  return deleted;
}

/** One batch of a workflow's deletion (see the port's `deleteWorkflowBatch`). */
export async function deleteWorkflowBatch(
  q: Query,
  workflowId: string,
  limit: number,
): Promise<{ more: boolean; permitKeys: string[] }> {
  checkBatchLimit(limit);
  const [row] = (await q<LockedWorkflowRow>('lockWorkflow', [workflowId])).rows;
  if (!row) return { more: false, permitKeys: [] }; // deleted already
  if (!row.deleted)
    throw new IllegalStateError(`workflow '${workflowId}' is not being deleted: mark it deleted first`, {
      details: { workflow_id: workflowId },
    });
  const runs = (await q<{ instance_id: number; run_id: number }>('deletionRuns', [workflowId, limit])).rows;
  let permitKeys: string[] = [];
  if (runs.length > 0) {
    const keys = [workflowId, runs.map((r) => r.instance_id), runs.map((r) => r.run_id)];
    const holders = (await q<{ holder: string }>('runPermitHolders', keys)).rows.map((r) => r.holder);
    if (holders.length > 0)
      permitKeys = (await q<{ permit_key: string }>('releaseHolders', [holders])).rows.map(
        (r) => r.permit_key,
      );
    await Promise.all([q('deleteRunsSteps', keys), q('deleteRunsItems', keys), q('deleteRuns', keys)]);
    if (runs.length === limit) return { more: true, permitKeys };
  }
  if ((await q('deleteVersions', [workflowId, limit])).count === limit) return { more: true, permitKeys };
  await Promise.all(
    (
      [
        'deleteWorkflowItems',
        'deleteSnapshots',
        'deleteTimeline',
        'deleteBreakpoints',
        'deleteWorkflowSignalWaits',
        'deleteWorkflowRow',
      ] as const
    ).map((name) => q(name, [workflowId])),
  );
  await q('bumpRulesVersion', []); // its properties and breakpoints are gone from the rules
  return { more: false, permitKeys };
}
