import type { Properties } from '../../model/definition.js';
import type { Tag } from '../../model/tag.js';
import type { WorkflowRecord } from './workflows.js';

/**
 * Managing workflows (Maestro's workflow and workflow-action endpoints): activation, properties snapshots, tags,
 * the change timeline and deletion. Every change locks the workflow's row until the transaction ends (so two changes
 * of one workflow take turns and see each other), appends its timeline entry in the same transaction, and moves the
 * store's rules version (`WorkflowRules.version`) when it changes properties, so engines drop rules they cached. No
 * change finds a workflow being deleted (NotFoundError), as `getWorkflow` does not; its snapshots and timeline can
 * still be read until `deleteWorkflowBatch` removes them.
 */
export interface WorkflowChangeTx {
  /**
   * Makes `versionId` the active version (`PUT /workflows/{id}/versions/{v}/actions/activate`); NotFoundError when
   * the workflow or the version does not exist. Activating the active version changes nothing (no timeline entry).
   * Does not move the rules version (the active version is not a rule of running runs).
   */
  activateVersion(
    workflowId: string,
    versionId: number,
    author: string,
    now: number,
  ): Promise<WorkflowRecord>;
  /** No version active (`active_version_id` 0): triggers stop firing. Idempotent as `activateVersion` is. */
  deactivateWorkflow(workflowId: string, author: string, now: number): Promise<WorkflowRecord>;
  /**
   * Applies a properties delta (`POST /workflows/{id}/properties`): each key given replaces the current value, keys
   * left out keep theirs (as a new version's properties do). Always writes a new snapshot (id latest + 1) with the
   * author, time and the delta, makes it the workflow's properties, and moves the rules version.
   */
  updateProperties(
    workflowId: string,
    changes: Properties,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot>;
  /**
   * Adds a tag to the workflow's properties, replacing one of the same name (`POST /workflows/{id}/properties/tag`):
   * a properties change as `updateProperties` makes it.
   */
  addWorkflowTag(workflowId: string, tag: Tag, author: string, now: number): Promise<PropertiesSnapshot>;
  /**
   * Removes the tag of this name (`DELETE /workflows/{id}/properties/tag/{name}`); NotFoundError when the workflow
   * has no such tag (nothing is written).
   */
  removeWorkflowTag(
    workflowId: string,
    tagName: string,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot>;
  /**
   * A properties snapshot by id, or the latest with 'latest' (`GET /workflows/{id}/properties-snapshot/{id}`).
   * Snapshots are written by `updateProperties`, the tag methods, and `insertWorkflowVersion` when a version
   * changes the properties (its first always does).
   */
  getPropertiesSnapshot(
    workflowId: string,
    snapshotId: number | 'latest',
  ): Promise<PropertiesSnapshot | undefined>;
  /**
   * The workflow's changes, newest first (`GET /workflows/{id}/timeline`): at most `TIMELINE_LIMIT`, the oldest
   * dropped as new ones are appended (in the transaction of the change).
   */
  getWorkflowTimeline(workflowId: string): Promise<WorkflowTimelineEntry[]>;

  /**
   * Starts deleting a workflow (`DELETE /workflows/{id}`): marks its row deleted, so from this commit on it is not
   * found, nothing new starts (`nextInstanceId` fails, a start waiting for the row's lock included), and a new
   * version of it is refused until `deleteWorkflowBatch` has removed everything. NotFoundError when it does not
   * exist; already being deleted is fine (idempotent). Returns the record as it was.
   */
  markWorkflowDeleted(workflowId: string, now: number): Promise<WorkflowRecord>;
  /**
   * Removes up to `limit` runs of a workflow marked deleted, with their steps, work items and permits; once it has no
   * runs, its versions (up to `limit`), then its snapshots, timeline, breakpoints, queued admissions and its row.
   * Call it in a transaction of its own each time until `more` is false, so no transaction grows with the history.
   * `permitKeys`: the permit keys its released permits and places in line were for; the caller lets waiters in
   * (`grantWaiting`) so they are not held up by holders that no longer exist. IllegalStateError when the workflow
   * exists and is not marked deleted; a workflow already gone is `{ more: false }`. `limit`: 1 to 10,000.
   *
   * Engines still running a run of it are not stopped by the store. A process that holds a lease on an item of a
   * deleted run finds, as after `deleteStepItems`, that its lease extension no longer returns the item (it stops the
   * step), its `ack` deletes nothing, and its transition finds no run and is dropped; no row is written back.
   */
  deleteWorkflowBatch(workflowId: string, limit: number): Promise<{ more: boolean; permitKeys: string[] }>;
  /** Deletes a tag permit (`DELETE /tag-permits/{tag}`); false when there was none. Moves the rules version. */
  deleteTagPermit(tag: string): Promise<boolean>;
}

/** A workflow's properties as one change left them. */
export interface PropertiesSnapshot {
  readonly workflow_id: string;
  /** 1, 2, ... per workflow. */
  readonly snapshot_id: number;
  /** The merged properties in force from this snapshot on. */
  readonly properties: Properties;
  /** The delta that made it (a version's own properties, for a snapshot written by a new version). */
  readonly changes: Properties;
  readonly author: string;
  readonly create_time: number;
}

export const WorkflowChangeKind = {
  VERSION_CREATED: 'VERSION_CREATED',
  PROPERTIES_CHANGED: 'PROPERTIES_CHANGED',
  ACTIVATED: 'ACTIVATED',
  DEACTIVATED: 'DEACTIVATED',
} as const;
export type WorkflowChangeKind = (typeof WorkflowChangeKind)[keyof typeof WorkflowChangeKind];

export interface WorkflowTimelineEntry {
  readonly workflow_id: string;
  /** 1, 2, ... per workflow, in the order changes committed. */
  readonly seq: number;
  readonly kind: WorkflowChangeKind;
  readonly author: string;
  readonly create_time: number;
  /** VERSION_CREATED: the new version; ACTIVATED: the version made active. */
  readonly version_id?: number;
  /** The snapshot the change wrote: PROPERTIES_CHANGED, and VERSION_CREATED when it changed the properties. */
  readonly snapshot_id?: number;
  /** The active version after the change (0: none). */
  readonly active_version_id: number;
}

/** Timeline entries kept per workflow (Maestro's timeline query limit). */
export const TIMELINE_LIMIT = 300;
