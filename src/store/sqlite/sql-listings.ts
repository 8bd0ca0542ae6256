// The SQLite statements of the API's listings and of workflow changes and deletion (named constants with
// parameters, prepared with the rest in sql.ts). Listings read keyset pages: `> ?`/`< ?` on the listing's key and a
// LIMIT, never OFFSET; absent positions are bound as a value before the first key (see paging.ts).

const RUN_COLUMNS =
  'workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state, version, create_time, start_time, end_time, modify_time, parent';
const WORKFLOW_COLUMNS =
  'workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time';
const VERSION_COLUMNS = 'workflow_id, version_id, definition, properties, author, create_time';
const BREAKPOINT_COLUMNS = 'workflow_id, step_id, instance_id, run_id, attempt';
const TIMELINE_COLUMNS =
  'workflow_id, seq, kind, author, create_time, version_id, snapshot_id, active_version_id';

/** Workflows a listing shows: not a loop's inline workflow (its id takes the reserved prefix `maestro_`). */
const VISIBLE = "substr(workflow_id, 1, 8) <> 'maestro_'";

export const LISTING_SQL = {
  listWorkflowsAfter: `SELECT ${WORKFLOW_COLUMNS} FROM workflow
    WHERE workflow_id > ? AND deleted = 0 AND ${VISIBLE} ORDER BY workflow_id LIMIT ?`,
  listWorkflowsBefore: `SELECT ${WORKFLOW_COLUMNS} FROM workflow
    WHERE workflow_id < ? AND deleted = 0 AND ${VISIBLE} ORDER BY workflow_id DESC LIMIT ?`,
  listWorkflowsLast: `SELECT ${WORKFLOW_COLUMNS} FROM workflow WHERE deleted = 0 AND ${VISIBLE} ORDER BY workflow_id DESC LIMIT ?`,
  // newest first: forward reads version ids downwards
  listVersionsDown: `SELECT ${VERSION_COLUMNS} FROM workflow_version
    WHERE workflow_id = ? AND version_id < ? ORDER BY version_id DESC LIMIT ?`,
  listVersionsUp: `SELECT ${VERSION_COLUMNS} FROM workflow_version
    WHERE workflow_id = ? AND version_id > ? ORDER BY version_id LIMIT ?`,
  // One status at a time, so the partial index hands the latest runs over in instance order (tx-listings merges).
  listLatestDown: `SELECT ${RUN_COLUMNS} FROM run INDEXED BY run_latest
    WHERE workflow_id = ? AND status = ? AND latest = 1 AND instance_id < ? ORDER BY instance_id DESC LIMIT ?`,
  listLatestUp: `SELECT ${RUN_COLUMNS} FROM run INDEXED BY run_latest
    WHERE workflow_id = ? AND status = ? AND latest = 1 AND instance_id > ? ORDER BY instance_id LIMIT ?`,
  countLatest: `SELECT status, count(*) AS n FROM run INDEXED BY run_latest
    WHERE workflow_id = ? AND latest = 1 GROUP BY status`,
  listRunsUp: `SELECT ${RUN_COLUMNS} FROM run
    WHERE workflow_id = ? AND instance_id = ? AND run_id > ? ORDER BY run_id LIMIT ?`,
  listRunsDown: `SELECT ${RUN_COLUMNS} FROM run
    WHERE workflow_id = ? AND instance_id = ? AND run_id < ? ORDER BY run_id DESC LIMIT ?`,
  listTagPermits: 'SELECT tag, max_allowed FROM tag_permit WHERE tag > ? ORDER BY tag LIMIT ?',
  findBreakpoints: `SELECT ${BREAKPOINT_COLUMNS} FROM breakpoint
    WHERE (workflow_id, step_id, instance_id, run_id, attempt) > (@workflow_id, @step_id, @instance_id, @run_id, @attempt)
      AND (@step IS NULL OR step_id = @step)
    ORDER BY workflow_id, step_id, instance_id, run_id, attempt LIMIT @limit`,
  findBreakpointsOfWorkflow: `SELECT ${BREAKPOINT_COLUMNS} FROM breakpoint
    WHERE workflow_id = @workflow_id AND (step_id, instance_id, run_id, attempt) > (@step_id, @instance_id, @run_id, @attempt)
      AND (@step IS NULL OR step_id = @step)
    ORDER BY step_id, instance_id, run_id, attempt LIMIT @limit`,

  // -- workflow changes: the row is read with its mark (the embedded store's transactions already exclude each other)
  lockWorkflow: `SELECT ${WORKFLOW_COLUMNS}, deleted FROM workflow WHERE workflow_id = ?`,
  // A transition's rules keep the properties of a workflow being deleted: its remaining runs still run under them.
  getRuleProperties: 'SELECT properties FROM workflow WHERE workflow_id = ?',
  setActiveVersion: 'UPDATE workflow SET active_version_id = ?, modify_time = ? WHERE workflow_id = ?',
  setProperties: 'UPDATE workflow SET properties = ?, modify_time = ? WHERE workflow_id = ?',
  markDeleted: 'UPDATE workflow SET deleted = 1, modify_time = ? WHERE workflow_id = ?',
  insertSnapshot: `INSERT INTO workflow_properties (workflow_id, snapshot_id, properties, changes, author, create_time)
    SELECT @workflow_id, coalesce(max(snapshot_id), 0) + 1, @properties, @changes, @author, @create_time
    FROM workflow_properties WHERE workflow_id = @workflow_id
    RETURNING snapshot_id`,
  getSnapshot: `SELECT workflow_id, snapshot_id, properties, changes, author, create_time FROM workflow_properties
    WHERE workflow_id = ? AND snapshot_id = ?`,
  getLatestSnapshot: `SELECT workflow_id, snapshot_id, properties, changes, author, create_time FROM workflow_properties
    WHERE workflow_id = ? ORDER BY snapshot_id DESC LIMIT 1`,
  appendTimeline: `INSERT INTO workflow_timeline (${TIMELINE_COLUMNS})
    SELECT @workflow_id, coalesce(max(seq), 0) + 1, @kind, @author, @create_time, @version_id, @snapshot_id,
      @active_version_id
    FROM workflow_timeline WHERE workflow_id = @workflow_id`,
  trimTimeline: `DELETE FROM workflow_timeline WHERE workflow_id = @workflow_id
    AND seq <= (SELECT max(seq) FROM workflow_timeline WHERE workflow_id = @workflow_id) - @keep`,
  getTimeline: `SELECT ${TIMELINE_COLUMNS} FROM workflow_timeline WHERE workflow_id = ? ORDER BY seq DESC LIMIT ?`,
  deleteTagPermit: 'DELETE FROM tag_permit WHERE tag = ?',

  // -- deleting a workflow, a batch at a time (all by primary key or the by-run index)
  deletionRuns:
    'SELECT instance_id, run_id FROM run WHERE workflow_id = ? ORDER BY instance_id, run_id LIMIT ?',
  deleteRunSteps: 'DELETE FROM step WHERE workflow_id = ? AND instance_id = ? AND run_id = ?',
  deleteRunAllItems: 'DELETE FROM work_item WHERE workflow_id = ? AND instance_id = ? AND run_id = ?',
  runPermitHolders: `SELECT DISTINCT workflow_id, instance_id, run_id, step_id, attempt FROM permit
    WHERE workflow_id = ? AND instance_id = ? AND run_id = ?`,
  deleteRun: 'DELETE FROM run WHERE workflow_id = ? AND instance_id = ? AND run_id = ?',
  deleteVersions: `DELETE FROM workflow_version WHERE workflow_id = @workflow_id AND version_id IN (
    SELECT version_id FROM workflow_version WHERE workflow_id = @workflow_id ORDER BY version_id LIMIT @limit)`,
  deleteWorkflowItems: 'DELETE FROM work_item WHERE workflow_id = ?',
  deleteSnapshots: 'DELETE FROM workflow_properties WHERE workflow_id = ?',
  deleteTimeline: 'DELETE FROM workflow_timeline WHERE workflow_id = ?',
  deleteBreakpoints: 'DELETE FROM breakpoint WHERE workflow_id = ?',
  deleteWorkflowSignalWaits: 'DELETE FROM signal_wait WHERE workflow_id = ?',
  // The row stays as a tombstone (see GONE_PROPERTIES): its counters go on if the id is used again.
  deleteWorkflowRow:
    "UPDATE workflow SET properties = '', active_version_id = 0 WHERE workflow_id = ? AND deleted = 1",
} as const;
