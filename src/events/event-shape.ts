import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { OutboxEvent, RunKey, RunRecord, StoreTx } from '../store/port.js';

/** What an event says about its run beyond the outbox row: read once per run and version per take. */
export interface RunFacts {
  /** The run's request id: Maestro's `workflow_uuid`, as the API shows it. */
  readonly workflow_uuid?: string;
  readonly correlation_id?: string;
  readonly depth: number;
  readonly workflow_name?: string;
  readonly tags: JsonValue;
}

/**
 * A stable UUID (RFC 4122 version 5 layout, SHA-1 of the name) for something Baton identifies by key rather than by
 * a stored UUID: the same run or step attempt gets the same UUID on every resend and from every relay.
 */
export function nameUuid(name: string): string {
  const b = createHash('sha1').update(`baton:${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const runText = (k: RunKey): string => `${k.workflow_id}/${k.instance_id}/${k.run_id}`;

/** A step attempt's `step_uuid`, the same in events and in the API's views. */
export function stepUuid(key: RunKey, stepId: string, attempt: number): string {
  return nameUuid(`step:${runText(key)}/${stepId}/${attempt}`);
}

/**
 * An outbox event in its published shape (Maestro's §8.1 fields, snake_case, `type` first), without `send_time`,
 * which the relay adds at each send. Events carry identity and status only: no params, so no secrets.
 */
export function shapeEvent(event: OutboxEvent, facts: RunFacts | undefined, clusterName: string): JsonObject {
  const p = event.payload;
  const key: RunKey = {
    workflow_id: String(p['workflow_id']),
    instance_id: Number(p['workflow_instance_id']),
    run_id: Number(p['workflow_run_id']),
  };
  const common = {
    workflow_id: key.workflow_id,
    workflow_instance_id: key.instance_id,
    workflow_run_id: key.run_id,
    workflow_uuid: facts?.workflow_uuid ?? nameUuid(`run:${runText(key)}`),
    ...(facts?.correlation_id === undefined ? {} : { correlation_id: facts.correlation_id }),
  };
  if (event.type === 'STEP_INSTANCE_STATUS_CHANGE_EVENT')
    return {
      type: event.type,
      ...common,
      step_id: p['step_id'] ?? null,
      step_attempt_id: p['step_attempt_id'] ?? null,
      step_uuid: stepUuid(key, String(p['step_id']), Number(p['step_attempt_id'])),
      cluster_name: clusterName,
      status_change_records: p['status_change_records'] ?? [],
      sync_time: event.create_time,
    };
  if (event.type === 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT')
    return {
      type: event.type,
      ...common,
      ...(facts?.workflow_name === undefined ? {} : { workflow_name: facts.workflow_name }),
      depth: facts?.depth ?? 0,
      cluster_name: clusterName,
      tags: facts?.tags ?? [],
      old_status: p['old_status'] ?? null,
      new_status: p['new_status'] ?? null,
      event_time: p['event_time'] ?? event.create_time,
      sync_time: event.create_time,
    };
  // an event type this relay does not know (written by a newer Baton): passed on as written
  return { type: event.type, ...p, cluster_name: clusterName, sync_time: event.create_time };
}

/**
 * The facts of the runs `events` belong to, read in the take's transaction: the run row (correlation id, initiator
 * depth) and its version's definition (name, tags), versions cached across takes (they never change).
 */
export async function runFactsOf(
  tx: StoreTx,
  events: readonly OutboxEvent[],
  versions: Map<string, { name?: string; tags: JsonValue }>,
): Promise<Map<string, RunFacts>> {
  const out = new Map<string, RunFacts>();
  for (const e of events) {
    const key: RunKey = {
      workflow_id: String(e.payload['workflow_id']),
      instance_id: Number(e.payload['workflow_instance_id']),
      run_id: Number(e.payload['workflow_run_id']),
    };
    const text = runText(key);
    if (out.has(text)) continue;
    const run = await tx.getRun(key);
    if (run === undefined) continue;
    const version = await versionFacts(tx, run, versions);
    const depth = run.initiator['depth'];
    out.set(text, {
      workflow_uuid: run.request_id,
      correlation_id: run.correlation_id,
      depth: typeof depth === 'number' ? depth : 0,
      ...(version.name === undefined ? {} : { workflow_name: version.name }),
      tags: version.tags,
    });
  }
  return out;
}

async function versionFacts(
  tx: StoreTx,
  run: RunRecord,
  cache: Map<string, { name?: string; tags: JsonValue }>,
): Promise<{ name?: string; tags: JsonValue }> {
  const id = `${run.workflow_id}\u0000${run.version_id}`;
  const cached = cache.get(id);
  if (cached) return cached;
  const version = await tx.getWorkflowVersion(run.workflow_id, run.version_id);
  const workflow = version?.definition.workflow;
  const facts = {
    ...(workflow?.name === undefined ? {} : { name: workflow.name }),
    tags: (workflow?.tags ?? []) as unknown as JsonValue,
  };
  if (cache.size >= 1000) cache.clear();
  cache.set(id, facts);
  return facts;
}

export function runTextOf(event: OutboxEvent): string {
  const p = event.payload;
  return `${String(p['workflow_id'])}/${Number(p['workflow_instance_id'])}/${Number(p['workflow_run_id'])}`;
}
