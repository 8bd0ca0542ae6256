/**
 * STRICT_SEQUENTIAL asks "does a FAILED run of this workflow still hold the queue?" on every admission. The answer
 * was in each run's state JSON, so the look-up read the workflow's FAILED runs (capped at 1,000, oldest first: past
 * that a newer failure was never seen). Now `unblocked` is a column, set when a FAILED run is unblocked or
 * restarted, and a partial index holds only the runs that hold a queue: the look-up is one index probe at any
 * history size. Runs unblocked or restarted before this migration are carried over from their state.
 */
export const MIGRATION_0003_RUN_UNBLOCKED = `
ALTER TABLE run ADD COLUMN unblocked INTEGER NOT NULL DEFAULT 0;
UPDATE run SET unblocked = 1
  WHERE status = 'FAILED'
    AND (json_extract(state, '$.unblocked') = 1 OR json_extract(state, '$.restarted') = 1);
CREATE INDEX run_blocking ON run (workflow_id) WHERE status = 'FAILED' AND unblocked = 0;
`;
