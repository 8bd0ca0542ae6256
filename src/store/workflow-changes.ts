import type { Properties } from '../model/definition.js';
import { IllegalStateError, NotFoundError } from '../model/errors.js';
import type { Tag } from '../model/tag.js';
import type {
  PropertiesSnapshot,
  WorkflowChangeKind,
  WorkflowRecord,
  WorkflowTimelineEntry,
} from './port.js';
import {
  propertiesFromText,
  propertiesToText,
  toWorkflow,
  type VersionPlan,
  type WorkflowRow,
} from './records.js';

// The workflow changes of the port's WorkflowChangeTx, written once for both adapters over the few statements each
// adapter gives (`ChangeStatements`), so both decide alike: what exists, what changes, which snapshot and timeline
// entry a change writes, and when the rules version moves.

/** The workflow row with its deletion mark, as the change statements read it. */
export interface LockedWorkflowRow extends WorkflowRow {
  deleted: boolean | number;
}

export interface SnapshotRow {
  workflow_id: string;
  snapshot_id: number;
  properties: string;
  changes: string;
  author: string;
  create_time: number;
}

export interface TimelineRow {
  workflow_id: string;
  seq: number;
  kind: string;
  author: string;
  create_time: number;
  version_id: number | null;
  snapshot_id: number | null;
  active_version_id: number;
}

/** One statement each, in the current transaction. */
export interface ChangeStatements {
  /** The workflow's row, locked until the transaction ends; undefined when there is none. */
  lockWorkflow(workflowId: string): Promise<LockedWorkflowRow | undefined>;
  setActiveVersion(workflowId: string, versionId: number, now: number): Promise<void>;
  setProperties(workflowId: string, propertiesText: string, now: number): Promise<void>;
  /** Inserts snapshot latest + 1 of the workflow; returns its id. */
  insertSnapshot(row: Omit<SnapshotRow, 'snapshot_id'>): Promise<number>;
  /** Appends entry latest + 1 and drops those older than the last TIMELINE_LIMIT. */
  appendTimeline(row: Omit<TimelineRow, 'seq'>): Promise<void>;
  markDeleted(workflowId: string, now: number): Promise<void>;
  bumpRulesVersion(): Promise<void>;
}

function notFound(workflowId: string): NotFoundError {
  return new NotFoundError(`workflow '${workflowId}' does not exist`, {
    details: { workflow_id: workflowId },
  });
}

/** The workflow's locked row; NotFoundError when it has none or is being deleted. */
async function liveRow(s: ChangeStatements, workflowId: string): Promise<LockedWorkflowRow> {
  const row = await s.lockWorkflow(workflowId);
  if (!row || row.latest_version_id === 0 || row.deleted) throw notFound(workflowId);
  return row;
}

function recordOf(row: LockedWorkflowRow, changes: Partial<WorkflowRow>): WorkflowRecord {
  const { deleted: _deleted, ...plain } = row;
  return toWorkflow({ ...plain, ...changes });
}

export async function activateVersion(
  s: ChangeStatements,
  workflowId: string,
  versionId: number,
  author: string,
  now: number,
): Promise<WorkflowRecord> {
  const row = await liveRow(s, workflowId);
  // Versions are numbered 1..latest and never removed one by one, so the range says whether it exists.
  if (!Number.isInteger(versionId) || versionId < 1 || versionId > row.latest_version_id)
    throw new NotFoundError(`workflow '${workflowId}' has no version ${versionId}`, {
      details: { workflow_id: workflowId, version_id: versionId },
    });
  return setActive(s, row, versionId, 'ACTIVATED', author, now);
}

export async function deactivateWorkflow(
  s: ChangeStatements,
  workflowId: string,
  author: string,
  now: number,
): Promise<WorkflowRecord> {
  return setActive(s, await liveRow(s, workflowId), 0, 'DEACTIVATED', author, now);
}

async function setActive(
  s: ChangeStatements,
  row: LockedWorkflowRow,
  versionId: number,
  kind: WorkflowChangeKind,
  author: string,
  now: number,
): Promise<WorkflowRecord> {
  if (row.active_version_id === versionId) return recordOf(row, {});
  await s.setActiveVersion(row.workflow_id, versionId, now);
  await s.appendTimeline({
    workflow_id: row.workflow_id,
    kind,
    author,
    create_time: now,
    version_id: versionId === 0 ? null : versionId,
    snapshot_id: null,
    active_version_id: versionId,
  });
  return recordOf(row, { active_version_id: versionId, modify_time: now });
}

/** Writes the merged properties as a new snapshot, the workflow's properties and its timeline entry. */
async function changeProperties(
  s: ChangeStatements,
  row: LockedWorkflowRow,
  merged: Properties,
  changes: Properties,
  author: string,
  now: number,
): Promise<PropertiesSnapshot> {
  const propertiesText = propertiesToText(merged);
  const changesText = propertiesToText(changes);
  const workflowId = row.workflow_id;
  await s.setProperties(workflowId, propertiesText, now);
  await s.bumpRulesVersion();
  const snapshotId = await s.insertSnapshot({
    workflow_id: workflowId,
    properties: propertiesText,
    changes: changesText,
    author,
    create_time: now,
  });
  await s.appendTimeline({
    workflow_id: workflowId,
    kind: 'PROPERTIES_CHANGED',
    author,
    create_time: now,
    version_id: null,
    snapshot_id: snapshotId,
    active_version_id: row.active_version_id,
  });
  return toSnapshot({
    workflow_id: workflowId,
    snapshot_id: snapshotId,
    properties: propertiesText,
    changes: changesText,
    author,
    create_time: now,
  });
}

export async function updateProperties(
  s: ChangeStatements,
  workflowId: string,
  changes: Properties,
  author: string,
  now: number,
): Promise<PropertiesSnapshot> {
  const row = await liveRow(s, workflowId);
  const merged = { ...propertiesFromText(row.properties), ...changes };
  return changeProperties(s, row, merged, changes, author, now);
}

export async function addWorkflowTag(
  s: ChangeStatements,
  workflowId: string,
  tag: Tag,
  author: string,
  now: number,
): Promise<PropertiesSnapshot> {
  const row = await liveRow(s, workflowId);
  const current = propertiesFromText(row.properties);
  const tags = [...(current.tags ?? []).filter((t) => t.name !== tag.name), tag];
  return changeProperties(s, row, { ...current, tags }, { tags }, author, now);
}

export async function removeWorkflowTag(
  s: ChangeStatements,
  workflowId: string,
  tagName: string,
  author: string,
  now: number,
): Promise<PropertiesSnapshot> {
  const row = await liveRow(s, workflowId);
  const current = propertiesFromText(row.properties);
  const before = current.tags ?? [];
  const tags = before.filter((t) => t.name !== tagName);
  if (tags.length === before.length)
    throw new NotFoundError(`workflow '${workflowId}' has no tag '${tagName}'`, {
      details: { workflow_id: workflowId, tag: tagName },
    });
  return changeProperties(s, row, { ...current, tags }, { tags }, author, now);
}

export async function markWorkflowDeleted(
  s: ChangeStatements,
  workflowId: string,
  now: number,
): Promise<WorkflowRecord> {
  const row = await s.lockWorkflow(workflowId);
  if (!row || row.latest_version_id === 0 || isTombstone(row)) throw notFound(workflowId);
  if (!row.deleted) await s.markDeleted(workflowId, now);
  return recordOf(row, {});
}

/**
 * What a new version writes besides its row (`insertWorkflowVersion`): a snapshot when it changed the properties
 * (the first version always does), and its timeline entry. `current` is the row it was planned on; a workflow being
 * deleted takes no new version.
 */
export async function recordVersion(
  s: ChangeStatements,
  current: LockedWorkflowRow | undefined,
  plan: VersionPlan,
  changes: Properties | undefined,
): Promise<void> {
  const { workflow_id, author, create_time } = plan.record;
  let snapshotId: number | null = null;
  if (!current || current.latest_version_id === 0 || current.properties !== plan.propertiesText) {
    snapshotId = await s.insertSnapshot({
      workflow_id,
      properties: plan.propertiesText,
      changes: propertiesToText(changes ?? {}),
      author,
      create_time,
    });
  }
  await s.appendTimeline({
    workflow_id,
    kind: 'VERSION_CREATED',
    author,
    create_time,
    version_id: plan.versionId,
    snapshot_id: snapshotId,
    active_version_id: plan.activeVersionId,
  });
}

/**
 * The properties text of a deleted workflow's tombstone: its row stays once everything else is gone, so that if the
 * id is used again, its versions and instances go on from the deleted one's counters. No cache in any process (a
 * definition by version, a run by key and version) can then take the new workflow's for the deleted one's.
 */
export const GONE_PROPERTIES = '';

/** The row a new version is planned on: none for a new workflow, a tombstone read as a workflow with no properties. */
export function versionBase(row: LockedWorkflowRow | undefined): LockedWorkflowRow | undefined {
  return row && isTombstone(row) ? { ...row, properties: '{}', active_version_id: 0 } : row;
}

function isTombstone(row: LockedWorkflowRow): boolean {
  return Boolean(row.deleted) && row.properties === GONE_PROPERTIES;
}

/** Refuses a new version of a workflow being deleted (its id is free again once the deletion has finished). */
export function checkNotDeleted(row: LockedWorkflowRow | undefined, workflowId: string): void {
  if (row?.deleted && !isTombstone(row))
    throw new IllegalStateError(
      `workflow '${workflowId}' is being deleted; create it again once its deletion has finished (DELETE it again to finish an interrupted deletion)`,
      { details: { workflow_id: workflowId } },
    );
}

export function toSnapshot(row: SnapshotRow): PropertiesSnapshot {
  return {
    workflow_id: row.workflow_id,
    snapshot_id: row.snapshot_id,
    properties: propertiesFromText(row.properties),
    changes: propertiesFromText(row.changes),
    author: row.author,
    create_time: row.create_time,
  };
}

export function toTimelineEntry(row: TimelineRow): WorkflowTimelineEntry {
  const entry: WorkflowTimelineEntry = {
    workflow_id: row.workflow_id,
    seq: row.seq,
    kind: row.kind as WorkflowChangeKind,
    author: row.author,
    create_time: row.create_time,
    active_version_id: row.active_version_id,
  };
  return {
    ...entry,
    ...(row.version_id === null ? {} : { version_id: row.version_id }),
    ...(row.snapshot_id === null ? {} : { snapshot_id: row.snapshot_id }),
  };
}
