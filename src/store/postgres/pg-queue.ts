import {
  WorkItemKind,
  type BatchQueueWrites,
  type ClaimScope,
  type NewWorkItem,
  type RunKey,
  type WorkItem,
} from '../port.js';
import { checkLeases, mergeDuplicates, storedWorkItem, toWorkItem, type WorkItemRow } from '../records.js';
import type { Query } from './query.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ALL_KINDS = Object.values(WorkItemKind);

/** Stores the items (dropping those whose dedup_key is queued) and returns the ones stored. */
export async function enqueue(
  q: Query,
  items: readonly NewWorkItem[],
  createdAt: number,
): Promise<WorkItem[]> {
  if (items.length === 0) return [];
  checkLeases(items);
  items = mergeDuplicates(items);
  const { rows } = await q<{ id: number; ord: number; run_at: number; created_at: number }>('enqueue', [
    items.map((i) => i.kind),
    items.map((i) => i.workflow_id),
    items.map((i) => i.instance_id),
    items.map((i) => i.run_id),
    items.map((i) => i.step_id ?? null),
    items.map((i) => i.attempt ?? null),
    items.map((i) => JSON.stringify(i.payload)),
    items.map((i) => i.run_at),
    items.map((i) => i.dedup_key ?? null),
    items.map((i) => i.lease_owner ?? null),
    items.map((i) => i.lease_until ?? null),
    createdAt,
  ]);
  const added: WorkItem[] = [];
  for (const row of rows)
    added.push(storedWorkItem({ ...items[row.ord - 1]!, run_at: row.run_at }, row.id, row.created_at));
  return added;
}

export async function claim(
  q: Query,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
  kinds?: readonly WorkItemKind[],
  scope?: ClaimScope,
): Promise<WorkItem[]> {
  if (limit <= 0 || kinds?.length === 0 || scope?.instances.length === 0) return [];
  const leaseUntil = now + leaseMs;
  type Claimed = WorkItemRow & { previous_owner: string | null };
  const kindList = kinds === undefined ? null : [...kinds];
  const scoped = scope === undefined ? undefined : scopeArrays(scope);
  const expired = (
    scoped === undefined
      ? await q<Claimed>('claimExpired', [now, limit, owner, leaseUntil, kindList])
      : await q<Claimed>('claimExpiredScoped', [now, limit, owner, leaseUntil, kindList, ...scoped])
  ).rows;
  expired.sort((a, b) => a.id - b.id);
  const unleased: Claimed[] = [];
  for (const kind of kinds ?? ALL_KINDS) {
    const room = limit - expired.length - unleased.length;
    if (room <= 0) break;
    const args = [now, room, owner, leaseUntil, kind];
    const claimed = (
      scoped === undefined
        ? await q<Claimed>('claimUnleased', args)
        : await q<Claimed>('claimUnleasedScoped', [...args, ...scoped])
    ).rows;
    unleased.push(...claimed.sort((a, b) => a.run_at - b.run_at || a.id - b.id));
  }
  const rows = [...expired, ...unleased];
  return rows.map(({ previous_owner, ...row }) => {
    const item: Mutable<WorkItem> = toWorkItem(row);
    if (previous_owner !== null) item.expired_lease_owner = previous_owner;
    return item;
  });
}

/** A scope as the statements take it: the workflow ids and the instance ids of its instances, as two arrays. */
export function scopeArrays(scope: ClaimScope): [string[], number[]] {
  return [scope.instances.map((i) => i.workflow_id), scope.instances.map((i) => i.instance_id)];
}

export async function extendLeases(
  q: Query,
  owner: string,
  ids: readonly number[],
  leaseUntil: number,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await q<{ id: number }>('extendLeases', [leaseUntil, [...ids], owner]);
  const kept = new Set(rows.map((r) => r.id));
  return ids.filter((id) => kept.has(id));
}

export async function deleteStepItems(
  q: Query,
  key: RunKey,
  stepId: string,
  attempt: number,
): Promise<number> {
  return (await q('deleteStepItems', [key.workflow_id, key.instance_id, key.run_id, stepId, attempt])).count;
}

export async function deleteRunItems(
  q: Query,
  key: RunKey,
  kinds?: readonly WorkItemKind[],
): Promise<number> {
  if (kinds === undefined)
    return (await q('deleteRunItems', [key.workflow_id, key.instance_id, key.run_id])).count;
  if (kinds.length === 0) return 0;
  return (await q('deleteRunItemsOfKinds', [key.workflow_id, key.instance_id, key.run_id, [...kinds]])).count;
}

export async function nextRunAt(q: Query, now: number, scope?: ClaimScope): Promise<number | undefined> {
  if (scope?.instances.length === 0) return undefined;
  const [row] = (
    scope === undefined
      ? await q<{ run_at: number | null }>('nextRunAt', [now])
      : await q<{ run_at: number | null }>('nextRunAtScoped', [now, ...scopeArrays(scope)])
  ).rows;
  return row?.run_at ?? undefined;
}

/**
 * One round trip: the ended runs' items deleted, the acks and the outbox events (one statement), then the new
 * items (through `enqueue`, the transaction's own), issued together (pipelined); the server runs them in that order.
 */
export async function writeBatch(
  q: Query,
  writes: BatchQueueWrites,
  enqueueItems: (items: readonly NewWorkItem[]) => Promise<WorkItem[]>,
): Promise<WorkItem[]> {
  const ended = writes.ended ?? [];
  const [, , added] = await Promise.all([
    ended.length > 0
      ? q('deleteEndedItems', [
          ended.map((k) => k.workflow_id),
          ended.map((k) => k.instance_id),
          ended.map((k) => k.run_id),
        ])
      : undefined,
    writes.ack.length > 0 || writes.outbox.length > 0
      ? q('ackAndAppend', [
          [...writes.ack],
          writes.outbox.map((e) => e.type),
          writes.outbox.map((e) => JSON.stringify(e.payload)),
          writes.outbox.map((e) => e.create_time),
          writes.owner ?? null,
        ])
      : undefined,
    enqueueItems(writes.items),
  ]);
  return added;
}
