// The step-wait and lineage statements (port/signal-waits.ts), named with the rest of `SQL`. Several rows travel as
// one JSON array (`jsonb_to_recordset`), so a statement's text does not depend on how many it writes.

const WAIT_COLUMNS =
  'workflow_id, instance_id, run_id, step_id, dependency, attempt, name, constraints, create_time';
const USE_COLUMNS =
  'name, seq_id, use, workflow_id, instance_id, run_id, step_id, attempt, dependency, create_time';

export const SIGNAL_WAIT_SQL = {
  upsertSignalWaits: `INSERT INTO signal_wait (${WAIT_COLUMNS})
    SELECT ${WAIT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS w(workflow_id text, instance_id bigint,
      run_id bigint, step_id text, dependency int, attempt int, name text, constraints jsonb, create_time bigint)
    ON CONFLICT (workflow_id, instance_id, run_id, step_id, dependency) DO UPDATE SET attempt = excluded.attempt,
      name = excluded.name, constraints = excluded.constraints, create_time = excluded.create_time`,
  signalWaitsOn: `SELECT ${WAIT_COLUMNS} FROM signal_wait WHERE name = $1 ORDER BY create_time, workflow_id,
    instance_id, run_id, step_id, dependency`,
  deleteRunSignalWaits: `DELETE FROM signal_wait WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3
    AND ($4::text IS NULL OR step_id = $4) AND ($5::int IS NULL OR attempt = $5)`,
  deleteSignalWaitsOf: `DELETE FROM signal_wait s USING jsonb_to_recordset($1::jsonb) AS w(workflow_id text,
      instance_id bigint, run_id bigint, step_id text, dependency int, attempt int)
    WHERE s.workflow_id = w.workflow_id AND s.instance_id = w.instance_id AND s.run_id = w.run_id
      AND s.step_id = w.step_id AND s.dependency = w.dependency AND s.attempt = w.attempt`,
  insertSignalUses: `INSERT INTO signal_use (${USE_COLUMNS})
    SELECT ${USE_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS u(name text, seq_id bigint, use text,
      workflow_id text, instance_id bigint, run_id bigint, step_id text, attempt int, dependency int,
      create_time bigint)
    ON CONFLICT DO NOTHING`,
  signalUses: `SELECT ${USE_COLUMNS} FROM signal_use WHERE name = $1 AND seq_id = $2
    ORDER BY create_time, workflow_id, instance_id, run_id, step_id, dependency`,
} as const;
