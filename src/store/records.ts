import { normalizeCreateRequest } from '../dsl/normalize-request.js';
import { createRequestToJson } from '../dsl/to-json.js';
import type { Properties, WorkflowCreateRequest } from '../model/definition.js';
import { deepFreeze, type JsonObject } from '../model/json.js';
import type { WorkflowInstanceStatus } from '../model/status.js';
import { ConflictError, IllegalStateError, NotFoundError } from '../model/errors.js';
import type {
  ParentRef,
  NewRun,
  NewWorkflowVersion,
  NewWorkItem,
  OutboxEvent,
  PermitHolder,
  RunKey,
  RunRecord,
  WorkflowRecord,
  WorkflowVersionRecord,
  WorkItem,
  WorkItemKind,
} from './port.js';

// Rows as both adapters read them (numbers as JS numbers, NULL as null, JSON as text) and their mapping to the port's
// records.
// A NULL optional column becomes an absent key, never `undefined`, because the records use exact optional types.

export interface WorkflowRow {
  workflow_id: string;
  latest_version_id: number;
  active_version_id: number;
  properties: string;
  latest_instance_id: number;
  create_time: number;
  modify_time: number;
}

export interface VersionRow {
  workflow_id: string;
  version_id: number;
  definition: string;
  properties: string;
  author: string;
  create_time: number;
}

export interface RunRow {
  workflow_id: string;
  instance_id: number;
  run_id: number;
  version_id: number;
  request_id: string;
  status: string;
  correlation_id: string;
  initiator: string;
  state: string;
  version: number;
  create_time: number;
  start_time: number | null;
  end_time: number | null;
  modify_time: number;
  parent: string | null;
}

export interface WorkItemRow {
  id: number;
  kind: string;
  workflow_id: string;
  instance_id: number;
  run_id: number;
  step_id: string | null;
  attempt: number | null;
  payload: string;
  run_at: number;
  dedup_key: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
}

export interface OutboxRow {
  id: number;
  type: string;
  payload: string;
  create_time: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Definitions are stored in their canonical wire form, so the stored text is what `baton` would export. */
export function definitionToText(request: WorkflowCreateRequest): string {
  return JSON.stringify(createRequestToJson(request));
}

/** Stored definitions were validated when written, so they are normalized again, not re-validated. */
export function definitionFromText(text: string): WorkflowCreateRequest {
  return deepFreeze(normalizeCreateRequest(JSON.parse(text)));
}

const NO_STEPS = { id: '', steps: [] };

/** Properties go through the same wire form as definitions (the only serializer of the model). */
export function propertiesToText(properties: Properties): string {
  return JSON.stringify(createRequestToJson({ properties, workflow: NO_STEPS })['properties'] ?? {});
}

export function propertiesFromText(text: string): Properties {
  return deepFreeze(normalizeCreateRequest({ properties: JSON.parse(text) }).properties ?? {});
}

export function toWorkflow(row: WorkflowRow): WorkflowRecord {
  return { ...row, properties: propertiesFromText(row.properties) };
}

export function toVersion(row: VersionRow): WorkflowVersionRecord {
  return {
    ...row,
    definition: definitionFromText(row.definition),
    properties: propertiesFromText(row.properties),
  };
}

export function toRun(row: RunRow): RunRecord {
  const run: Mutable<RunRecord> = {
    workflow_id: row.workflow_id,
    instance_id: row.instance_id,
    run_id: row.run_id,
    version_id: row.version_id,
    request_id: row.request_id,
    status: row.status as WorkflowInstanceStatus,
    correlation_id: row.correlation_id,
    initiator: JSON.parse(row.initiator) as JsonObject,
    state: JSON.parse(row.state) as JsonObject,
    version: row.version,
    create_time: row.create_time,
    modify_time: row.modify_time,
  };
  if (row.start_time !== null) run.start_time = row.start_time;
  if (row.end_time !== null) run.end_time = row.end_time;
  if (row.parent !== null && row.parent !== undefined) run.parent = JSON.parse(row.parent) as ParentRef;
  return run;
}

export function toWorkItem(row: WorkItemRow): WorkItem {
  const item: Mutable<WorkItem> = {
    id: row.id,
    kind: row.kind as WorkItemKind,
    workflow_id: row.workflow_id,
    instance_id: row.instance_id,
    run_id: row.run_id,
    payload: JSON.parse(row.payload) as JsonObject,
    run_at: row.run_at,
    created_at: row.created_at,
  };
  if (row.step_id !== null) item.step_id = row.step_id;
  if (row.attempt !== null) item.attempt = row.attempt;
  if (row.dedup_key !== null) item.dedup_key = row.dedup_key;
  if (row.lease_owner !== null) item.lease_owner = row.lease_owner;
  if (row.lease_until !== null) item.lease_until = row.lease_until;
  return item;
}

export function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    type: row.type,
    payload: JSON.parse(row.payload) as JsonObject,
    create_time: row.create_time,
  };
}

/** The stored form of a run: the port's fields only (a caller's extra keys are not echoed back as if stored). */
export function runRecordOf(run: NewRun | RunRecord, version: number, modifyTime: number): RunRecord {
  const out: Mutable<RunRecord> = {
    workflow_id: run.workflow_id,
    instance_id: run.instance_id,
    run_id: run.run_id,
    version_id: run.version_id,
    request_id: run.request_id,
    status: run.status,
    correlation_id: run.correlation_id,
    initiator: run.initiator,
    state: run.state,
    create_time: run.create_time,
    version,
    modify_time: modifyTime,
  };
  if ('start_time' in run && run.start_time !== undefined) out.start_time = run.start_time;
  if ('end_time' in run && run.end_time !== undefined) out.end_time = run.end_time;
  if (run.parent !== undefined) out.parent = run.parent;
  return out;
}

/** A work item as stored by `enqueue`: the port's fields only, unset optional ones absent. */
export function storedWorkItem(item: NewWorkItem, id: number, createdAt: number): WorkItem {
  const out: Mutable<WorkItem> = {
    id,
    kind: item.kind,
    workflow_id: item.workflow_id,
    instance_id: item.instance_id,
    run_id: item.run_id,
    payload: item.payload,
    run_at: item.run_at,
    created_at: createdAt,
  };
  if (item.step_id !== undefined) out.step_id = item.step_id;
  if (item.attempt !== undefined) out.attempt = item.attempt;
  if (item.dedup_key !== undefined) out.dedup_key = item.dedup_key;
  if (item.lease_owner !== undefined) out.lease_owner = item.lease_owner;
  if (item.lease_until !== undefined) out.lease_until = item.lease_until;
  return out;
}

export function keyOf(key: RunKey): RunKey {
  return { workflow_id: key.workflow_id, instance_id: key.instance_id, run_id: key.run_id };
}

export function runName(key: RunKey): string {
  return `${key.workflow_id}/${key.instance_id}/${key.run_id}`;
}

/** Why an update of `run` read at `expected` did not land: it is gone, or another transaction wrote it first. */
export function runWriteError(run: RunKey, expected: number, current: number | undefined): Error {
  if (current === undefined)
    return new NotFoundError(`run ${runName(run)} does not exist`, { details: keyOf(run) });
  return new ConflictError(
    `run ${runName(run)} is at version ${current}, not ${expected}: it changed since it was read`,
    { details: { ...keyOf(run), expected_version: expected, actual_version: current } },
  );
}

/** The steps to write, a step given twice (for one run) kept at its last value: an upsert may not touch a row twice. */
export function lastOfEachStep<S extends { readonly step_id: string }>(steps: readonly S[]): S[] {
  const last = new Map<string, S>();
  for (const step of steps) last.set(step.step_id, step);
  return last.size === steps.length ? [...steps] : [...last.values()];
}

/** What a new workflow version writes: its number, the active version after it, and its texts. */
export interface VersionPlan {
  readonly versionId: number;
  readonly activeVersionId: number;
  readonly propertiesText: string;
  readonly definitionText: string;
  /** The version as `getWorkflowVersion` will read it back (equal and frozen). */
  readonly record: WorkflowVersionRecord;
}

/**
 * Plans version latest + 1 of a workflow (`current` is its row, absent for a new workflow). Properties merge key by
 * key with the previous snapshot (a key the request gives replaces the old value, a key it leaves out keeps it), as
 * Maestro's properties snapshot does. An inactive version (`is_active: false`) leaves the active version where it
 * was.
 */
export function planVersion(
  current: { latest_version_id: number; active_version_id: number; properties: string } | undefined,
  input: NewWorkflowVersion,
): VersionPlan {
  const { request, author, now } = input;
  const previous: Properties = current ? propertiesFromText(current.properties) : {};
  const propertiesText = propertiesToText({ ...previous, ...request.properties });
  const versionId = (current?.latest_version_id ?? 0) + 1;
  const activeVersionId = request.is_active === false ? (current?.active_version_id ?? 0) : versionId;
  const definitionText = definitionToText(request);
  return {
    versionId,
    activeVersionId,
    propertiesText,
    definitionText,
    record: {
      workflow_id: request.workflow.id,
      version_id: versionId,
      definition: definitionFromText(definitionText),
      properties: propertiesFromText(propertiesText),
      author,
      create_time: now,
    },
  };
}

/** Names a permit holder (one step attempt) in the `permit` table of either adapter. */
export function holderId(h: PermitHolder): string {
  return `${h.workflow_id}/${h.instance_id}/${h.run_id}/${h.step_id}/${h.attempt}`;
}

/** A lease without an end would never expire, and its item could never be taken over if the owner died. */
export function checkLeases(items: readonly NewWorkItem[]): void {
  for (const item of items) {
    if ((item.lease_owner === undefined) !== (item.lease_until === undefined)) {
      throw new IllegalStateError(
        'a work item enqueued already leased needs both lease_owner and lease_until',
      );
    }
  }
}

/**
 * Items of one `enqueue` call with the same `dedup_key` become one, as if enqueued one after another: the last one's
 * fields and lease, the earliest `run_at`. (PostgreSQL cannot upsert one row twice in a statement.)
 */
export function mergeDuplicates(items: readonly NewWorkItem[]): readonly NewWorkItem[] {
  if (!items.some((i) => i.dedup_key !== undefined)) return items;
  const byKey = new Map<string, number>();
  const out: NewWorkItem[] = [];
  for (const item of items) {
    const at = item.dedup_key === undefined ? undefined : byKey.get(item.dedup_key);
    if (at === undefined) {
      if (item.dedup_key !== undefined) byKey.set(item.dedup_key, out.length);
      out.push(item);
    } else out[at] = { ...item, run_at: Math.min(item.run_at, out[at]!.run_at) };
  }
  return out;
}

/** `nextInstanceIds` takes each workflow at most once: a repeat would take overlapping ids on one store. */
export function checkDistinctWorkflows(counts: readonly { readonly workflow_id: string }[]): void {
  const seen = new Set<string>();
  for (const c of counts) {
    if (seen.has(c.workflow_id))
      throw new IllegalStateError(`nextInstanceIds got workflow '${c.workflow_id}' twice; give each once`);
    seen.add(c.workflow_id);
  }
}
