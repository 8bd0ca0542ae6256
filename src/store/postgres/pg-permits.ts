import type { PermitHold, PermitHolder, PermitRequest } from '../port.js';
import { holderId } from '../records.js';
import type { Query } from './query.js';

// Permits on PostgreSQL: a key's `permit_count` row is locked (in key order) before anyone looks at or changes the
// key's permits, so two processes never both take the last one, and "nobody waits" read under the lock holds until
// the transaction ends.

/** A key's count row: permits held, and holders waiting in line. */
interface KeyCounts {
  readonly held: number;
  readonly waiting: number;
}

/** Locks the count rows of `keys` for the rest of the transaction and returns what each counts. */
async function lockKeys(q: Query, keys: Iterable<string>): Promise<Map<string, KeyCounts>> {
  const sorted = [...new Set(keys)].sort();
  const counts = new Map<string, KeyCounts>();
  if (sorted.length === 0) return counts;
  const { rows } = await q<{ permit_key: string; held: number; waiting: number }>('lockPermitCounts', [
    sorted,
  ]);
  for (const row of rows) counts.set(row.permit_key, { held: row.held, waiting: row.waiting });
  return counts;
}

/** Locks the count rows of `keys` for the rest of the transaction and returns how many each has held. */
async function lockCounts(q: Query, keys: Iterable<string>): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  for (const [key, counts] of await lockKeys(q, keys)) held.set(key, counts.held);
  return held;
}

/** One row per (holder, key), held or waiting, counted (held or waiting) in the same statement. */
async function insertPermits(
  q: Query,
  holds: readonly PermitHold[],
  granted: boolean,
  now: number,
): Promise<void> {
  const rows = holds.flatMap(({ holder, permits }) => permits.map((p) => ({ holder, p })));
  if (rows.length === 0) return;
  const columns = [
    rows.map((r) => r.p.key),
    rows.map((r) => r.p.limit),
    rows.map((r) => holderId(r.holder)),
    rows.map((r) => r.holder.workflow_id),
    rows.map((r) => r.holder.instance_id),
    rows.map((r) => r.holder.run_id),
    rows.map((r) => r.holder.step_id),
    rows.map((r) => r.holder.attempt),
  ];
  await q(granted ? 'holdPermits' : 'queuePermits', [...columns, now]);
}

export async function acquirePermits(
  q: Query,
  holder: PermitHolder,
  permits: readonly PermitRequest[],
  now: number,
): Promise<boolean> {
  await releasePermits(q, [holder]); // asking again replaces what it held or its earlier place in line
  const held = await lockCounts(
    q,
    permits.map((p) => p.key),
  );
  const granted = permits.every((p) => (held.get(p.key) ?? 0) < p.limit);
  await insertPermits(q, [{ holder, permits }], granted, now);
  return granted;
}

/**
 * Locks the keys' count rows and reads them in one statement, so "nobody waits" holds until this transaction ends:
 * every place taken in line or given up changes the key's count row, which this transaction now holds.
 */
export async function permitState(
  q: Query,
  keys: readonly string[],
): Promise<Record<string, { held: number; waiting: boolean }>> {
  const counts = await lockKeys(q, keys);
  const out: Record<string, { held: number; waiting: boolean }> = {};
  for (const key of keys) {
    const c = counts.get(key);
    out[key] = { held: c?.held ?? 0, waiting: (c?.waiting ?? 0) > 0 };
  }
  return out;
}

/**
 * The count rows of the keys are locked first, like every other change to a key's permits: a transaction that read
 * a key's state (`permitState`) can trust "nobody waits" until it commits.
 */
export async function queueForPermits(
  q: Query,
  holds: readonly PermitHold[],
  now: number,
): Promise<string[]> {
  await lockCounts(
    q,
    holds.flatMap((h) => h.permits.map((p) => p.key)),
  );
  const released = await releasePermits(
    q,
    holds.map((h) => h.holder),
  );
  await insertPermits(q, holds, false, now);
  return released;
}

export async function holdPermits(q: Query, holds: readonly PermitHold[], now: number): Promise<void> {
  await insertPermits(q, holds, true, now);
}

export async function releasePermits(q: Query, holders: readonly PermitHolder[]): Promise<string[]> {
  if (holders.length === 0) return [];
  const { rows } = await q<{ permit_key: string }>('releaseHolders', [holders.map(holderId)]);
  return rows.map((r) => r.permit_key);
}

/**
 * Per key, reads the line a page at a time (each waiter with all its keys), locks the counts of every key involved,
 * and lets waiters in, in order, while all their keys have room; stops at the first that does not fit (first come,
 * first served). A page of grants costs a handful of statements, not a handful per waiter.
 */
export async function grantWaiting(q: Query, keys: readonly string[]): Promise<PermitHolder[]> {
  const out: PermitHolder[] = [];
  for (const key of new Set(keys)) {
    for (;;) {
      const { rows } = await q<WaitingRow>('waitingPage', [key, GRANT_PAGE]);
      if (rows.length === 0) break;
      const waiters = new Map<string, { holder: PermitHolder; keys: { key: string; limit: number }[] }>();
      for (const r of rows) {
        let w = waiters.get(r.holder);
        if (!w) {
          const holder = pick(r);
          waiters.set(r.holder, (w = { holder, keys: [] }));
        }
        w.keys.push({ key: r.permit_key, limit: r.permit_limit });
      }
      const held = await lockCounts(
        q,
        rows.map((r) => r.permit_key),
      );
      const granted: string[] = [];
      let blocked = false;
      for (const [id, w] of waiters) {
        if (!w.keys.every((k) => (held.get(k.key) ?? 0) < k.limit)) {
          blocked = true;
          break;
        }
        for (const k of w.keys) {
          held.set(k.key, (held.get(k.key) ?? 0) + 1);
        }
        granted.push(id);
      }
      if (granted.length > 0) {
        // Count only the rows still waiting (the statement moves them from the keys' waiting counts to their held
        // counts): a holder that left the line meanwhile is neither counted nor reported.
        const { rows: updated } = await q<{ holder: string; permit_key: string }>('grantHolders', [granted]);
        const got = new Set(updated.map((r) => r.holder));
        for (const id of granted) if (got.has(id)) out.push(waiters.get(id)!.holder);
      }
      if (blocked || waiters.size < GRANT_PAGE) break;
    }
  }
  return out;
}

/** Waiters read per round of `grantWaiting`. */
const GRANT_PAGE = 256;

interface WaitingRow extends PermitHolder {
  holder: string;
  permit_key: string;
  permit_limit: number;
}

function pick(r: WaitingRow): PermitHolder {
  return {
    workflow_id: r.workflow_id,
    instance_id: r.instance_id,
    run_id: r.run_id,
    step_id: r.step_id,
    attempt: r.attempt,
  };
}

/**
 * Admissions of a workflow take turns on the `admission:<workflow>` row of `permit_count` (a key that never holds
 * permits); starts, which lock the workflow row for its instance counter, do not wait for them.
 */
export async function lockAdmissions(q: Query, workflowIds: readonly string[]): Promise<void> {
  if (workflowIds.length > 0)
    await lockCounts(
      q,
      workflowIds.map((id) => `admission:${id}`),
    );
}
