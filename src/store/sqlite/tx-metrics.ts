import { queueDepthOf, runCountsOf, type QueueDepthRow } from '../metrics-rows.js';
import { ACTIVE_RUN_STATUSES, type MetricsSnapshot } from '../port.js';
import type { TxContext } from './tx-context.js';

// Monitoring reads on SQLite (the port's MetricsTx). Runs are counted per workflow through `run_by_status`
// (workflow_id, status, …): one index range per workflow and active status, never a walk over finished runs.
const DUE = '(lease_owner IS NULL AND run_at <= @now) OR (lease_owner IS NOT NULL AND lease_until <= @now)';

export const METRICS_SQL = {
  // CROSS JOIN keeps workflows outermost (SQLite does not reorder it), so each count is an index range probe.
  countActiveRuns: `SELECT s.value AS status,
      sum((SELECT count(*) FROM run r WHERE r.workflow_id = w.workflow_id AND r.status = s.value)) AS n
    FROM workflow w CROSS JOIN json_each(?) s GROUP BY s.value`,
  queueDepth: `SELECT kind,
      sum(CASE WHEN ${DUE} THEN 1 ELSE 0 END) AS due,
      sum(CASE WHEN lease_owner IS NULL AND run_at > @now THEN 1 ELSE 0 END) AS waiting,
      sum(CASE WHEN lease_owner IS NOT NULL AND lease_until > @now THEN 1 ELSE 0 END) AS leased,
      min(CASE WHEN lease_owner IS NULL AND run_at <= @now THEN run_at
               WHEN lease_owner IS NOT NULL AND lease_until <= @now THEN lease_until END) AS oldest_due_at
    FROM work_item GROUP BY kind ORDER BY kind`,
  ping: 'SELECT 1 AS one',
} as const;

export function metricsSnapshot(ctx: TxContext, now: number): MetricsSnapshot {
  const runs = ctx.stmts.countActiveRuns.all(JSON.stringify(ACTIVE_RUN_STATUSES)) as {
    status: string;
    n: number;
  }[];
  const queue = ctx.stmts.queueDepth.all({ now }) as QueueDepthRow[];
  return { runs: runCountsOf(runs), queue: queueDepthOf(queue) };
}

export function ping(ctx: TxContext): void {
  ctx.stmts.ping.get();
}
