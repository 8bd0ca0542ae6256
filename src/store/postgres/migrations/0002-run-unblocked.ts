/**
 * STRICT_SEQUENTIAL asks "does a FAILED run of this workflow still hold the queue?" on every admission. The answer
 * was in each run's state JSON, so the look-up read the workflow's FAILED runs (capped at 1,000, oldest first: past
 * that a newer failure was never seen). Now `unblocked` is a column, set when a FAILED run is unblocked or
 * restarted, and a partial index holds only the runs that hold a queue: the look-up is one index probe at any
 * history size. Schema changes only: CockroachDB does not let a transaction write a column it adds, so runs
 * unblocked before this are carried over by the next migration.
 */
export const MIGRATION_0002_RUN_UNBLOCKED = `
ALTER TABLE run ADD COLUMN unblocked BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX run_blocking ON run (workflow_id) WHERE status = 'FAILED' AND unblocked = false;
`;

/** Runs unblocked or restarted before migration 2 kept it in their state JSON. */
export const MIGRATION_0003_RUN_UNBLOCKED_BACKFILL = `
UPDATE run SET unblocked = true
  WHERE status = 'FAILED' AND unblocked = false
    AND (state::jsonb ->> 'unblocked' = 'true' OR state::jsonb ->> 'restarted' = 'true');
`;
