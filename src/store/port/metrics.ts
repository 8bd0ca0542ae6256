import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { WorkItemKind } from './queue.js';

/** Reads for monitoring (`/metrics`, `/readyz`): cheap enough to run on every scrape, and they change nothing. */
export interface MetricsTx {
  /**
   * What the store holds right now, for gauges. Runs are counted only in the statuses that are not terminal (CREATED,
   * IN_PROGRESS, PAUSED): those are the work in flight, found by one index probe per workflow and status, so the cost
   * grows with the number of workflows and of runs in flight, never with history. The queue is counted by kind: items
   * due at `now` (unleased with `run_at` ≤ `now`, or leased with an expired lease: what the next claim takes first),
   * items waiting for a later `run_at`, and items leased; with the oldest due moment of each kind (`run_at`, or the
   * expiry of an expired lease). The queue holds only work not yet done, so its cost is bounded the same way.
   * Locking: plain reads of committed rows; takes no lock and waits for none.
   */
  metricsSnapshot(now: number): Promise<MetricsSnapshot>;
  /** The most trivial round trip to the store (`/readyz`): resolves when the store answers. Takes no lock. */
  ping(): Promise<void>;
}

/** The statuses `metricsSnapshot` counts runs in: those that are not terminal. */
export const ACTIVE_RUN_STATUSES = [
  'CREATED',
  'IN_PROGRESS',
  'PAUSED',
] as const satisfies readonly WorkflowInstanceStatus[];
export type ActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];

export interface QueueDepth {
  readonly kind: WorkItemKind;
  readonly due: number;
  readonly waiting: number;
  readonly leased: number;
  /** The oldest due moment (epoch ms) of the items due at `now`; absent when none is due. */
  readonly oldest_due_at?: number;
}

export interface MetricsSnapshot {
  /** Runs by status, every active status present (0 when none). */
  readonly runs: Readonly<Record<ActiveRunStatus, number>>;
  /** One entry per kind that has items; a kind with none is absent. */
  readonly queue: readonly QueueDepth[];
}
