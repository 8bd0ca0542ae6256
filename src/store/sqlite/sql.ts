import type { Database, Statement } from 'better-sqlite3';
import { WorkItemKind } from '../port/queue.js';
import { SIGNAL_SQL, SIGNAL_TRIGGER_SQL } from './sql-signals.js';
import { SIGNAL_WAIT_SQL } from './sql-signal-waits.js';
import { TOKEN_SQL } from './sql-tokens.js';
import { TIME_TRIGGER_SQL } from './sql-time-triggers.js';
import { SOURCE_SQL } from './sql-sources.js';
import { LISTING_SQL } from './sql-listings.js';
import { RELAY_SQL } from './relay-sql.js';
import { METRICS_SQL } from './tx-metrics.js';

// Every query the adapter runs, as named constants with parameters (never values spliced into SQL). They are
// prepared once when the store opens, so a call costs a bind and a step, not a parse.

const WORK_ITEM_COLUMNS =
  'id, kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key, lease_owner, lease_until, created_at';
// A scoped claim's filter (the port's ClaimScope): @scope is one JSON array of [workflow_id, instance_id] pairs;
// admissions are matched by workflow, everything else by instance.
const IN_SCOPE = `workflow_id IN (SELECT value ->> 0 FROM json_each(@scope))
      AND (kind = 'admit' OR (workflow_id, instance_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@scope)))`;
const RUN_COLUMNS =
  'workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state, version, create_time, start_time, end_time, modify_time, parent';

/** Rows written by one multi-row statement (`putStepChunk`, `appendOutboxChunk`). */
export const CHUNK = 32;

/**
 * Writes `rows` with `chunk` (a statement for CHUNK rows) while CHUNK are left, then with `one` (a statement for one
 * row); `values` gives a row's bound values, in the statements' column order.
 */
export function runInChunks<T>(
  rows: readonly T[],
  chunk: Statement,
  one: Statement,
  values: (row: T) => readonly unknown[],
): void {
  let i = 0;
  for (; i + CHUNK <= rows.length; i += CHUNK) {
    const bound: unknown[] = [];
    for (let j = i; j < i + CHUNK; j++) bound.push(...values(rows[j]!));
    chunk.run(bound);
  }
  for (; i < rows.length; i++) one.run(values(rows[i]!));
}

/** `(?, ?, ?), (?, ?, ?), …`: `rows` groups of `width` placeholders (no values: they are bound). */
function placeholders(rows: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

export const SQL = {
  ...TOKEN_SQL,
  ...TIME_TRIGGER_SQL,
  ...SIGNAL_SQL,
  ...SIGNAL_TRIGGER_SQL,
  ...SOURCE_SQL,
  ...SIGNAL_WAIT_SQL,
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',

  getWorkflow:
    'SELECT workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time FROM workflow WHERE workflow_id = ? AND deleted = 0',
  insertWorkflow: `INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
    VALUES (@workflow_id, @latest_version_id, @active_version_id, @properties, 0, @now, @now)`,
  updateWorkflowVersion: `UPDATE workflow SET latest_version_id = @latest_version_id, active_version_id = @active_version_id,
    properties = @properties, modify_time = @now, deleted = 0 WHERE workflow_id = @workflow_id`,
  insertVersion: `INSERT INTO workflow_version (workflow_id, version_id, definition, properties, author, create_time)
    VALUES (?, ?, ?, ?, ?, ?)`,
  getVersion:
    'SELECT workflow_id, version_id, definition, properties, author, create_time FROM workflow_version WHERE workflow_id = ? AND version_id = ?',
  nextInstanceId:
    'UPDATE workflow SET latest_instance_id = latest_instance_id + ? WHERE workflow_id = ? AND deleted = 0 RETURNING latest_instance_id',

  // ON CONFLICT names the request-id constraint only: a duplicate request is "already started", while a clash on
  // the primary key is a bug and still raises. A run is its instance's latest unless a later run exists.
  insertRun: `INSERT INTO run (${RUN_COLUMNS}, latest)
    VALUES (@workflow_id, @instance_id, @run_id, @version_id, @request_id, @status, @correlation_id, @initiator, @state, 1,
      @create_time, NULL, NULL, @modify_time, @parent, NOT EXISTS (SELECT 1 FROM run AS h
        WHERE h.workflow_id = @workflow_id AND h.instance_id = @instance_id AND h.run_id > @run_id))
    ON CONFLICT (workflow_id, request_id) DO NOTHING`,
  // A new run (a restart) takes the latest mark from the runs before it.
  clearOlderLatest:
    'UPDATE run SET latest = 0 WHERE workflow_id = ? AND instance_id = ? AND run_id < ? AND latest = 1',
  getRun: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = ? AND instance_id = ? AND run_id = ?`,
  getRunByRequestId: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = ? AND request_id = ?`,
  getLatestRun: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = ? AND instance_id = ? ORDER BY run_id DESC LIMIT 1`,
  getRunVersion: 'SELECT version FROM run WHERE workflow_id = ? AND instance_id = ? AND run_id = ?',
  getRulesVersion: 'SELECT version FROM rules_version WHERE id = 1',
  // Moved in the transaction of every change of a workflow's properties, a breakpoint or a tag permit.
  bumpRulesVersion: 'UPDATE rules_version SET version = version + 1 WHERE id = 1',
  updateRun: `UPDATE run SET version_id = @version_id, status = @status, correlation_id = @correlation_id, initiator = @initiator,
    state = @state, start_time = @start_time, end_time = @end_time, modify_time = @modify_time, version = version + 1
    WHERE workflow_id = @workflow_id AND instance_id = @instance_id AND run_id = @run_id AND version = @expected`,
  // One status at a time: the status index then returns the runs already in order, so a long backlog of queued runs
  // costs `limit` rows, not a sort of the whole backlog. tx-runs merges the per-status lists.
  listRunsInStatus: `SELECT ${RUN_COLUMNS} FROM run INDEXED BY run_by_status
    WHERE workflow_id = ? AND status = ? ORDER BY instance_id, run_id LIMIT ?`,
  // Statuses arrive as one JSON array parameter, so the statement is the same whatever the number of statuses.
  countRunsByStatus:
    'SELECT count(*) AS n FROM run WHERE workflow_id = ? AND status IN (SELECT value FROM json_each(?))',
  // The partial index holds only FAILED runs not unblocked, so this is one probe however many runs failed before.
  hasBlockingFailedRun: `SELECT EXISTS (SELECT 1 FROM run INDEXED BY run_blocking
    WHERE workflow_id = ? AND status = 'FAILED' AND unblocked = 0) AS held`,
  unblockRun: `UPDATE run SET unblocked = 1
    WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND status = 'FAILED'`,

  // Items without a dedup_key (most: step attempts and timers) cannot conflict.
  enqueue: `INSERT INTO work_item (kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key,
    lease_owner, lease_until, created_at)
    VALUES (@kind, @workflow_id, @instance_id, @run_id, @step_id, @attempt, @payload, @run_at, @dedup_key, @lease_owner, @lease_until, @created_at)`,
  // A dedup_key already queued arms that item again (see the port's `enqueue`) and returns it.
  enqueueDedup: `INSERT INTO work_item (kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key,
    lease_owner, lease_until, created_at)
    VALUES (@kind, @workflow_id, @instance_id, @run_id, @step_id, @attempt, @payload, @run_at, @dedup_key, @lease_owner, @lease_until, @created_at)
    ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO UPDATE SET run_at = min(run_at, excluded.run_at),
      lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
    RETURNING id, run_at, created_at`,
  // Expired leases first (abandoned work), then unleased items; each walks a partial index of just the rows it
  // can take. Kinds arrive as one JSON array parameter, or NULL for every kind.
  claimableExpired: `SELECT ${WORK_ITEM_COLUMNS} FROM work_item INDEXED BY work_item_lease
    WHERE lease_owner IS NOT NULL AND lease_until < @now AND run_at <= @now
      AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
    ORDER BY lease_until, id LIMIT @limit`,
  // One kind at a time, so the (kind, run_at, id) index hands rows over in order without a sort.
  claimableUnleased: `SELECT ${WORK_ITEM_COLUMNS} FROM work_item INDEXED BY work_item_unleased
    WHERE lease_owner IS NULL AND kind = @kind AND run_at <= @now
    ORDER BY run_at, id LIMIT @limit`,
  // Scoped claims: few items are in a scope, so these walk the items of its workflows (the by-run index), not the
  // whole queue.
  claimableExpiredScoped: `SELECT ${WORK_ITEM_COLUMNS} FROM work_item INDEXED BY work_item_by_run
    WHERE lease_owner IS NOT NULL AND lease_until < @now AND run_at <= @now
      AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds))) AND ${IN_SCOPE}
    ORDER BY lease_until, id LIMIT @limit`,
  claimableUnleasedScoped: `SELECT ${WORK_ITEM_COLUMNS} FROM work_item INDEXED BY work_item_by_run
    WHERE lease_owner IS NULL AND kind = @kind AND run_at <= @now AND ${IN_SCOPE}
    ORDER BY run_at, id LIMIT @limit`,
  lease: 'UPDATE work_item SET lease_owner = ?, lease_until = ? WHERE id = ?',
  extendLease: 'UPDATE work_item SET lease_until = ? WHERE id = ? AND lease_owner = ?',
  releaseLeases: 'UPDATE work_item SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?',
  ack: 'DELETE FROM work_item WHERE id = ?',
  ackOwned: 'DELETE FROM work_item WHERE id = ? AND lease_owner = ?',
  reschedule: `UPDATE work_item SET run_at = ?, payload = coalesce(?, payload), lease_owner = NULL, lease_until = NULL
    WHERE id = ? AND (? IS NULL OR lease_owner = ?)`,
  deleteStepItems: `DELETE FROM work_item WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND kind = 'step'
    AND step_id = ? AND attempt = ?`,
  deleteRunItems: `DELETE FROM work_item WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND lease_owner IS NULL`,
  deleteRunItemsOfKinds: `DELETE FROM work_item WHERE workflow_id = ? AND instance_id = ? AND run_id = ? AND lease_owner IS NULL
    AND kind IN (SELECT value FROM json_each(?))`,
  // The next moment some item may become claimable: an unleased item coming due, or a lease running out (so a
  // process notices work abandoned by a dead one without polling).
  // One lookup per kind of the closed union (each the first entry of the unleased index for that kind) and one for
  // the leases, so the answer costs an index probe per kind whatever the backlog, and no kind can be left out.
  nextRunAt: `SELECT min(t) AS run_at FROM (
      ${Object.values(WorkItemKind)
        .map(
          (kind) => `SELECT min(run_at) AS t FROM work_item INDEXED BY work_item_unleased
        WHERE lease_owner IS NULL AND kind = '${kind}' AND run_at > @now`,
        )
        .join('\n      UNION ALL\n      ')}
      UNION ALL
      SELECT min(lease_until) + 1 FROM work_item INDEXED BY work_item_lease
        WHERE lease_owner IS NOT NULL AND lease_until >= @now)`,
  nextRunAtScoped: `SELECT min(t) AS run_at FROM (
      SELECT min(run_at) AS t FROM work_item INDEXED BY work_item_by_run
        WHERE lease_owner IS NULL AND run_at > @now AND ${IN_SCOPE}
      UNION ALL
      SELECT min(lease_until) + 1 FROM work_item INDEXED BY work_item_by_run
        WHERE lease_owner IS NOT NULL AND lease_until >= @now AND ${IN_SCOPE})`,

  getSteps: `SELECT step_id, status, attempt, state FROM step WHERE workflow_id = ? AND instance_id = ? AND run_id = ?
    ORDER BY rowid`,
  putStep: `INSERT INTO step (workflow_id, instance_id, run_id, step_id, status, attempt, state)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (workflow_id, instance_id, run_id, step_id)
    DO UPDATE SET status = excluded.status, attempt = excluded.attempt, state = excluded.state`,
  // The same for CHUNK steps of one run in one statement (a statement costs more than a row); the rest one by one.
  putStepChunk: `INSERT INTO step (workflow_id, instance_id, run_id, step_id, status, attempt, state)
    VALUES ${placeholders(CHUNK, 7)}
    ON CONFLICT (workflow_id, instance_id, run_id, step_id)
    DO UPDATE SET status = excluded.status, attempt = excluded.attempt, state = excluded.state`,

  countHeld: 'SELECT held AS n FROM permit_count WHERE permit_key = ?',
  addHeld: `INSERT INTO permit_count (permit_key, held) VALUES (?, ?)
    ON CONFLICT (permit_key) DO UPDATE SET held = held + excluded.held`,
  insertPermit: `INSERT INTO permit (permit_key, permit_limit, holder, workflow_id, instance_id, run_id, step_id, attempt, granted, since)
    VALUES (@permit_key, @permit_limit, @holder, @workflow_id, @instance_id, @run_id, @step_id, @attempt, @granted, @since)`,
  holderKeys: 'SELECT permit_key, granted FROM permit WHERE holder = ?',
  deleteHolder: 'DELETE FROM permit WHERE holder = ?',
  // One at a time: a long line of waiters must not be read whole for every permit given back.
  firstWaiting: `SELECT holder, workflow_id, instance_id, run_id, step_id, attempt FROM permit
    WHERE permit_key = ? AND granted = 0 ORDER BY id LIMIT 1`,
  holderRows: 'SELECT permit_key, permit_limit FROM permit WHERE holder = ?',
  grantHolder: 'UPDATE permit SET granted = 1 WHERE holder = ?',
  setTagPermit: `INSERT INTO tag_permit (tag, max_allowed) VALUES (?, ?)
    ON CONFLICT (tag) DO UPDATE SET max_allowed = excluded.max_allowed`,
  getTagPermits:
    'SELECT tag, max_allowed FROM tag_permit WHERE tag IN (SELECT value FROM json_each(?)) ORDER BY tag',

  setBreakpoint:
    'INSERT OR IGNORE INTO breakpoint (workflow_id, step_id, instance_id, run_id, attempt) VALUES (?, ?, ?, ?, ?)',
  deleteBreakpoint:
    'DELETE FROM breakpoint WHERE workflow_id = ? AND step_id = ? AND instance_id = ? AND run_id = ? AND attempt = ?',
  listBreakpoints:
    'SELECT workflow_id, step_id, instance_id, run_id, attempt FROM breakpoint WHERE workflow_id = ? ORDER BY step_id, instance_id, run_id, attempt',

  appendOutbox: 'INSERT INTO outbox (type, payload, create_time) VALUES (?, ?, ?)',
  appendOutboxChunk: `INSERT INTO outbox (type, payload, create_time) VALUES ${placeholders(CHUNK, 3)}`,
  readOutbox: 'SELECT id, type, payload, create_time FROM outbox WHERE id > ? ORDER BY id LIMIT ?',
  ...RELAY_SQL,
  ...METRICS_SQL,
} as const;

type StatementName = keyof typeof SQL | keyof typeof LISTING_SQL;
export type Statements = { readonly [K in StatementName]: Statement };

export function prepareStatements(db: Database): Statements {
  const all = { ...SQL, ...LISTING_SQL };
  const out: Partial<Record<StatementName, Statement>> = {};
  for (const key of Object.keys(all) as StatementName[]) out[key] = db.prepare(all[key]);
  return out as Statements;
}
