import { ConflictError } from '../../model/errors.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { NewRun, RunKey, RunRecord } from '../port.js';
import { keyOf, runName, runRecordOf, runWriteError, toRun, type RunRow } from '../records.js';
import type { TxContext } from './tx-context.js';

export function insertRun(ctx: TxContext, run: NewRun): RunRecord | undefined {
  const modifyTime = ctx.clock.now();
  let changes: number;
  try {
    changes = ctx.stmts.insertRun.run({
      workflow_id: run.workflow_id,
      instance_id: run.instance_id,
      run_id: run.run_id,
      version_id: run.version_id,
      request_id: run.request_id,
      status: run.status,
      correlation_id: run.correlation_id,
      initiator: JSON.stringify(run.initiator),
      state: JSON.stringify(run.state),
      create_time: run.create_time,
      modify_time: modifyTime,
      parent: run.parent === undefined ? null : JSON.stringify(run.parent),
    }).changes;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new ConflictError(`run ${runName(run)} already exists`, { details: keyOf(run), cause: error });
    }
    throw error;
  }
  // No change means the request id was already used: the caller looks the existing run up.
  if (changes === 0) return undefined;
  if (run.run_id > 1) ctx.stmts.clearOlderLatest.run(run.workflow_id, run.instance_id, run.run_id);
  return runRecordOf(run, 1, modifyTime);
}

export function findRunByRequestId(
  ctx: TxContext,
  workflowId: string,
  requestId: string,
): RunRecord | undefined {
  const row = ctx.stmts.getRunByRequestId.get(workflowId, requestId) as RunRow | undefined;
  return row && toRun(row);
}

export function getRun(ctx: TxContext, key: RunKey): RunRecord | undefined {
  const row = ctx.stmts.getRun.get(key.workflow_id, key.instance_id, key.run_id) as RunRow | undefined;
  return row && toRun(row);
}

export function getLatestRun(ctx: TxContext, workflowId: string, instanceId: number): RunRecord | undefined {
  const row = ctx.stmts.getLatestRun.get(workflowId, instanceId) as RunRow | undefined;
  return row && toRun(row);
}

/**
 * Optimistic concurrency (ARCHITECTURE invariant 3): the write only lands if nobody wrote the run since the caller
 * read it. Identity fields (key, request id, create time) are never changed by an update.
 */
export function updateRun(ctx: TxContext, run: RunRecord, expectedVersion: number): RunRecord {
  const modifyTime = ctx.clock.now();
  const { changes } = ctx.stmts.updateRun.run({
    workflow_id: run.workflow_id,
    instance_id: run.instance_id,
    run_id: run.run_id,
    version_id: run.version_id,
    status: run.status,
    correlation_id: run.correlation_id,
    initiator: JSON.stringify(run.initiator),
    state: JSON.stringify(run.state),
    start_time: run.start_time ?? null,
    end_time: run.end_time ?? null,
    modify_time: modifyTime,
    expected: expectedVersion,
  });
  if (changes === 0) {
    const current = ctx.stmts.getRunVersion.get(run.workflow_id, run.instance_id, run.run_id) as
      { version: number } | undefined;
    throw runWriteError(run, expectedVersion, current?.version);
  }
  return runRecordOf(run, expectedVersion + 1, modifyTime);
}

export function listRunsByStatus(
  ctx: TxContext,
  workflowId: string,
  statuses: readonly WorkflowInstanceStatus[],
  limit: number,
): RunRecord[] {
  if (limit <= 0) return [];
  const rows: RunRow[] = [];
  for (const status of new Set(statuses)) {
    rows.push(...(ctx.stmts.listRunsInStatus.all(workflowId, status, limit) as RunRow[]));
  }
  rows.sort((a, b) => a.instance_id - b.instance_id || a.run_id - b.run_id);
  return rows.slice(0, limit).map(toRun);
}

export function countRunsByStatus(
  ctx: TxContext,
  workflowId: string,
  statuses: readonly WorkflowInstanceStatus[],
): number {
  if (statuses.length === 0) return 0;
  return (ctx.stmts.countRunsByStatus.get(workflowId, JSON.stringify(statuses)) as { n: number }).n;
}

export function hasBlockingFailedRun(ctx: TxContext, workflowId: string): boolean {
  return (ctx.stmts.hasBlockingFailedRun.get(workflowId) as { held: number }).held === 1;
}

export function unblockRun(ctx: TxContext, key: RunKey): boolean {
  return ctx.stmts.unblockRun.run(key.workflow_id, key.instance_id, key.run_id).changes > 0;
}
