import { WorkItemKind, type NewWorkItem, type WorkItem } from '../port.js';
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
): Promise<WorkItem[]> {
  if (limit <= 0 || kinds?.length === 0) return [];
  const leaseUntil = now + leaseMs;
  type Claimed = WorkItemRow & { previous_owner: string | null };
  const kindList = kinds === undefined ? null : [...kinds];
  const expired = (await q<Claimed>('claimExpired', [now, limit, owner, leaseUntil, kindList])).rows;
  expired.sort((a, b) => a.id - b.id);
  const unleased: Claimed[] = [];
  for (const kind of kinds ?? ALL_KINDS) {
    const room = limit - expired.length - unleased.length;
    if (room <= 0) break;
    const claimed = (await q<Claimed>('claimUnleased', [now, room, owner, leaseUntil, kind])).rows;
    unleased.push(...claimed.sort((a, b) => a.run_at - b.run_at || a.id - b.id));
  }
  const rows = [...expired, ...unleased];
  return rows.map(({ previous_owner, ...row }) => {
    const item: Mutable<WorkItem> = toWorkItem(row);
    if (previous_owner !== null) item.expired_lease_owner = previous_owner;
    return item;
  });
}
