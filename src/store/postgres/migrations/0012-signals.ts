/**
 * Signals (REFERENCE §7.2). `signal_name` holds each name's last seq id: its row is the lock (FOR UPDATE) that
 * serialises a name's announcements with whoever registers interest in the name. `signal_param` indexes the params
 * for matching: a string in `str_value` (collation "C": compared by code point, as on SQLite), a number in
 * `num_value` (the other null), each index ending in `seq_id`, so an `=` on a param reads the earliest matching
 * instance straight off the index. `signal_trigger` holds the subscriptions of signal triggers with their
 * checkpoints, `signal_trigger_name` finds them by signal name.
 */
export const MIGRATION_0012_SIGNALS = `
CREATE TABLE signal_name (
  name     TEXT   NOT NULL PRIMARY KEY,
  last_seq BIGINT NOT NULL
);

CREATE TABLE signal_instance (
  name         TEXT   NOT NULL,
  seq_id       BIGINT NOT NULL,
  instance_id  TEXT   NOT NULL,
  params       JSONB  NOT NULL,
  payload      JSONB  NOT NULL,
  request_time BIGINT NOT NULL,
  create_time  BIGINT NOT NULL,
  PRIMARY KEY (name, seq_id),
  UNIQUE (name, instance_id)
);

CREATE TABLE signal_param (
  name      TEXT   NOT NULL,
  seq_id    BIGINT NOT NULL,
  param     TEXT   NOT NULL,
  str_value TEXT COLLATE "C",
  num_value BIGINT,
  PRIMARY KEY (name, seq_id, param),
  CHECK ((str_value IS NULL) <> (num_value IS NULL))
);

CREATE INDEX signal_param_str ON signal_param (name, param, str_value, seq_id) WHERE str_value IS NOT NULL;
CREATE INDEX signal_param_num ON signal_param (name, param, num_value, seq_id) WHERE num_value IS NOT NULL;

CREATE TABLE signal_trigger (
  workflow_id  TEXT  NOT NULL,
  trigger_uuid TEXT  NOT NULL,
  definition   JSONB  NOT NULL,
  checkpoints  JSONB  NOT NULL,
  PRIMARY KEY (workflow_id, trigger_uuid)
);

CREATE TABLE signal_trigger_name (
  name         TEXT NOT NULL,
  workflow_id  TEXT NOT NULL,
  trigger_uuid TEXT NOT NULL,
  PRIMARY KEY (name, workflow_id, trigger_uuid)
);
`;
