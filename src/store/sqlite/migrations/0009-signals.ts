/**
 * Signals (REFERENCE §7.2). `signal_name` holds each name's last seq id: its row is the lock that serialises a
 * name's announcements with whoever registers interest in the name. `signal_param` indexes the params for matching:
 * a string in `str_value`, a number in `num_value` (the other null), each index ending in `seq_id`, so an `=` on a
 * param reads the earliest matching instance straight off the index.
 */
export const MIGRATION_0009_SIGNALS = `
CREATE TABLE signal_name (
  name     TEXT    NOT NULL PRIMARY KEY,
  last_seq INTEGER NOT NULL
) STRICT;

CREATE TABLE signal_instance (
  name         TEXT    NOT NULL,
  seq_id       INTEGER NOT NULL,
  instance_id  TEXT    NOT NULL,
  params       TEXT    NOT NULL,
  payload      TEXT    NOT NULL,
  request_time INTEGER NOT NULL,
  create_time  INTEGER NOT NULL,
  PRIMARY KEY (name, seq_id),
  UNIQUE (name, instance_id)
) STRICT;

CREATE TABLE signal_param (
  name      TEXT    NOT NULL,
  seq_id    INTEGER NOT NULL,
  param     TEXT    NOT NULL,
  str_value TEXT,
  num_value INTEGER,
  PRIMARY KEY (name, seq_id, param),
  CHECK ((str_value IS NULL) <> (num_value IS NULL))
) STRICT;

CREATE INDEX signal_param_str ON signal_param (name, param, str_value, seq_id) WHERE str_value IS NOT NULL;
CREATE INDEX signal_param_num ON signal_param (name, param, num_value, seq_id) WHERE num_value IS NOT NULL;

CREATE TABLE signal_trigger (
  workflow_id  TEXT  NOT NULL,
  trigger_uuid TEXT  NOT NULL,
  definition   TEXT  NOT NULL,
  checkpoints  TEXT  NOT NULL,
  PRIMARY KEY (workflow_id, trigger_uuid)
) STRICT;

CREATE TABLE signal_trigger_name (
  name         TEXT NOT NULL,
  workflow_id  TEXT NOT NULL,
  trigger_uuid TEXT NOT NULL,
  PRIMARY KEY (name, workflow_id, trigger_uuid)
) STRICT;
`;
