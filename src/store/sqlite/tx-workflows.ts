import { NotFoundError } from '../../model/errors.js';
import type { Properties } from '../../model/definition.js';
import type { Breakpoint, NewWorkflowVersion, WorkflowRecord, WorkflowVersionRecord } from '../port.js';
import { planVersion, propertiesFromText, toVersion, toWorkflow } from '../records.js';
import type { VersionRow, WorkflowRow } from '../records.js';
import {
  checkNotDeleted,
  versionBase,
  recordVersion,
  type ChangeStatements,
  type LockedWorkflowRow,
  type TimelineRow,
} from '../workflow-changes.js';
import { TIMELINE_LIMIT } from '../port.js';
import type { TxContext } from './tx-context.js';

export function getWorkflow(ctx: TxContext, workflowId: string): WorkflowRecord | undefined {
  const row = ctx.stmts.getWorkflow.get(workflowId) as WorkflowRow | undefined;
  return row && toWorkflow(row);
}

/** The properties a transition of the workflow's runs respects (kept while the workflow is being deleted). */
export function getRuleProperties(ctx: TxContext, workflowId: string): Properties | undefined {
  const row = ctx.stmts.getRuleProperties.get(workflowId) as { properties: string } | undefined;
  return row && propertiesFromText(row.properties);
}

/**
 * Adds version latest + 1 (see `planVersion`), creating the workflow row with its first version, with its
 * properties snapshot (when they changed) and timeline entry.
 */
export async function insertWorkflowVersion(
  ctx: TxContext,
  input: NewWorkflowVersion,
): Promise<WorkflowVersionRecord> {
  const workflowId = input.request.workflow.id;
  const row = ctx.stmts.lockWorkflow.get(workflowId) as LockedWorkflowRow | undefined;
  checkNotDeleted(row, workflowId);
  const plan = planVersion(versionBase(row), input);
  const params = {
    workflow_id: workflowId,
    latest_version_id: plan.versionId,
    active_version_id: plan.activeVersionId,
    properties: plan.propertiesText,
    now: input.now,
  };
  if (row) ctx.stmts.updateWorkflowVersion.run(params);
  else ctx.stmts.insertWorkflow.run(params);
  ctx.stmts.bumpRulesVersion.run();
  ctx.stmts.insertVersion.run(
    workflowId,
    plan.versionId,
    plan.definitionText,
    plan.propertiesText,
    input.author,
    input.now,
  );
  await recordVersion(changeStatements(ctx), row, plan, input.request.properties);
  return plan.record;
}

export function getWorkflowVersion(
  ctx: TxContext,
  workflowId: string,
  versionId: number,
): WorkflowVersionRecord | undefined {
  const row = ctx.stmts.getVersion.get(workflowId, versionId) as VersionRow | undefined;
  return row && toVersion(row);
}

export function nextInstanceId(ctx: TxContext, workflowId: string, count = 1): number {
  const row = ctx.stmts.nextInstanceId.get(count, workflowId) as { latest_instance_id: number } | undefined;
  if (!row)
    throw new NotFoundError(`workflow '${workflowId}' does not exist`, {
      details: { workflow_id: workflowId },
    });
  return row.latest_instance_id - count + 1;
}

export function deleteBreakpoint(ctx: TxContext, b: Breakpoint): number {
  const { changes } = ctx.stmts.deleteBreakpoint.run(
    b.workflow_id,
    b.step_id,
    b.instance_id,
    b.run_id,
    b.attempt,
  );
  if (changes > 0) ctx.stmts.bumpRulesVersion.run();
  return changes;
}

/** The statements the shared workflow-change logic runs (store/workflow-changes.ts). */
export function changeStatements(ctx: TxContext): ChangeStatements {
  const { stmts } = ctx;
  return {
    lockWorkflow: async (workflowId) => stmts.lockWorkflow.get(workflowId) as LockedWorkflowRow | undefined,
    setActiveVersion: async (workflowId, versionId, now) => {
      stmts.setActiveVersion.run(versionId, now, workflowId);
    },
    setProperties: async (workflowId, text, now) => {
      stmts.setProperties.run(text, now, workflowId);
    },
    insertSnapshot: async (row) => (stmts.insertSnapshot.get(row) as { snapshot_id: number }).snapshot_id,
    appendTimeline: async (row: Omit<TimelineRow, 'seq'>) => {
      stmts.appendTimeline.run(row);
      stmts.trimTimeline.run({ workflow_id: row.workflow_id, keep: TIMELINE_LIMIT });
    },
    markDeleted: async (workflowId, now) => {
      stmts.markDeleted.run(now, workflowId);
    },
    bumpRulesVersion: async () => {
      stmts.bumpRulesVersion.run();
    },
  };
}
