/**
 * What the API's listings and workflow changes need (issue #12):
 * - `run.latest` marks the latest run of each instance (kept by `insertRuns`), and the partial index `run_latest`
 *   holds only those, by workflow, status and instance: "instances newest first, by status of their latest run" and
 *   the overview's counts read it instead of every run of the workflow.
 * - `workflow.deleted` marks a workflow whose deletion has started (nothing new starts; batches remove its data).
 * - `workflow_properties` keeps every properties snapshot; `workflow_timeline` the last changes of each workflow.
 * Schema changes only: CockroachDB does not let a transaction write a column it adds, so the next migration marks
 * the runs already stored and writes each workflow's current properties as its snapshot 1.
 */
export const MIGRATION_0007_LISTINGS = `
ALTER TABLE run ADD COLUMN latest BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX run_latest ON run (workflow_id, status, instance_id) WHERE latest;

ALTER TABLE workflow ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE workflow_properties (
  workflow_id TEXT    NOT NULL,
  snapshot_id INTEGER NOT NULL,
  properties  TEXT    NOT NULL,
  changes     TEXT    NOT NULL,
  author      TEXT    NOT NULL,
  create_time BIGINT  NOT NULL,
  PRIMARY KEY (workflow_id, snapshot_id)
);

CREATE TABLE workflow_timeline (
  workflow_id       TEXT    NOT NULL,
  seq               INTEGER NOT NULL,
  kind              TEXT    NOT NULL,
  author            TEXT    NOT NULL,
  create_time       BIGINT  NOT NULL,
  version_id        INTEGER,
  snapshot_id       INTEGER,
  active_version_id INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, seq)
);
`;

/** Runs and workflows stored before migration 7: each instance's latest run marked, current properties as snapshot 1. */
export const MIGRATION_0008_LISTINGS_BACKFILL = `
UPDATE run SET latest = true
  FROM (SELECT workflow_id, instance_id, max(run_id) AS run_id FROM run GROUP BY workflow_id, instance_id) AS m
  WHERE run.workflow_id = m.workflow_id AND run.instance_id = m.instance_id AND run.run_id = m.run_id
    AND NOT run.latest;
INSERT INTO workflow_properties (workflow_id, snapshot_id, properties, changes, author, create_time)
  SELECT w.workflow_id, 1, w.properties, w.properties,
    coalesce((SELECT v.author FROM workflow_version AS v
      WHERE v.workflow_id = w.workflow_id AND v.version_id = w.latest_version_id), ''),
    w.modify_time
  FROM workflow AS w WHERE w.latest_version_id > 0
  ON CONFLICT (workflow_id, snapshot_id) DO NOTHING;
`;
