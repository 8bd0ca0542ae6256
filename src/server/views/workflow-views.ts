import { createRequestToJson } from '../../dsl/to-json.js';
import type { JsonObject } from '../../model/json.js';
import type { WorkflowRecord, WorkflowVersionRecord } from '../../store/port.js';

/** Properties as a snapshot of one workflow at one moment (Maestro's PropertiesSnapshot). */
export function propertiesSnapshotView(
  workflowId: string,
  properties: JsonObject,
  createTime: number,
  author: string,
): JsonObject {
  return { ...properties, workflow_id: workflowId, create_time: createTime, author };
}

/** A stored version as Maestro's WorkflowDefinition: the definition with its metadata and properties. */
export function workflowDefinitionView(
  version: WorkflowVersionRecord,
  workflow?: WorkflowRecord,
): JsonObject {
  const json = createRequestToJson({ ...version.definition, properties: version.properties });
  const active = workflow !== undefined && workflow.active_version_id === version.version_id;
  const latest = workflow !== undefined && workflow.latest_version_id === version.version_id;
  const isDefault = active || (latest && workflow.active_version_id === 0);
  return {
    properties_snapshot: propertiesSnapshotView(
      version.workflow_id,
      (json['properties'] as JsonObject | undefined) ?? {},
      version.create_time,
      version.author,
    ),
    metadata: {
      workflow_id: version.workflow_id,
      workflow_version_id: version.version_id,
      create_time: version.create_time,
      version_author: version.author,
    },
    workflow: json['workflow'] as JsonObject,
    is_active: active,
    is_latest: latest,
    is_default: isDefault,
    modify_time: workflow?.modify_time ?? version.create_time,
  };
}
