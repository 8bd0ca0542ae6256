// The step-wait and lineage statements (port/signal-waits.ts), prepared with the rest of `SQL`.

const WAIT_COLUMNS =
  'workflow_id, instance_id, run_id, step_id, dependency, attempt, name, constraints, create_time';
const USE_COLUMNS =
  'name, seq_id, use, workflow_id, instance_id, run_id, step_id, attempt, dependency, create_time';

export const SIGNAL_WAIT_SQL = {
  upsertSignalWait: `INSERT INTO signal_wait (${WAIT_COLUMNS})
    VALUES (@workflow_id, @instance_id, @run_id, @step_id, @dependency, @attempt, @name, @constraints, @create_time)
    ON CONFLICT (workflow_id, instance_id, run_id, step_id, dependency) DO UPDATE SET attempt = excluded.attempt,
      name = excluded.name, constraints = excluded.constraints, create_time = excluded.create_time`,
  signalWaitsOn: `SELECT ${WAIT_COLUMNS} FROM signal_wait WHERE name = ? ORDER BY create_time, workflow_id,
    instance_id, run_id, step_id, dependency`,
  deleteRunSignalWaits: 'DELETE FROM signal_wait WHERE workflow_id = ? AND instance_id = ? AND run_id = ?',
  deleteStepSignalWaits:
    'DELETE FROM signal_wait WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND step_id = ?',
  deleteAttemptSignalWaits: `DELETE FROM signal_wait
    WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND step_id = ? AND attempt = ?`,
  deleteSignalWait: `DELETE FROM signal_wait
    WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND step_id = ? AND dependency = ? AND attempt = ?`,
  insertSignalUse: `INSERT INTO signal_use (${USE_COLUMNS})
    VALUES (@name, @seq_id, @use, @workflow_id, @instance_id, @run_id, @step_id, @attempt, @dependency, @create_time)
    ON CONFLICT DO NOTHING`,
  signalUses: `SELECT ${USE_COLUMNS} FROM signal_use WHERE name = ? AND seq_id = ?
    ORDER BY create_time, workflow_id, instance_id, run_id, step_id, dependency`,
} as const;
