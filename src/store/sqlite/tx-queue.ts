import type { JsonObject } from '../../model/json.js';
import {
  WorkItemKind,
  type ClaimScope,
  type NewOutboxEvent,
  type NewWorkItem,
  type OutboxEvent,
  type RunKey,
  type WorkItem,
} from '../port.js';
import {
  checkLeases,
  mergeDuplicates,
  storedWorkItem,
  toOutboxEvent,
  toWorkItem,
  type OutboxRow,
  type WorkItemRow,
} from '../records.js';
import { runInChunks } from './sql.js';
import type { TxContext } from './tx-context.js';

const ALL_KINDS = Object.values(WorkItemKind);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function enqueue(ctx: TxContext, items: readonly NewWorkItem[]): WorkItem[] {
  checkLeases(items);
  const createdAt = ctx.clock.now();
  const added: WorkItem[] = [];
  for (const item of mergeDuplicates(items)) {
    const row = {
      kind: item.kind,
      workflow_id: item.workflow_id,
      instance_id: item.instance_id,
      run_id: item.run_id,
      step_id: item.step_id ?? null,
      attempt: item.attempt ?? null,
      payload: JSON.stringify(item.payload),
      run_at: item.run_at,
      dedup_key: item.dedup_key ?? null,
      lease_owner: item.lease_owner ?? null,
      lease_until: item.lease_until ?? null,
      created_at: createdAt,
    };
    if (item.dedup_key === undefined) {
      added.push(storedWorkItem(item, Number(ctx.stmts.enqueue.run(row).lastInsertRowid), createdAt));
    } else {
      // a key already queued is armed again and returned as it now stands
      const stored = ctx.stmts.enqueueDedup.get(row) as { id: number; run_at: number; created_at: number };
      added.push(storedWorkItem({ ...item, run_at: stored.run_at }, stored.id, stored.created_at));
    }
    // Work created already leased goes to a local worker directly; waking the claimers for it would be wasted.
    if (item.lease_owner === undefined) ctx.workAdded = true;
  }
  return added;
}

export function claim(
  ctx: TxContext,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
  kinds?: readonly WorkItemKind[],
  scope?: ClaimScope,
): WorkItem[] {
  if (limit <= 0 || kinds?.length === 0 || scope?.instances.length === 0) return [];
  const { stmts } = ctx;
  const inScope = scope === undefined ? {} : { scope: scopeJson(scope) };
  const expired = (scope === undefined ? stmts.claimableExpired : stmts.claimableExpiredScoped).all({
    now,
    limit,
    kinds: kinds === undefined ? null : JSON.stringify(kinds),
    ...inScope,
  }) as WorkItemRow[];
  const unleased: WorkItemRow[] = [];
  const unleasedOf = scope === undefined ? stmts.claimableUnleased : stmts.claimableUnleasedScoped;
  for (const kind of kinds ?? ALL_KINDS) {
    const room = limit - expired.length - unleased.length;
    if (room <= 0) break;
    unleased.push(...(unleasedOf.all({ now, limit: room, kind, ...inScope }) as WorkItemRow[]));
  }
  const rows = [...expired, ...unleased];
  const leaseUntil = now + leaseMs;
  return rows.map((row) => {
    ctx.stmts.lease.run(owner, leaseUntil, row.id);
    const item: Mutable<WorkItem> = { ...toWorkItem(row), lease_owner: owner, lease_until: leaseUntil };
    if (row.lease_owner !== null) item.expired_lease_owner = row.lease_owner;
    return item;
  });
}

export function extendLeases(
  ctx: TxContext,
  owner: string,
  ids: readonly number[],
  leaseUntil: number,
): number[] {
  return ids.filter((id) => ctx.stmts.extendLease.run(leaseUntil, id, owner).changes > 0);
}

export function releaseLeases(ctx: TxContext, owner: string): number {
  const released = ctx.stmts.releaseLeases.run(owner).changes;
  if (released > 0) ctx.workAdded = true;
  return released;
}

export function ack(ctx: TxContext, ids: readonly number[], owner?: string): void {
  if (owner === undefined) for (const id of ids) ctx.stmts.ack.run(id);
  else for (const id of ids) ctx.stmts.ackOwned.run(id, owner);
}

/** An id that is gone (acked by whoever took the item over) is left alone, like `ack` does. */
export function reschedule(
  ctx: TxContext,
  id: number,
  runAt: number,
  payload?: JsonObject,
  owner?: string,
): void {
  const text = payload === undefined ? null : JSON.stringify(payload);
  const who = owner ?? null;
  if (ctx.stmts.reschedule.run(runAt, text, id, who, who).changes > 0) ctx.workAdded = true;
}

/** Leased ones too: the holder finds out when `extendLeases` no longer returns the id. */
export function deleteStepItems(ctx: TxContext, key: RunKey, stepId: string, attempt: number): number {
  return ctx.stmts.deleteStepItems.run(key.workflow_id, key.instance_id, key.run_id, stepId, attempt).changes;
}

export function deleteRunItems(ctx: TxContext, key: RunKey, kinds?: readonly WorkItemKind[]): number {
  if (kinds === undefined)
    return ctx.stmts.deleteRunItems.run(key.workflow_id, key.instance_id, key.run_id).changes;
  if (kinds.length === 0) return 0;
  return ctx.stmts.deleteRunItemsOfKinds.run(
    key.workflow_id,
    key.instance_id,
    key.run_id,
    JSON.stringify(kinds),
  ).changes;
}

export function nextRunAt(ctx: TxContext, now: number, scope?: ClaimScope): number | undefined {
  if (scope?.instances.length === 0) return undefined;
  const row = (
    scope === undefined
      ? ctx.stmts.nextRunAt.get({ now })
      : ctx.stmts.nextRunAtScoped.get({ now, scope: scopeJson(scope) })
  ) as { run_at: number | null };
  return row.run_at ?? undefined;
}

/** A scope as the statements take it: one JSON array of [workflow_id, instance_id] pairs. */
function scopeJson(scope: ClaimScope): string {
  return JSON.stringify(scope.instances.map((i) => [i.workflow_id, i.instance_id]));
}

export function appendOutbox(ctx: TxContext, events: readonly NewOutboxEvent[]): void {
  const { appendOutboxChunk, appendOutbox: one } = ctx.stmts;
  runInChunks(events, appendOutboxChunk, one, (e) => [e.type, JSON.stringify(e.payload), e.create_time]);
}

export function readOutbox(ctx: TxContext, afterId: number, limit: number): OutboxEvent[] {
  if (limit <= 0) return [];
  return (ctx.stmts.readOutbox.all(afterId, limit) as OutboxRow[]).map(toOutboxEvent);
}
