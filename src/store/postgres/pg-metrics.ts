import { queueDepthOf, runCountsOf, type QueueDepthRow } from '../metrics-rows.js';
import { ACTIVE_RUN_STATUSES, type MetricsSnapshot } from '../port.js';
import type { Query } from './query.js';

// Monitoring reads on PostgreSQL (the port's MetricsTx). Runs are counted by a lateral probe of `run_by_status`
// (workflow_id, status, …) per workflow and active status, so finished runs are never walked, whatever the planner
// thinks of the table's size. Plain reads: no lock is taken or waited for.
const DUE = '(lease_owner IS NULL AND run_at <= $1) OR (lease_owner IS NOT NULL AND lease_until <= $1)';

export const METRICS_SQL = {
  countActiveRuns: `SELECT s.status, sum(c.n)::bigint AS n
    FROM workflow w CROSS JOIN unnest($1::text[]) AS s(status)
    CROSS JOIN LATERAL (SELECT count(*) AS n FROM run r WHERE r.workflow_id = w.workflow_id AND r.status = s.status) c
    GROUP BY s.status`,
  queueDepth: `SELECT kind,
      sum(CASE WHEN ${DUE} THEN 1 ELSE 0 END)::bigint AS due,
      sum(CASE WHEN lease_owner IS NULL AND run_at > $1 THEN 1 ELSE 0 END)::bigint AS waiting,
      sum(CASE WHEN lease_owner IS NOT NULL AND lease_until > $1 THEN 1 ELSE 0 END)::bigint AS leased,
      min(CASE WHEN lease_owner IS NULL AND run_at <= $1 THEN run_at
               WHEN lease_owner IS NOT NULL AND lease_until <= $1 THEN lease_until END) AS oldest_due_at
    FROM work_item GROUP BY kind ORDER BY kind`,
  ping: 'SELECT 1 AS one',
} as const;

export async function metricsSnapshot(q: Query, now: number): Promise<MetricsSnapshot> {
  const runs = await q<{ status: string; n: number }>('countActiveRuns', [[...ACTIVE_RUN_STATUSES]]);
  const queue = await q<QueueDepthRow>('queueDepth', [now]);
  return { runs: runCountsOf(runs.rows), queue: queueDepthOf(queue.rows) };
}

export async function ping(q: Query): Promise<void> {
  await q('ping', []);
}
