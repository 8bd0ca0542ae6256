import { WorkItemKind } from '../port/queue.js';
import { RELAY_SQL } from './relay-sql.js';
import { LISTING_SQL } from './sql-listings.js';
import { METRICS_SQL } from './pg-metrics.js';

// Every query the PostgreSQL adapter runs, as named constants with $n parameters (never values spliced into SQL).
// The name doubles as the prepared statement's name, so each connection parses a query once. Lists travel as one
// array parameter (`= ANY($n)`, `unnest`), so a statement's text does not depend on how many values it gets.

import { SIGNAL_SQL, SIGNAL_TRIGGER_SQL } from './sql-signals.js';
import { SIGNAL_WAIT_SQL } from './sql-signal-waits.js';
import { TOKEN_SQL } from './sql-tokens.js';
import { TIME_TRIGGER_SQL } from './sql-time-triggers.js';
import { SOURCE_SQL } from './sql-sources.js';

const RUN_COLUMNS =
  'workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state, version, create_time, start_time, end_time, modify_time, parent';
const RETURNED_ITEM =
  'w.id, w.kind, w.workflow_id, w.instance_id, w.run_id, w.step_id, w.attempt, w.payload, w.run_at, w.dedup_key, w.lease_owner, w.lease_until, w.created_at';

/**
 * A scoped claim's filter (the port's ClaimScope): `$w` and `$i` are the scope's instances as two arrays (workflow
 * ids, instance ids); admissions are matched by workflow, everything else by instance.
 */
const inScope = (w: string, i: string): string =>
  `workflow_id = ANY(${w}::text[])
      AND (kind = 'admit' OR (workflow_id, instance_id) IN (SELECT * FROM unnest(${w}::text[], ${i}::bigint[])))`;

export const SQL = {
  ...TOKEN_SQL,
  ...TIME_TRIGGER_SQL,
  ...SIGNAL_SQL,
  ...SIGNAL_TRIGGER_SQL,
  ...SOURCE_SQL,
  ...SIGNAL_WAIT_SQL,
  // The row is created (empty) before it is locked, so two processes creating a workflow's first version at once
  // queue on the same row instead of one failing on the primary key.
  ensureWorkflow: `INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
    VALUES ($1, 0, 0, '{}', 0, $2, $2) ON CONFLICT (workflow_id) DO NOTHING`,
  lockWorkflow:
    'SELECT workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time, deleted FROM workflow WHERE workflow_id = $1 FOR UPDATE',
  updateWorkflowVersion: `UPDATE workflow SET latest_version_id = $2, active_version_id = $3, properties = $4, modify_time = $5,
    deleted = false WHERE workflow_id = $1`,
  insertVersion: `INSERT INTO workflow_version (workflow_id, version_id, definition, properties, author, create_time)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  getWorkflows:
    'SELECT workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time FROM workflow WHERE workflow_id = ANY($1::text[]) AND latest_version_id > 0 AND NOT deleted',
  getVersions: `SELECT v.workflow_id, v.version_id, v.definition, v.properties, v.author, v.create_time
    FROM workflow_version AS v JOIN unnest($1::text[], $2::int[]) AS k (workflow_id, version_id)
      ON v.workflow_id = k.workflow_id AND v.version_id = k.version_id`,
  // The counters are locked in the caller's order (rows are locked as they come out of the sort, and the update
  // only touches rows the CTE has locked), so two batches of starts cannot deadlock.
  nextInstanceIds: `WITH locked AS MATERIALIZED (
      SELECT w.workflow_id, k.n FROM workflow AS w
      JOIN unnest($1::text[], $2::int[]) WITH ORDINALITY AS k (workflow_id, n, ord) ON w.workflow_id = k.workflow_id
      WHERE w.latest_version_id > 0 AND NOT w.deleted
      ORDER BY k.ord FOR UPDATE OF w)
    UPDATE workflow AS w SET latest_instance_id = w.latest_instance_id + l.n FROM locked AS l
    WHERE w.workflow_id = l.workflow_id RETURNING w.workflow_id, w.latest_instance_id`,

  // Runs in list order; a request id already used (by a stored run or an earlier one of the list) inserts nothing.
  // A run is its instance's latest unless a later run exists.
  insertRuns: `INSERT INTO run (${RUN_COLUMNS}, latest)
    SELECT r.workflow_id, r.instance_id, r.run_id, r.version_id, r.request_id, r.status, r.correlation_id, r.initiator,
      r.state, 1, r.create_time, NULL, NULL, $11, r.parent, NOT EXISTS (SELECT 1 FROM run AS h
        WHERE h.workflow_id = r.workflow_id AND h.instance_id = r.instance_id AND h.run_id > r.run_id)
    FROM unnest($1::text[], $2::bigint[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::bigint[], $12::text[]) WITH ORDINALITY AS r (workflow_id, instance_id, run_id, version_id, request_id, status,
      correlation_id, initiator, state, create_time, parent, ord)
    ORDER BY r.ord
    ON CONFLICT (workflow_id, request_id) DO NOTHING
    RETURNING workflow_id, instance_id, run_id`,
  // New runs (restarts) take the latest mark from the runs before them: a statement of its own, as CockroachDB
  // refuses two changes of one table in one.
  clearOlderLatest: `UPDATE run SET latest = false
    FROM unnest($1::text[], $2::bigint[], $3::int[]) AS k (workflow_id, instance_id, run_id)
    WHERE run.workflow_id = k.workflow_id AND run.instance_id = k.instance_id AND run.run_id < k.run_id AND run.latest`,
  getRunsByRequestIds: `SELECT ${RUN_COLUMNS} FROM run
    WHERE (workflow_id, request_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
  getRun: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3`,
  getRunByRequestId: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = $1 AND request_id = $2`,
  getLatestRun: `SELECT ${RUN_COLUMNS} FROM run WHERE workflow_id = $1 AND instance_id = $2 ORDER BY run_id DESC LIMIT 1`,
  // Row locks are taken in the order rows come out of the sort: the caller's key order, so no deadlock between two
  // batches that lock overlapping runs.
  // The rules version comes with the lock (one row read once per statement), so cached rules need no statement.
  lockRuns: `SELECT r.workflow_id, r.instance_id, r.run_id, r.version,
      (SELECT version FROM rules_version WHERE id = 1) AS rules_version
    FROM run AS r
    JOIN unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS k (workflow_id, instance_id, run_id, ord)
      ON r.workflow_id = k.workflow_id AND r.instance_id = k.instance_id AND r.run_id = k.run_id
    ORDER BY k.ord FOR UPDATE OF r`,
  getRunVersion: 'SELECT version FROM run WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3',
  // Several runs' transitions in one statement: each run only at its expected version, and the steps only when every
  // run was written (all or nothing; the caller throws on a short count and the transaction rolls back).
  writeRuns: `WITH r AS (
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::bigint[], $10::bigint[], $11::bigint[]) AS r (workflow_id, instance_id, run_id, version_id, status,
        correlation_id, initiator, state, start_time, end_time, expected)),
    u AS (
      UPDATE run SET version_id = r.version_id, status = r.status, correlation_id = r.correlation_id,
        initiator = r.initiator, state = r.state, start_time = r.start_time, end_time = r.end_time, modify_time = $12,
        version = run.version + 1
      FROM r
      WHERE run.workflow_id = r.workflow_id AND run.instance_id = r.instance_id AND run.run_id = r.run_id
        AND run.version = r.expected
      RETURNING run.workflow_id, run.instance_id, run.run_id),
    s AS (
      INSERT INTO step (workflow_id, instance_id, run_id, step_id, status, attempt, state)
      SELECT s.workflow_id, s.instance_id, s.run_id, s.step_id, s.status, s.attempt, s.state
      FROM unnest($13::text[], $14::bigint[], $15::int[], $16::text[], $17::text[], $18::int[], $19::text[])
        WITH ORDINALITY AS s (workflow_id, instance_id, run_id, step_id, status, attempt, state, ord)
      WHERE (SELECT count(*) FROM u) = cardinality($1::text[])
      ORDER BY s.ord
      ON CONFLICT (workflow_id, instance_id, run_id, step_id)
      DO UPDATE SET status = excluded.status, attempt = excluded.attempt, state = excluded.state)
    SELECT workflow_id, instance_id, run_id FROM u`,
  listRunsByStatusOf: `SELECT k.ord, r.* FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k (workflow_id, lim, ord)
    CROSS JOIN LATERAL (SELECT ${RUN_COLUMNS} FROM run WHERE run.workflow_id = k.workflow_id AND status = ANY($3::text[])
      ORDER BY instance_id, run_id LIMIT k.lim) AS r
    ORDER BY k.ord, r.instance_id, r.run_id`,
  countRunsByStatusOf: `SELECT (SELECT count(*)::int FROM run WHERE run.workflow_id = k.workflow_id AND status = ANY($2::text[])) AS n
    FROM unnest($1::text[]) WITH ORDINALITY AS k (workflow_id, ord) ORDER BY k.ord`,
  // The predicate is the partial index run_blocking's, word for word, so the planner probes that index (it holds
  // only FAILED runs not unblocked) however many runs failed before.
  hasBlockingFailedRun: `SELECT EXISTS (SELECT 1 FROM run
    WHERE workflow_id = $1 AND status = 'FAILED' AND unblocked = false) AS held`,
  unblockRun: `UPDATE run SET unblocked = true
    WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3 AND status = 'FAILED'`,

  getSteps: `SELECT step_id, status, attempt, state FROM step WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3
    ORDER BY seq`,
  getStepsOf: `SELECT k.ord, s.step_id, s.status, s.attempt, s.state
    FROM unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS k (workflow_id, instance_id, run_id, ord)
    JOIN step AS s ON s.workflow_id = k.workflow_id AND s.instance_id = k.instance_id AND s.run_id = k.run_id
    ORDER BY k.ord, s.seq`,
  putSteps: `INSERT INTO step (workflow_id, instance_id, run_id, step_id, status, attempt, state)
    SELECT $1, $2, $3, s.step_id, s.status, s.attempt, s.state
    FROM unnest($4::text[], $5::text[], $6::int[], $7::text[]) AS s (step_id, status, attempt, state)
    ON CONFLICT (workflow_id, instance_id, run_id, step_id)
    DO UPDATE SET status = excluded.status, attempt = excluded.attempt, state = excluded.state`,

  // Locks the count rows of some keys (creating them at 0), in key order so two transactions cannot deadlock on
  // them, and returns how many permits each key has held and how many holders wait for it: the row as it is once
  // locked (an upsert that waited for the lock reads the newest row), so a key's state is this one statement.
  lockPermitCounts: `INSERT INTO permit_count (permit_key, held, waiting)
    SELECT k, 0, 0 FROM unnest($1::text[]) AS k ORDER BY k
    ON CONFLICT (permit_key) DO UPDATE SET held = permit_count.held
    RETURNING permit_key, held, waiting`,
  // Places in line: the rows and their keys' waiting counts in one statement (counts in key order).
  queuePermits: `WITH ins AS (
      INSERT INTO permit (permit_key, permit_limit, holder, workflow_id, instance_id, run_id, step_id, attempt, granted, since)
      SELECT p.permit_key, p.permit_limit, p.holder, p.workflow_id, p.instance_id, p.run_id, p.step_id, p.attempt, false, $9
      FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::text[], $8::int[]) WITH ORDINALITY
        AS p (permit_key, permit_limit, holder, workflow_id, instance_id, run_id, step_id, attempt, ord)
      ORDER BY p.ord
      RETURNING permit_key)
    INSERT INTO permit_count (permit_key, held, waiting)
    SELECT permit_key, 0, count(*)::int FROM ins GROUP BY permit_key ORDER BY permit_key
    ON CONFLICT (permit_key) DO UPDATE SET waiting = permit_count.waiting + excluded.waiting`,
  // Permits taken: the rows and their counts in one statement (counts in key order: no deadlock between two).
  holdPermits: `WITH ins AS (
      INSERT INTO permit (permit_key, permit_limit, holder, workflow_id, instance_id, run_id, step_id, attempt, granted, since)
      SELECT p.permit_key, p.permit_limit, p.holder, p.workflow_id, p.instance_id, p.run_id, p.step_id, p.attempt, true, $9
      FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::text[], $8::int[]) WITH ORDINALITY
        AS p (permit_key, permit_limit, holder, workflow_id, instance_id, run_id, step_id, attempt, ord)
      ORDER BY p.ord
      RETURNING permit_key)
    INSERT INTO permit_count (permit_key, held, waiting)
    SELECT permit_key, count(*)::int, 0 FROM ins GROUP BY permit_key ORDER BY permit_key
    ON CONFLICT (permit_key) DO UPDATE SET held = permit_count.held + excluded.held`,
  // Permits given back and places in line given up: the rows deleted and uncounted (held and waiting), in one
  // statement; returns every key the holders held or waited for.
  releaseHolders: `WITH d AS (DELETE FROM permit WHERE holder = ANY($1::text[]) RETURNING permit_key, granted),
    c AS (SELECT permit_key, (count(*) FILTER (WHERE granted))::int AS n, (count(*) FILTER (WHERE NOT granted))::int AS w
      FROM d GROUP BY permit_key),
    u AS (INSERT INTO permit_count (permit_key, held, waiting) SELECT permit_key, -n, -w FROM c ORDER BY permit_key
      ON CONFLICT (permit_key) DO UPDATE SET held = permit_count.held + excluded.held,
        waiting = permit_count.waiting + excluded.waiting)
    SELECT permit_key FROM c`,
  // The first $2 waiters of a key, in line order, each with every key it waits for.
  waitingPage: `WITH w AS (
      SELECT holder, min(id) AS place FROM permit WHERE permit_key = $1 AND granted = false
      GROUP BY holder ORDER BY place LIMIT $2)
    SELECT p.holder, p.workflow_id, p.instance_id, p.run_id, p.step_id, p.attempt, p.permit_key, p.permit_limit
    FROM permit AS p JOIN w ON p.holder = w.holder
    ORDER BY w.place, p.id`,
  // Only rows still waiting: a holder that gave up its place meanwhile is not counted. Granted places leave the
  // keys' waiting counts and join their held counts in the same statement (counts in key order).
  grantHolders: `WITH g AS (
      UPDATE permit SET granted = true WHERE holder = ANY($1::text[]) AND granted = false RETURNING holder, permit_key),
    c AS (INSERT INTO permit_count (permit_key, held, waiting)
      SELECT permit_key, count(*)::int, -count(*)::int FROM g GROUP BY permit_key ORDER BY permit_key
      ON CONFLICT (permit_key) DO UPDATE SET held = permit_count.held + excluded.held,
        waiting = permit_count.waiting + excluded.waiting)
    SELECT holder, permit_key FROM g`,
  setTagPermit: `INSERT INTO tag_permit (tag, max_allowed) VALUES ($1, $2)
    ON CONFLICT (tag) DO UPDATE SET max_allowed = excluded.max_allowed`,
  getTagPermits: 'SELECT tag, max_allowed FROM tag_permit WHERE tag = ANY($1::text[]) ORDER BY tag',

  // A transition's rules in one round trip; the lists as JSON arrays of arrays, in the order their own statements give.
  getWorkflowRulesOf: `SELECT (SELECT version FROM rules_version WHERE id = 1) AS version,
      (SELECT properties FROM workflow WHERE workflow_id = k.workflow_id) AS properties,
      (SELECT coalesce(json_agg(json_build_array(step_id, instance_id, run_id, attempt)
        ORDER BY step_id, instance_id, run_id, attempt), '[]')::text FROM breakpoint WHERE workflow_id = k.workflow_id) AS breakpoints,
      (SELECT coalesce(json_agg(json_build_array(tag, max_allowed) ORDER BY tag), '[]')::text
        FROM tag_permit WHERE tag IN (SELECT json_array_elements_text(k.tags::json))) AS tags
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (workflow_id, tags, ord) ORDER BY k.ord`,
  // Moved in the transaction of every change of a workflow's properties, a breakpoint or a tag permit.
  bumpRulesVersion: 'UPDATE rules_version SET version = version + 1 WHERE id = 1',
  setBreakpoint: `INSERT INTO breakpoint (workflow_id, step_id, instance_id, run_id, attempt) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT DO NOTHING`,
  deleteBreakpoint:
    'DELETE FROM breakpoint WHERE workflow_id = $1 AND step_id = $2 AND instance_id = $3 AND run_id = $4 AND attempt = $5',
  listBreakpoints:
    'SELECT workflow_id, step_id, instance_id, run_id, attempt FROM breakpoint WHERE workflow_id = $1 ORDER BY step_id, instance_id, run_id, attempt',

  // Ids are drawn in the statement and returned with each item's place in the list. (A CTE that calls nextval is
  // evaluated once per row.) A dedup_key already queued arms that item again (see the port's `enqueue`): the row
  // returned is the queued one, found by its key. The caller merges duplicate keys first (one upsert per row). Two
  // equality joins, not one join on `id = … OR key = …`: that one cannot hash and compared every pair of rows.
  enqueue: `WITH u AS (
      SELECT nextval('work_item_id_seq') AS id, u.*
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::int[], $7::text[], $8::bigint[],
        $9::text[], $10::text[], $11::bigint[]) WITH ORDINALITY
        AS u (kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key, lease_owner, lease_until, ord)),
    ins AS (
      INSERT INTO work_item (id, kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key,
        lease_owner, lease_until, created_at)
      SELECT id, kind, workflow_id, instance_id, run_id, step_id, attempt, payload, run_at, dedup_key, lease_owner,
        lease_until, $12::bigint FROM u ORDER BY ord
      ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO UPDATE SET
        run_at = least(work_item.run_at, excluded.run_at), lease_owner = excluded.lease_owner,
        lease_until = excluded.lease_until
      RETURNING id, dedup_key, run_at, created_at)
    SELECT coalesce(a.id, b.id) AS id, u.ord, coalesce(a.run_at, b.run_at) AS run_at,
      coalesce(a.created_at, b.created_at) AS created_at
    FROM u LEFT JOIN ins AS a ON a.id = u.id LEFT JOIN ins AS b ON a.id IS NULL AND b.dedup_key = u.dedup_key
    ORDER BY u.ord`,
  // SKIP LOCKED: concurrent claimers each take different rows instead of queueing behind one another. Expired
  // leases first, then unleased items, each query walking a partial index of just the rows it can take, so a claim
  // costs its batch, not the backlog. In claimExpired, $5 is the kinds to take or NULL for every kind.
  claimExpired: `WITH c AS (
      SELECT id, lease_owner AS previous_owner FROM work_item
      WHERE lease_owner IS NOT NULL AND lease_until < $1 AND run_at <= $1 AND ($5::text[] IS NULL OR kind = ANY($5::text[]))
      ORDER BY lease_until, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING ${RETURNED_ITEM}, c.previous_owner`,
  // One kind at a time ($5): only `kind = $5` lets the (kind, run_at, id) index return rows already in order; with
  // `kind = ANY(...)` PostgreSQL 15 reads and sorts every due item (bench/store/claim-bench.ts).
  claimUnleased: `WITH c AS (
      SELECT id FROM work_item
      WHERE lease_owner IS NULL AND kind = $5 AND run_at <= $1
      ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING ${RETURNED_ITEM}, NULL::text AS previous_owner`,
  // Scoped claims: the same, for the items of the scope's instances alone ($6, $7: see inScope).
  claimExpiredScoped: `WITH c AS (
      SELECT id, lease_owner AS previous_owner FROM work_item
      WHERE lease_owner IS NOT NULL AND lease_until < $1 AND run_at <= $1 AND ($5::text[] IS NULL OR kind = ANY($5::text[]))
        AND ${inScope('$6', '$7')}
      ORDER BY lease_until, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING ${RETURNED_ITEM}, c.previous_owner`,
  claimUnleasedScoped: `WITH c AS (
      SELECT id FROM work_item
      WHERE lease_owner IS NULL AND kind = $5 AND run_at <= $1 AND ${inScope('$6', '$7')}
      ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING ${RETURNED_ITEM}, NULL::text AS previous_owner`,
  extendLeases:
    'UPDATE work_item SET lease_until = $1 WHERE id = ANY($2::bigint[]) AND lease_owner = $3 RETURNING id',
  releaseLeases: 'UPDATE work_item SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1',
  ack: 'DELETE FROM work_item WHERE id = ANY($1::bigint[])',
  ackOwned: 'DELETE FROM work_item WHERE id = ANY($1::bigint[]) AND lease_owner = $2',
  reschedule: `UPDATE work_item SET run_at = $1, payload = coalesce($2, payload), lease_owner = NULL, lease_until = NULL
    WHERE id = $3 AND ($4::text IS NULL OR lease_owner = $4)`,
  rescheduleItems: `UPDATE work_item AS w SET run_at = k.run_at, lease_owner = NULL, lease_until = NULL
    FROM unnest($1::bigint[], $2::bigint[]) AS k (id, run_at) WHERE w.id = k.id AND ($3::text IS NULL OR w.lease_owner = $3)`,
  deleteStepItems: `DELETE FROM work_item WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3 AND kind = 'step'
    AND step_id = $4 AND attempt = $5`,
  deleteRunItems:
    'DELETE FROM work_item WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3 AND lease_owner IS NULL',
  // A statement of its own, not a second DELETE of work_item in ackAndAppend: CockroachDB refuses two changes of one
  // table in a statement.
  deleteEndedItems: `DELETE FROM work_item AS w
    USING unnest($1::text[], $2::bigint[], $3::int[]) AS e (workflow_id, instance_id, run_id)
    WHERE w.workflow_id = e.workflow_id AND w.instance_id = e.instance_id AND w.run_id = e.run_id
      AND w.lease_owner IS NULL`,
  deleteRunItemsOfKinds: `DELETE FROM work_item WHERE workflow_id = $1 AND instance_id = $2 AND run_id = $3
    AND lease_owner IS NULL AND kind = ANY($4::text[])`,
  // One index probe per kind of the closed union (none left out) and one for the leases (a min over all kinds at once
  // read every unleased row).
  nextRunAt: `SELECT min(t) AS run_at FROM (
      ${Object.values(WorkItemKind)
        .map(
          (kind) =>
            `SELECT min(run_at) AS t FROM work_item WHERE lease_owner IS NULL AND kind = '${kind}' AND run_at > $1`,
        )
        .join('\n      UNION ALL\n      ')}
      UNION ALL
      SELECT min(lease_until) + 1 FROM work_item WHERE lease_owner IS NOT NULL AND lease_until >= $1) AS next`,
  nextRunAtScoped: `SELECT min(t) AS run_at FROM (
      SELECT min(run_at) AS t FROM work_item WHERE lease_owner IS NULL AND run_at > $1 AND ${inScope('$2', '$3')}
      UNION ALL
      SELECT min(lease_until) + 1 FROM work_item
        WHERE lease_owner IS NOT NULL AND lease_until >= $1 AND ${inScope('$2', '$3')}) AS next`,

  appendOutbox: `INSERT INTO outbox (type, payload, create_time)
    SELECT e.type, e.payload, e.create_time FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY
      AS e (type, payload, create_time, ord) ORDER BY e.ord`,
  // Two tables that do not touch each other, so one statement (data-modifying CTE) does both.
  ackAndAppend: `WITH acked AS (DELETE FROM work_item WHERE id = ANY($1::bigint[]) AND ($5::text IS NULL OR lease_owner = $5))
    INSERT INTO outbox (type, payload, create_time)
    SELECT e.type, e.payload, e.create_time FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY
      AS e (type, payload, create_time, ord) ORDER BY e.ord`,
  readOutbox: 'SELECT id, type, payload, create_time FROM outbox WHERE id > $1 ORDER BY id LIMIT $2',
  ...LISTING_SQL,
  ...RELAY_SQL,
  ...METRICS_SQL,
} as const;

export type QueryName = keyof typeof SQL;
