import { ACTIVE_RUN_STATUSES, type MetricsSnapshot, type QueueDepth, type WorkItemKind } from './port.js';

// Rows of the adapters' monitoring reads (port/metrics.ts) into the port's shape: both adapters answer the same columns.

export interface QueueDepthRow {
  readonly kind: WorkItemKind;
  readonly due: number;
  readonly waiting: number;
  readonly leased: number;
  readonly oldest_due_at: number | null;
}

export function queueDepthOf(rows: readonly QueueDepthRow[]): QueueDepth[] {
  return rows.map((r) => ({
    kind: r.kind,
    due: Number(r.due),
    waiting: Number(r.waiting),
    leased: Number(r.leased),
    ...(r.oldest_due_at === null ? {} : { oldest_due_at: Number(r.oldest_due_at) }),
  }));
}

/** Every active status, 0 where no row counted it. */
export function runCountsOf(rows: readonly { status: string; n: number }[]): MetricsSnapshot['runs'] {
  const runs = Object.fromEntries(ACTIVE_RUN_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  for (const row of rows) runs[row.status] = Number(row.n);
  return runs as MetricsSnapshot['runs'];
}
