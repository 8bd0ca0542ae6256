/**
 * What the API's listings and workflow changes need (issue #12):
 * - `run.latest` marks the latest run of each instance (kept by `insertRun`), and the partial index `run_latest`
 *   holds only those, by workflow, status and instance: "instances newest first, by status of their latest run" and
 *   the overview's counts read it instead of every run of the workflow. Runs already stored are marked here.
 * - `workflow.deleted` marks a workflow whose deletion has started (nothing new starts; batches remove its data).
 * - `workflow_properties` keeps every properties snapshot; each workflow gets its current properties as snapshot 1.
 * - `workflow_timeline` keeps the last changes of each workflow (it starts empty: earlier changes were not kept).
 */
export const MIGRATION_0005_LISTINGS = `
ALTER TABLE run ADD COLUMN latest INTEGER NOT NULL DEFAULT 0;
UPDATE run SET latest = 1 WHERE run_id = (SELECT max(r.run_id) FROM run AS r
  WHERE r.workflow_id = run.workflow_id AND r.instance_id = run.instance_id);
CREATE INDEX run_latest ON run (workflow_id, status, instance_id) WHERE latest = 1;

ALTER TABLE workflow ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE workflow_properties (
  workflow_id TEXT    NOT NULL,
  snapshot_id INTEGER NOT NULL,
  -- the merged properties from this snapshot on, and the delta that made it, as canonical wire JSON
  properties  TEXT    NOT NULL,
  changes     TEXT    NOT NULL,
  author      TEXT    NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, snapshot_id)
) STRICT, WITHOUT ROWID;
INSERT INTO workflow_properties (workflow_id, snapshot_id, properties, changes, author, create_time)
  SELECT w.workflow_id, 1, w.properties, w.properties,
    coalesce((SELECT v.author FROM workflow_version AS v
      WHERE v.workflow_id = w.workflow_id AND v.version_id = w.latest_version_id), ''),
    w.modify_time
  FROM workflow AS w WHERE w.latest_version_id > 0;

CREATE TABLE workflow_timeline (
  workflow_id       TEXT    NOT NULL,
  seq               INTEGER NOT NULL,
  kind              TEXT    NOT NULL,
  author            TEXT    NOT NULL,
  create_time       INTEGER NOT NULL,
  version_id        INTEGER,
  snapshot_id       INTEGER,
  active_version_id INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, seq)
) STRICT, WITHOUT ROWID;
`;
