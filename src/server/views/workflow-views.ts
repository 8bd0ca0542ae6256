import { createRequestToJson, propertiesToJson } from '../../dsl/to-json.js';
import type { JsonObject } from '../../model/json.js';
import { redactWorkflow } from '../../params/secrets.js';
import type {
  PropertiesSnapshot,
  TimeTriggerState,
  WorkflowRecord,
  WorkflowTimelineEntry,
  WorkflowVersionRecord,
} from '../../store/port.js';

/** Properties as a snapshot of one workflow at one moment (Maestro's PropertiesSnapshot). */
export function propertiesSnapshotView(
  workflowId: string,
  properties: JsonObject,
  createTime: number,
  author: string,
): JsonObject {
  return { ...withTagObjects(properties), workflow_id: workflowId, create_time: createTime, author };
}

/**
 * Tags as Maestro writes them: objects (`{"name": "team-a"}`), where Baton's definitions keep the short form a name
 * alone may take. Input takes either.
 */
export function withTagObjects(json: JsonObject): JsonObject {
  const tags = json['tags'];
  if (!Array.isArray(tags)) return json;
  return { ...json, tags: tags.map((t) => (typeof t === 'string' ? { name: t } : t)) };
}

/**
 * A stored version as Maestro's WorkflowDefinition: the definition with its metadata and properties; the values of
 * params marked secret are not shown.
 */
export function workflowDefinitionView(
  version: WorkflowVersionRecord,
  workflow?: WorkflowRecord,
): JsonObject {
  const json = createRequestToJson({
    ...version.definition,
    workflow: redactWorkflow(version.definition.workflow),
    properties: version.properties,
  });
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
    workflow: withTagObjects(json['workflow'] as JsonObject),
    is_active: active,
    is_latest: latest,
    is_default: isDefault,
    modify_time: workflow?.modify_time ?? version.create_time,
  };
}

/** A stored properties snapshot as Maestro's PropertiesSnapshot (also the answer to a properties change). */
export function snapshotView(snapshot: PropertiesSnapshot): JsonObject {
  return propertiesSnapshotView(
    snapshot.workflow_id,
    propertiesToJson(snapshot.properties),
    snapshot.create_time,
    snapshot.author,
  );
}

/**
 * A workflow in a list (`GET /workflows`, Baton's): its ids, counters and owner, and when its time triggers fire
 * next (`next_fire_time`, absent when none will).
 */
export function workflowSummaryView(workflow: WorkflowRecord, triggers?: TimeTriggerState): JsonObject {
  return {
    workflow_id: workflow.workflow_id,
    latest_version_id: workflow.latest_version_id,
    active_version_id: workflow.active_version_id,
    latest_instance_id: workflow.latest_instance_id,
    ...(workflow.properties.owner ? { owner: workflow.properties.owner.name } : {}),
    create_time: workflow.create_time,
    modify_time: workflow.modify_time,
    ...(triggers?.next_fire_time === undefined ? {} : { next_fire_time: triggers.next_fire_time }),
  };
}

/** One change of a workflow's timeline, as an ACTION event. */
export function timelineEntryView(entry: WorkflowTimelineEntry): JsonObject {
  const what =
    entry.kind === 'VERSION_CREATED'
      ? `created version ${entry.version_id}`
      : entry.kind === 'ACTIVATED'
        ? `activated version ${entry.version_id}`
        : entry.kind === 'DEACTIVATED'
          ? 'deactivated the workflow'
          : `changed the properties (snapshot ${entry.snapshot_id})`;
  return {
    timestamp: entry.create_time,
    type: 'ACTION',
    action: entry.kind,
    author: entry.author,
    message: `${entry.author} ${what}`,
    ...(entry.version_id === undefined ? {} : { version_id: entry.version_id }),
    active_version_id: entry.active_version_id,
  };
}
