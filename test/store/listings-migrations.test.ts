// The listings per adapter: databases that already hold runs and workflows get their latest runs marked and their
// properties as snapshot 1 by the migration (SQLite 5, PostgreSQL 8), and every listing query reads an index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { SQL as PG_SQL } from '../../src/store/postgres/sql.js';
import { definitionToText } from '../../src/store/records.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { LISTING_SQL as SQLITE_LISTING_SQL } from '../../src/store/sqlite/sql-listings.js';
import { dropSchema, freshSchema, hasPg, pgTestUrl } from '../support/postgres.js';
import { conformanceClock } from './conformance.js';
import { simpleDefinition } from './fixtures.js';

/** Runs as an older Baton left them: instance 1 restarted (run 2 the latest), instance 2 running. */
const OLD_RUNS = [
  [1, 1, 'FAILED'],
  [1, 2, 'SUCCEEDED'],
  [2, 1, 'IN_PROGRESS'],
] as const;
const INSERT_WORKFLOW = `INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties,
  latest_instance_id, create_time, modify_time) VALUES ('wf', 1, 1, '{"owner":"alice","description":"old"}', 2, 5, 7)`;
const INSERT_VERSION = `INSERT INTO workflow_version (workflow_id, version_id, definition, properties, author, create_time)
  VALUES ('wf', 1, $1, '{"owner":"alice"}', 'bob', 5)`;
const INSERT_RUN = `INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id,
  initiator, state, version, create_time, modify_time) VALUES ('wf', $1, $2, 1, $3, $4, 'c', '{}', '{}', 1, 0, 0)`;

/** What the migration must have carried over, read through the port; then a restart moves the mark on. */
async function checkCarriedOver(store: Store): Promise<void> {
  await store.transact(async (tx) => {
    const page = await tx.listInstances('wf', { first: 10 });
    expect(page.rows.map((r) => `${r.instance_id}/${r.run_id}:${r.status}`)).toEqual([
      '2/1:IN_PROGRESS',
      '1/2:SUCCEEDED',
    ]);
    expect(await tx.countInstancesByStatus('wf')).toEqual({ IN_PROGRESS: 1, SUCCEEDED: 1 });
    expect(await tx.getPropertiesSnapshot('wf', 'latest')).toMatchObject({
      snapshot_id: 1,
      properties: { owner: { name: 'alice' }, description: 'old' },
      author: 'bob',
      create_time: 7,
    });
    await tx.insertRun({
      workflow_id: 'wf',
      instance_id: 1,
      run_id: 3,
      version_id: 1,
      request_id: 'restart',
      status: 'CREATED',
      correlation_id: 'c',
      initiator: {},
      state: {},
      create_time: 9,
    });
    expect(await tx.countInstancesByStatus('wf')).toEqual({ IN_PROGRESS: 1, CREATED: 1 });
  });
}

const pgPositional = (sql: string): string => sql.replace(/\$(\d)/g, '?');

describe('sqlite: listings on a database from before migration 5', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-listings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the latest run of each instance and keeps the properties as snapshot 1', async () => {
    const file = path.join(dir, 'old.db');
    const db = new Database(file);
    migrate(
      db,
      0,
      SQLITE_MIGRATIONS.filter((m) => m.version < 5),
    );
    db.prepare(INSERT_WORKFLOW).run();
    db.prepare(pgPositional(INSERT_VERSION)).run(definitionToText(simpleDefinition('wf')));
    for (const [i, r, status] of OLD_RUNS)
      db.prepare(pgPositional(INSERT_RUN)).run(i, r, `r${i}-${r}`, status);
    db.close();
    const store = await openSqliteStore({ clock: conformanceClock }, { path: file });
    try {
      await checkCarriedOver(store);
    } finally {
      await store.close();
    }
  });

  it('reads an index for every listing (no table scan, no sort of what it reads)', async () => {
    const store = await openSqliteStore({ clock: conformanceClock }, { path: path.join(dir, 'plans.db') });
    await store.close();
    const db = new Database(path.join(dir, 'plans.db'));
    try {
      const listings = Object.entries(SQLITE_LISTING_SQL).filter(([name]) => /^(list|count|find)/.test(name));
      expect(listings.length).toBeGreaterThanOrEqual(13);
      for (const [name, sql] of listings) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...planParams(sql)) as { detail: string }[])
          .map((row) => row.detail)
          .join('\n');
        expect(plan, name).not.toMatch(/^SCAN \w+$/m);
        expect(plan, name).not.toMatch(/TEMP B-TREE/);
      }
    } finally {
      db.close();
    }
  });
});

/** Placeholder values for a statement's plan: named ones as an object, positional ones as a list. */
function planParams(sql: string): unknown[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
  if (named.length > 0) return [Object.fromEntries(named.map((n) => [n, n === 'step' ? null : 1]))];
  return [...sql.matchAll(/\?/g)].map(() => 1);
}

describe.skipIf(!hasPg)('postgres: listings', () => {
  it('marks runs and writes snapshots stored before migration 7 (migration 8)', async () => {
    const schema = freshSchema();
    const url = pgTestUrl!;
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    try {
      await (await openPostgresStore({ clock: conformanceClock }, { url, schema })).close();
      await client.connect();
      await client.query(INSERT_WORKFLOW);
      await client.query(INSERT_VERSION, [definitionToText(simpleDefinition('wf'))]);
      for (const [i, r, status] of OLD_RUNS) await client.query(INSERT_RUN, [i, r, `r${i}-${r}`, status]);
      // as an older Baton left them: no marks (the column's default), no snapshots; then migration 8 runs on them
      await client.query("DELETE FROM schema_migrations WHERE name = '0008-listings-backfill'");
      const store = await openPostgresStore({ clock: conformanceClock }, { url, schema });
      try {
        await checkCarriedOver(store);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });

  it('reads an index for every listing on tables of thousands of rows', async () => {
    const schema = freshSchema();
    const url = pgTestUrl!;
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    try {
      await (await openPostgresStore({ clock: conformanceClock }, { url, schema })).close();
      await client.connect();
      await client.query(FILL);
      await client.query('VACUUM ANALYZE'); // as autovacuum leaves a table: index-only scans pay off
      const all = ['CREATED', 'IN_PROGRESS', 'PAUSED', 'SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT'];
      const plans: [keyof typeof PG_SQL, unknown[], RegExp][] = [
        ['listWorkflowsAfter', ['w1000', 21], /workflow_pkey/],
        ['listWorkflowsBefore', ['w1000', 21], /workflow_pkey/],
        ['listWorkflowsLast', [21], /workflow_pkey/],
        ['listVersionsDown', ['wf', 2500, 21], /workflow_version_pkey/],
        ['listVersionsUp', ['wf', 500, 21], /workflow_version_pkey/],
        ['listLatestDown', ['wf', all, 2500, 21], /run_latest/],
        ['listLatestUp', ['wf', ['FAILED'], 500, 21], /run_latest/],
        ['countLatest', ['wf'], /run_latest/],
        ['listRunsUp', ['wf', 7, 0, 21], /run_pkey/],
        ['listRunsDown', ['wf', 7, 99, 21], /run_pkey/],
        ['listTagPermits', ['t1000', 21], /tag_permit_pkey/],
        ['findBreakpoints', ['w1', 's', -1, -1, -1, null, 21], /breakpoint_pkey/],
        ['findBreakpointsOfWorkflow', ['w1', 's', -1, -1, -1, null, 21], /breakpoint_pkey/],
      ];
      for (const [name, values, index] of plans) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>({
          text: `EXPLAIN ${PG_SQL[name]}`,
          values,
        });
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan, `${name}:\n${plan}`).toMatch(index);
        expect(plan, `${name}:\n${plan}`).not.toMatch(
          /Seq Scan on (run|workflow|workflow_version|tag_permit|breakpoint)\b/,
        );
      }
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });
});

/**
 * 3,000 workflows; 'wf' with 3,000 versions and 3,000 instances (every third restarted once) among 30,000 runs of
 * other workflows; 3,000 tag permits and breakpoints.
 */
const FILL = `
INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
  SELECT 'w' || g, 1, 1, '{}', 0, 0, 0 FROM generate_series(1, 3000) AS g;
INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
  VALUES ('wf', 3000, 3000, '{}', 3000, 0, 0);
INSERT INTO workflow_version (workflow_id, version_id, definition, properties, author, create_time)
  SELECT 'wf', g, '{}', '{}', 'a', 0 FROM generate_series(1, 3000) AS g;
INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state,
    version, create_time, modify_time, latest)
  SELECT 'wf', g, r, 1, g || '-' || r, (ARRAY['CREATED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'STOPPED'])[1 + g % 5],
    'c', '{}', '{}', 1, 0, 0, r = CASE WHEN g % 3 = 0 THEN 2 ELSE 1 END
  FROM generate_series(1, 3000) AS g, generate_series(1, 2) AS r WHERE r = 1 OR g % 3 = 0;
INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state,
    version, create_time, modify_time, latest)
  SELECT 'w' || (g % 30), g, 1, 1, 'o' || g, 'SUCCEEDED', 'c', '{}', '{}', 1, 0, 0, true
  FROM generate_series(1, 30000) AS g;
INSERT INTO tag_permit (tag, max_allowed) SELECT 't' || g, 1 FROM generate_series(1, 3000) AS g;
INSERT INTO breakpoint (workflow_id, step_id, instance_id, run_id, attempt)
  SELECT 'w' || (g % 100), 's' || (g % 7), g, 0, 0 FROM generate_series(1, 3000) AS g;
`;
