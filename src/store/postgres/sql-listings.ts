// The PostgreSQL statements of the API's listings and of workflow changes and deletion (named constants with $n
// parameters, part of sql.ts's SQL). Listings read keyset pages: `> $n`/`< $n` on the listing's key and a LIMIT,
// never OFFSET; absent positions are bound as a value before the first key (see paging.ts).

const RUN_COLUMNS =
  'workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state, version, create_time, start_time, end_time, modify_time, parent';
const WORKFLOW_COLUMNS =
  'workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time';
const VERSION_COLUMNS = 'workflow_id, version_id, definition, properties, author, create_time';
const BREAKPOINT_COLUMNS = 'workflow_id, step_id, instance_id, run_id, attempt';
const SNAPSHOT_COLUMNS = 'workflow_id, snapshot_id, properties, changes, author, create_time';
const TIMELINE_COLUMNS =
  'workflow_id, seq, kind, author, create_time, version_id, snapshot_id, active_version_id';

/** Latest runs of workflow $1 in each status of $2, one index range per status ($3 the position, $4 the count). */
const latestRuns = (
  compare: '<' | '>',
  order: 'ASC' | 'DESC',
): string => `SELECT r.* FROM unnest($2::text[]) AS s (status)
    CROSS JOIN LATERAL (SELECT ${RUN_COLUMNS} FROM run
      WHERE workflow_id = $1 AND status = s.status AND latest AND instance_id ${compare} $3::bigint
      ORDER BY instance_id ${order} LIMIT $4) AS r
    ORDER BY r.instance_id ${order} LIMIT $4`;

/** Workflows a listing shows: not a loop's inline workflow (its id takes the reserved prefix `maestro_`). */
const VISIBLE = "substr(workflow_id, 1, 8) <> 'maestro_'";

export const LISTING_SQL = {
  // latest_version_id > 0: a row another transaction is creating its first version in is not a workflow yet
  listWorkflowsAfter: `SELECT ${WORKFLOW_COLUMNS} FROM workflow
    WHERE workflow_id > $1 AND latest_version_id > 0 AND NOT deleted AND ${VISIBLE} ORDER BY workflow_id LIMIT $2`,
  listWorkflowsBefore: `SELECT ${WORKFLOW_COLUMNS} FROM workflow
    WHERE workflow_id < $1 AND latest_version_id > 0 AND NOT deleted AND ${VISIBLE} ORDER BY workflow_id DESC LIMIT $2`,
  listWorkflowsLast: `SELECT ${WORKFLOW_COLUMNS} FROM workflow
    WHERE latest_version_id > 0 AND NOT deleted AND ${VISIBLE} ORDER BY workflow_id DESC LIMIT $1`,
  listVersionsDown: `SELECT ${VERSION_COLUMNS} FROM workflow_version
    WHERE workflow_id = $1 AND version_id < $2::bigint ORDER BY version_id DESC LIMIT $3`,
  listVersionsUp: `SELECT ${VERSION_COLUMNS} FROM workflow_version
    WHERE workflow_id = $1 AND version_id > $2::bigint ORDER BY version_id LIMIT $3`,
  listLatestDown: latestRuns('<', 'DESC'),
  listLatestUp: latestRuns('>', 'ASC'),
  countLatest: 'SELECT status, count(*)::int AS n FROM run WHERE workflow_id = $1 AND latest GROUP BY status',
  listRunsUp: `SELECT ${RUN_COLUMNS} FROM run
    WHERE workflow_id = $1 AND instance_id = $2 AND run_id > $3::bigint ORDER BY run_id LIMIT $4`,
  listRunsDown: `SELECT ${RUN_COLUMNS} FROM run
    WHERE workflow_id = $1 AND instance_id = $2 AND run_id < $3::bigint ORDER BY run_id DESC LIMIT $4`,
  listTagPermits: 'SELECT tag, max_allowed FROM tag_permit WHERE tag > $1 ORDER BY tag LIMIT $2',
  findBreakpoints: `SELECT ${BREAKPOINT_COLUMNS} FROM breakpoint
    WHERE (workflow_id, step_id, instance_id, run_id, attempt) > ($1, $2, $3, $4, $5)
      AND ($6::text IS NULL OR step_id = $6)
    ORDER BY workflow_id, step_id, instance_id, run_id, attempt LIMIT $7`,
  findBreakpointsOfWorkflow: `SELECT ${BREAKPOINT_COLUMNS} FROM breakpoint
    WHERE workflow_id = $1 AND (step_id, instance_id, run_id, attempt) > ($2, $3, $4, $5)
      AND ($6::text IS NULL OR step_id = $6)
    ORDER BY step_id, instance_id, run_id, attempt LIMIT $7`,

  // -- workflow changes: every one locks the workflow's row first (lockWorkflow, in sql.ts)
  setActiveVersion: 'UPDATE workflow SET active_version_id = $2, modify_time = $3 WHERE workflow_id = $1',
  setProperties: 'UPDATE workflow SET properties = $2, modify_time = $3 WHERE workflow_id = $1',
  markDeleted: 'UPDATE workflow SET deleted = true, modify_time = $2 WHERE workflow_id = $1',
  insertSnapshot: `INSERT INTO workflow_properties (${SNAPSHOT_COLUMNS})
    SELECT $1, coalesce(max(snapshot_id), 0) + 1, $2, $3, $4, $5 FROM workflow_properties WHERE workflow_id = $1
    RETURNING snapshot_id`,
  getSnapshot: `SELECT ${SNAPSHOT_COLUMNS} FROM workflow_properties WHERE workflow_id = $1 AND snapshot_id = $2`,
  getLatestSnapshot: `SELECT ${SNAPSHOT_COLUMNS} FROM workflow_properties WHERE workflow_id = $1
    ORDER BY snapshot_id DESC LIMIT 1`,
  appendTimeline: `INSERT INTO workflow_timeline (${TIMELINE_COLUMNS})
    SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM workflow_timeline WHERE workflow_id = $1`,
  // A statement of its own (CockroachDB refuses two changes of one table in a statement); it needs nothing back from
  // the insert, so the two go out together.
  trimTimeline: `DELETE FROM workflow_timeline WHERE workflow_id = $1
    AND seq <= (SELECT max(seq) FROM workflow_timeline WHERE workflow_id = $1) - $2`,
  getTimeline: `SELECT ${TIMELINE_COLUMNS} FROM workflow_timeline WHERE workflow_id = $1 ORDER BY seq DESC LIMIT $2`,
  deleteTagPermit: 'DELETE FROM tag_permit WHERE tag = $1',

  // -- deleting a workflow, a batch at a time
  deletionRuns: `SELECT instance_id, run_id FROM run WHERE workflow_id = $1 ORDER BY instance_id, run_id LIMIT $2
    FOR UPDATE`,
  // Live holders only (the permit table holds running and waiting attempts), so reading it by workflow is small.
  runPermitHolders: `SELECT DISTINCT holder FROM permit
    WHERE workflow_id = $1 AND (instance_id, run_id) IN (SELECT * FROM unnest($2::bigint[], $3::int[]))`,
  deleteRunsSteps: `DELETE FROM step AS s USING unnest($2::bigint[], $3::int[]) AS k (instance_id, run_id)
    WHERE s.workflow_id = $1 AND s.instance_id = k.instance_id AND s.run_id = k.run_id`,
  deleteRunsItems: `DELETE FROM work_item AS w USING unnest($2::bigint[], $3::int[]) AS k (instance_id, run_id)
    WHERE w.workflow_id = $1 AND w.instance_id = k.instance_id AND w.run_id = k.run_id`,
  deleteRuns: `DELETE FROM run AS r USING unnest($2::bigint[], $3::int[]) AS k (instance_id, run_id)
    WHERE r.workflow_id = $1 AND r.instance_id = k.instance_id AND r.run_id = k.run_id`,
  deleteVersions: `DELETE FROM workflow_version WHERE workflow_id = $1 AND version_id IN (
    SELECT version_id FROM workflow_version WHERE workflow_id = $1 ORDER BY version_id LIMIT $2)`,
  deleteWorkflowItems: 'DELETE FROM work_item WHERE workflow_id = $1',
  deleteSnapshots: 'DELETE FROM workflow_properties WHERE workflow_id = $1',
  deleteTimeline: 'DELETE FROM workflow_timeline WHERE workflow_id = $1',
  deleteBreakpoints: 'DELETE FROM breakpoint WHERE workflow_id = $1',
  deleteWorkflowSignalWaits: 'DELETE FROM signal_wait WHERE workflow_id = $1',
  // The row stays as a tombstone (see GONE_PROPERTIES): its counters go on if the id is used again.
  deleteWorkflowRow:
    "UPDATE workflow SET properties = '', active_version_id = 0 WHERE workflow_id = $1 AND deleted",
} as const;
