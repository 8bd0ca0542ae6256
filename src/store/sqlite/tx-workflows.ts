import { NotFoundError } from '../../model/errors.js';
import type { Properties } from '../../model/definition.js';
import type { NewWorkflowVersion, WorkflowRecord, WorkflowVersionRecord } from '../port.js';
import {
  definitionFromText,
  definitionToText,
  propertiesFromText,
  propertiesToText,
  toVersion,
  toWorkflow,
} from '../records.js';
import type { VersionRow, WorkflowRow } from '../records.js';
import type { TxContext } from './tx-context.js';

export function getWorkflow(ctx: TxContext, workflowId: string): WorkflowRecord | undefined {
  const row = ctx.stmts.getWorkflow.get(workflowId) as WorkflowRow | undefined;
  return row && toWorkflow(row);
}

/**
 * Adds version latest + 1. Properties merge key by key with the previous snapshot (a key the request gives replaces
 * the old value, a key it leaves out keeps it), as Maestro's properties snapshot does. An inactive version
 * (`is_active: false`) leaves the active version where it was.
 */
export function insertWorkflowVersion(ctx: TxContext, input: NewWorkflowVersion): WorkflowVersionRecord {
  const { request, author, now } = input;
  const workflowId = request.workflow.id;
  const row = ctx.stmts.getWorkflow.get(workflowId) as WorkflowRow | undefined;
  const previous: Properties = row ? propertiesFromText(row.properties) : {};
  const propertiesText = propertiesToText({ ...previous, ...request.properties });
  const versionId = (row?.latest_version_id ?? 0) + 1;
  const activeVersionId = request.is_active === false ? (row?.active_version_id ?? 0) : versionId;
  const params = {
    workflow_id: workflowId,
    latest_version_id: versionId,
    active_version_id: activeVersionId,
    properties: propertiesText,
    now,
  };
  if (row) ctx.stmts.updateWorkflowVersion.run(params);
  else ctx.stmts.insertWorkflow.run(params);
  const definitionText = definitionToText(request);
  ctx.stmts.insertVersion.run(workflowId, versionId, definitionText, propertiesText, author, now);
  // Read back through the same path as getWorkflowVersion, so both return equal (and frozen) values.
  return {
    workflow_id: workflowId,
    version_id: versionId,
    definition: definitionFromText(definitionText),
    properties: propertiesFromText(propertiesText),
    author,
    create_time: now,
  };
}

export function getWorkflowVersion(
  ctx: TxContext,
  workflowId: string,
  versionId: number,
): WorkflowVersionRecord | undefined {
  const row = ctx.stmts.getVersion.get(workflowId, versionId) as VersionRow | undefined;
  return row && toVersion(row);
}

export function nextInstanceId(ctx: TxContext, workflowId: string): number {
  const row = ctx.stmts.nextInstanceId.get(workflowId) as { latest_instance_id: number } | undefined;
  if (!row)
    throw new NotFoundError(`workflow '${workflowId}' does not exist`, {
      details: { workflow_id: workflowId },
    });
  return row.latest_instance_id;
}
