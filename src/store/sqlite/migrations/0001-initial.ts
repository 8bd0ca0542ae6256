/**
 * The first schema. Times are epoch milliseconds (INTEGER); JSON columns hold canonical JSON text. STRICT tables make
 * SQLite reject a value of the wrong type instead of storing it silently.
 */
export const MIGRATION_0001_INITIAL = `
CREATE TABLE workflow (
  workflow_id        TEXT    NOT NULL PRIMARY KEY,
  latest_version_id  INTEGER NOT NULL,
  -- 0 when no version is active (Maestro's convention)
  active_version_id  INTEGER NOT NULL,
  -- the merged properties in force now, as canonical wire JSON
  properties         TEXT    NOT NULL,
  latest_instance_id INTEGER NOT NULL DEFAULT 0,
  create_time        INTEGER NOT NULL,
  modify_time        INTEGER NOT NULL
) STRICT;

CREATE TABLE workflow_version (
  workflow_id TEXT    NOT NULL REFERENCES workflow (workflow_id),
  version_id  INTEGER NOT NULL,
  -- the create request as canonical wire JSON (dsl/to-json)
  definition  TEXT    NOT NULL,
  -- the merged properties snapshot at creation time
  properties  TEXT    NOT NULL,
  author      TEXT    NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, version_id)
) STRICT, WITHOUT ROWID;

-- No foreign key to workflow: inline workflows (foreach iterations) have runs but no workflow row, as in Maestro.
CREATE TABLE run (
  workflow_id    TEXT    NOT NULL,
  instance_id    INTEGER NOT NULL,
  run_id         INTEGER NOT NULL,
  version_id     INTEGER NOT NULL,
  request_id     TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  initiator      TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  create_time    INTEGER NOT NULL,
  start_time     INTEGER,
  end_time       INTEGER,
  modify_time    INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, instance_id, run_id),
  -- exactly-once start: one run per request id and workflow
  UNIQUE (workflow_id, request_id)
) STRICT;

-- run strategies ask "runs of workflow W in statuses S, oldest first"
CREATE INDEX run_by_status ON run (workflow_id, status, instance_id, run_id);

-- One row per step of a run (its current attempt; earlier attempts live in its state), so a transition rewrites
-- only the steps it changed, not the whole run. The rowid (kept by an upsert) is the order steps were first written.
CREATE TABLE step (
  workflow_id TEXT    NOT NULL,
  instance_id INTEGER NOT NULL,
  run_id      INTEGER NOT NULL,
  step_id     TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  state       TEXT    NOT NULL,
  PRIMARY KEY (workflow_id, instance_id, run_id, step_id)
) STRICT;

-- Permits held (granted = 1) or waited for (granted = 0) by step attempts; one row per key of the attempt. The
-- limit travels with the row so a waiter can be let in without knowing where its limits came from.
CREATE TABLE permit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  permit_key  TEXT    NOT NULL,
  permit_limit INTEGER NOT NULL,
  holder      TEXT    NOT NULL,
  workflow_id TEXT    NOT NULL,
  instance_id INTEGER NOT NULL,
  run_id      INTEGER NOT NULL,
  step_id     TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  granted     INTEGER NOT NULL,
  since       INTEGER NOT NULL
) STRICT;
CREATE INDEX permit_by_key ON permit (permit_key, granted, id);
CREATE INDEX permit_by_holder ON permit (holder);

-- How many permits of each key are held: kept with every grant and release, so checking room costs one read
-- instead of counting the rows of a key (up to its limit) on every step start.
CREATE TABLE permit_count (
  permit_key TEXT    PRIMARY KEY,
  held       INTEGER NOT NULL
) STRICT;

CREATE TABLE breakpoint (
  workflow_id TEXT    NOT NULL,
  step_id     TEXT    NOT NULL,
  instance_id INTEGER NOT NULL,
  run_id      INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, step_id, instance_id, run_id, attempt)
) STRICT;

CREATE TABLE tag_permit (
  tag         TEXT    PRIMARY KEY,
  max_allowed INTEGER NOT NULL
) STRICT;

-- AUTOINCREMENT: an id is never reused, so a late ack(id) from a worker whose lease was taken over cannot delete a
-- newer item that happened to get the same id.
CREATE TABLE work_item (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT    NOT NULL,
  workflow_id TEXT    NOT NULL,
  instance_id INTEGER NOT NULL,
  run_id      INTEGER NOT NULL,
  step_id     TEXT,
  attempt     INTEGER,
  payload     TEXT    NOT NULL,
  run_at      INTEGER NOT NULL,
  dedup_key   TEXT,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at  INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX work_item_dedup ON work_item (dedup_key) WHERE dedup_key IS NOT NULL;
-- claim and nextRunAt walk this index in run_at order
CREATE INDEX work_item_claim ON work_item (run_at, id);
CREATE INDEX work_item_lease ON work_item (lease_until) WHERE lease_owner IS NOT NULL;
CREATE INDEX work_item_by_run ON work_item (workflow_id, instance_id, run_id);

-- AUTOINCREMENT: relays remember the last id they read, so an id must never be handed out twice.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  type        TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  create_time INTEGER NOT NULL
) STRICT;
`;
