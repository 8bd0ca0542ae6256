import { NotFoundError } from '../../model/errors.js';
import type {
  InstanceCount,
  NewWorkflowVersion,
  VersionKey,
  WorkflowRecord,
  WorkflowVersionRecord,
} from '../port.js';
import { TIMELINE_LIMIT } from '../port.js';
import {
  checkDistinctWorkflows,
  planVersion,
  toVersion,
  toWorkflow,
  type VersionRow,
  type WorkflowRow,
} from '../records.js';
import {
  checkNotDeleted,
  versionBase,
  recordVersion,
  type ChangeStatements,
  type LockedWorkflowRow,
} from '../workflow-changes.js';
import type { Query } from './query.js';

// Workflow versions and changes on PostgreSQL: the shared logic of store/workflow-changes.ts over these statements.
// Every change locks the workflow's row (FOR UPDATE) first, so changes of one workflow take turns.

/**
 * Version latest + 1; properties merge key by key with the previous snapshot (see `planVersion`). The row is created
 * (empty) before it is locked, so two processes creating a workflow's first version queue on it.
 */
export async function insertWorkflowVersion(
  q: Query,
  input: NewWorkflowVersion,
): Promise<WorkflowVersionRecord> {
  const { request, author, now } = input;
  const workflowId = request.workflow.id;
  await q('ensureWorkflow', [workflowId, now]);
  const [row] = (await q<LockedWorkflowRow>('lockWorkflow', [workflowId])).rows;
  checkNotDeleted(row, workflowId);
  const base = versionBase(row);
  const current = base !== undefined && base.latest_version_id > 0 ? base : undefined;
  const plan = planVersion(current, input);
  await q('updateWorkflowVersion', [
    workflowId,
    plan.versionId,
    plan.activeVersionId,
    plan.propertiesText,
    now,
  ]);
  await q('bumpRulesVersion', []);
  await q('insertVersion', [
    workflowId,
    plan.versionId,
    plan.definitionText,
    plan.propertiesText,
    author,
    now,
  ]);
  // A tombstone's '' properties differ from any: the revived workflow's first version writes its snapshot.
  await recordVersion(
    changeStatements(q),
    row !== undefined && row.latest_version_id > 0 ? row : undefined,
    plan,
    request.properties,
  );
  return plan.record;
}

/** The statements the shared workflow-change logic runs. */
export function changeStatements(q: Query): ChangeStatements {
  return {
    lockWorkflow: async (workflowId) => (await q<LockedWorkflowRow>('lockWorkflow', [workflowId])).rows[0],
    setActiveVersion: async (workflowId, versionId, now) => {
      await q('setActiveVersion', [workflowId, versionId, now]);
    },
    setProperties: async (workflowId, text, now) => {
      await q('setProperties', [workflowId, text, now]);
    },
    insertSnapshot: async (r) =>
      (
        await q<{ snapshot_id: number }>('insertSnapshot', [
          r.workflow_id,
          r.properties,
          r.changes,
          r.author,
          r.create_time,
        ])
      ).rows[0]!.snapshot_id,
    appendTimeline: async (r) => {
      const appended = q('appendTimeline', [
        r.workflow_id,
        r.kind,
        r.author,
        r.create_time,
        r.version_id,
        r.snapshot_id,
        r.active_version_id,
      ]);
      const trimmed = q('trimTimeline', [r.workflow_id, TIMELINE_LIMIT]);
      await Promise.all([appended, trimmed]);
    },
    markDeleted: async (workflowId, now) => {
      await q('markDeleted', [workflowId, now]);
    },
    bumpRulesVersion: async () => {
      await q('bumpRulesVersion', []);
    },
  };
}

export async function getWorkflows(q: Query, workflowIds: readonly string[]): Promise<WorkflowRecord[]> {
  if (workflowIds.length === 0) return [];
  return (await q<WorkflowRow>('getWorkflows', [[...new Set(workflowIds)]])).rows.map(toWorkflow);
}

export async function getWorkflowVersions(
  q: Query,
  keys: readonly VersionKey[],
): Promise<WorkflowVersionRecord[]> {
  if (keys.length === 0) return [];
  const { rows } = await q<VersionRow>('getVersions', [
    keys.map((k) => k.workflow_id),
    keys.map((k) => k.version_id),
  ]);
  return rows.map(toVersion);
}

export async function nextInstanceIds(q: Query, counts: readonly InstanceCount[]): Promise<number[]> {
  if (counts.length === 0) return [];
  checkDistinctWorkflows(counts);
  const { rows } = await q<{ workflow_id: string; latest_instance_id: number }>('nextInstanceIds', [
    counts.map((c) => c.workflow_id),
    counts.map((c) => c.count),
  ]);
  const latest = new Map(rows.map((r) => [r.workflow_id, Number(r.latest_instance_id)]));
  return counts.map((c) => {
    const after = latest.get(c.workflow_id);
    if (after === undefined)
      throw new NotFoundError(`workflow '${c.workflow_id}' does not exist`, {
        details: { workflow_id: c.workflow_id },
      });
    return after - c.count + 1;
  });
}
