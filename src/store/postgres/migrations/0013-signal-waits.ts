/**
 * Step signal dependencies and lineage (REFERENCE §7.3, §7.4). `signal_wait`: one row per pending dependency of a
 * step attempt, found by name when a signal is announced. `signal_use`: what a signal instance started or released
 * (a run with no step has `step_id` '', `attempt` 0 and `dependency` -1, so the key has no nulls).
 */
export const MIGRATION_0013_SIGNAL_WAITS = `
CREATE TABLE signal_wait (
  workflow_id TEXT    NOT NULL,
  instance_id BIGINT NOT NULL,
  run_id      BIGINT NOT NULL,
  step_id     TEXT    NOT NULL,
  dependency  INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  constraints JSONB   NOT NULL,
  create_time BIGINT NOT NULL,
  PRIMARY KEY (workflow_id, instance_id, run_id, step_id, dependency)
);

CREATE INDEX signal_wait_name ON signal_wait (name);

CREATE TABLE signal_use (
  name        TEXT    NOT NULL,
  seq_id      BIGINT NOT NULL,
  use         TEXT    NOT NULL,
  workflow_id TEXT    NOT NULL,
  instance_id BIGINT NOT NULL,
  run_id      BIGINT NOT NULL,
  step_id     TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  dependency  INTEGER NOT NULL,
  create_time BIGINT NOT NULL,
  PRIMARY KEY (name, seq_id, use, workflow_id, instance_id, run_id, step_id, attempt, dependency)
);
`;
