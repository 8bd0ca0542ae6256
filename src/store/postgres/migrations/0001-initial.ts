/**
 * The first PostgreSQL schema, the same tables as SQLite's. Times are epoch milliseconds (BIGINT, read back as JS
 * numbers); JSON columns hold canonical JSON text, read and written by the shared mappers in `store/records.ts`.
 * Only SQL that CockroachDB also runs: explicit sequences (not SERIAL, whose CockroachDB ids exceed 2^53), no
 * advisory locks, no triggers.
 */
export const MIGRATION_0001_INITIAL = `
CREATE TABLE workflow (
  workflow_id        TEXT    NOT NULL PRIMARY KEY,
  -- 0 until the first version is written (the row is created first, so concurrent creators serialize on it)
  latest_version_id  INTEGER NOT NULL,
  -- 0 when no version is active (Maestro's convention)
  active_version_id  INTEGER NOT NULL,
  properties         TEXT    NOT NULL,
  latest_instance_id BIGINT  NOT NULL DEFAULT 0,
  create_time        BIGINT  NOT NULL,
  modify_time        BIGINT  NOT NULL
);

CREATE TABLE workflow_version (
  workflow_id TEXT    NOT NULL REFERENCES workflow (workflow_id),
  version_id  INTEGER NOT NULL,
  definition  TEXT    NOT NULL,
  properties  TEXT    NOT NULL,
  author      TEXT    NOT NULL,
  create_time BIGINT  NOT NULL,
  PRIMARY KEY (workflow_id, version_id)
);

-- No foreign key to workflow: inline workflows (foreach iterations) have runs but no workflow row.
CREATE TABLE run (
  workflow_id    TEXT    NOT NULL,
  instance_id    BIGINT  NOT NULL,
  run_id         INTEGER NOT NULL,
  version_id     INTEGER NOT NULL,
  request_id     TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  initiator      TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  version        BIGINT  NOT NULL,
  create_time    BIGINT  NOT NULL,
  start_time     BIGINT,
  end_time       BIGINT,
  modify_time    BIGINT  NOT NULL,
  CONSTRAINT run_pkey PRIMARY KEY (workflow_id, instance_id, run_id),
  CONSTRAINT run_request_id UNIQUE (workflow_id, request_id)
);
CREATE INDEX run_by_status ON run (workflow_id, status, instance_id, run_id);

-- seq keeps the order steps were first written (an upsert does not change it).
CREATE SEQUENCE step_seq;
CREATE TABLE step (
  workflow_id TEXT    NOT NULL,
  instance_id BIGINT  NOT NULL,
  run_id      INTEGER NOT NULL,
  step_id     TEXT    NOT NULL,
  seq         BIGINT  NOT NULL DEFAULT nextval('step_seq'),
  status      TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  state       TEXT    NOT NULL,
  PRIMARY KEY (workflow_id, instance_id, run_id, step_id)
);

CREATE SEQUENCE permit_seq;
CREATE TABLE permit (
  id           BIGINT  NOT NULL PRIMARY KEY DEFAULT nextval('permit_seq'),
  permit_key   TEXT    NOT NULL,
  permit_limit INTEGER NOT NULL,
  holder       TEXT    NOT NULL,
  workflow_id  TEXT    NOT NULL,
  instance_id  BIGINT  NOT NULL,
  run_id       INTEGER NOT NULL,
  step_id      TEXT    NOT NULL,
  attempt      INTEGER NOT NULL,
  granted      BOOLEAN NOT NULL,
  since        BIGINT  NOT NULL
);
CREATE INDEX permit_by_key ON permit (permit_key, granted, id);
CREATE INDEX permit_by_holder ON permit (holder);

-- One row per key: its count of held permits, and the row every process locks (an upsert) before it looks at or
-- changes the key's permits, so two processes cannot both take the last permit.
CREATE TABLE permit_count (
  permit_key TEXT    NOT NULL PRIMARY KEY,
  held       INTEGER NOT NULL
);

CREATE TABLE breakpoint (
  workflow_id TEXT    NOT NULL,
  step_id     TEXT    NOT NULL,
  instance_id BIGINT  NOT NULL,
  run_id      INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, step_id, instance_id, run_id, attempt)
);

CREATE TABLE tag_permit (
  tag         TEXT    NOT NULL PRIMARY KEY,
  max_allowed INTEGER NOT NULL
);

-- Ids come from a sequence and are never reused, so a late ack from a worker whose lease was taken over cannot
-- delete a newer item.
CREATE SEQUENCE work_item_id_seq;
CREATE TABLE work_item (
  id          BIGINT  NOT NULL PRIMARY KEY DEFAULT nextval('work_item_id_seq'),
  kind        TEXT    NOT NULL,
  workflow_id TEXT    NOT NULL,
  instance_id BIGINT  NOT NULL,
  run_id      INTEGER NOT NULL,
  step_id     TEXT,
  attempt     INTEGER,
  payload     TEXT    NOT NULL,
  run_at      BIGINT  NOT NULL,
  dedup_key   TEXT,
  lease_owner TEXT,
  lease_until BIGINT,
  created_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX work_item_dedup ON work_item (dedup_key) WHERE dedup_key IS NOT NULL;
-- Claims read two small indexes instead of walking every due item: unleased items per kind in run_at order, and
-- leases in expiry order (so a large backlog of running work costs nothing to look past).
CREATE INDEX work_item_unleased ON work_item (kind, run_at, id) WHERE lease_owner IS NULL;
CREATE INDEX work_item_lease ON work_item (lease_until, id) WHERE lease_owner IS NOT NULL;
CREATE INDEX work_item_by_run ON work_item (workflow_id, instance_id, run_id);

CREATE SEQUENCE outbox_id_seq;
CREATE TABLE outbox (
  id          BIGINT  NOT NULL PRIMARY KEY DEFAULT nextval('outbox_id_seq'),
  type        TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  create_time BIGINT  NOT NULL
);
`;
