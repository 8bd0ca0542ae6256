import { NotFoundError } from '../../model/errors.js';
import type { NewWorkflowVersion, WorkflowRecord, WorkflowVersionRecord } from '../port.js';
import { planVersion, toVersion, toWorkflow } from '../records.js';
import type { VersionRow, WorkflowRow } from '../records.js';
import type { TxContext } from './tx-context.js';

export function getWorkflow(ctx: TxContext, workflowId: string): WorkflowRecord | undefined {
  const row = ctx.stmts.getWorkflow.get(workflowId) as WorkflowRow | undefined;
  return row && toWorkflow(row);
}

/** Adds version latest + 1 (see `planVersion`), creating the workflow row with its first version. */
export function insertWorkflowVersion(ctx: TxContext, input: NewWorkflowVersion): WorkflowVersionRecord {
  const workflowId = input.request.workflow.id;
  const row = ctx.stmts.getWorkflow.get(workflowId) as WorkflowRow | undefined;
  const plan = planVersion(row, input);
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
