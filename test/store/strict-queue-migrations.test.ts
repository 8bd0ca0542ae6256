// The STRICT_SEQUENTIAL look-up per adapter: runs unblocked or restarted before the `unblocked` column existed are
// carried over by the migration, and the look-up is served by its partial index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { SQL as PG_SQL } from '../../src/store/postgres/sql.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { dropSchema, freshSchema, hasPg, pgTestUrl } from '../support/postgres.js';
import { conformanceClock } from './conformance.js';
import { newRun } from './fixtures.js';

/** Failed runs as an older Baton left them: instance 1 unblocked, 2 restarted (flags in the state), 3 holding. */
const OLD_RUNS = [
  { instance_id: 1, state: { params: {}, steps: {}, unblocked: true } },
  { instance_id: 2, state: { params: {}, steps: {}, restarted: true } },
  { instance_id: 3, state: { params: {}, steps: {} } },
];

describe('sqlite: STRICT_SEQUENTIAL look-up', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-strict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carries runs unblocked or restarted before migration 3 over from their state', async () => {
    const file = path.join(dir, 'old.db');
    const db = new Database(file);
    const before = SQLITE_MIGRATIONS.filter((m) => m.name !== '0003-run-unblocked');
    migrate(db, 0, before);
    const insert =
      db.prepare(`INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status,
      correlation_id, initiator, state, version, create_time, modify_time)
      VALUES ('wf', ?, 1, 1, ?, 'FAILED', 'c', '{}', ?, 1, 0, 0)`);
    for (const r of OLD_RUNS) insert.run(r.instance_id, `r${r.instance_id}`, JSON.stringify(r.state));
    db.close();

    const store = await openSqliteStore({ clock: conformanceClock }, { path: file });
    try {
      await store.transact(async (tx) => {
        expect(await tx.hasBlockingFailedRun('wf')).toBe(true); // instance 3
        await tx.unblockRun({ workflow_id: 'wf', instance_id: 3, run_id: 1 });
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false); // 1 and 2 were carried over
      });
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!hasPg)('postgres: STRICT_SEQUENTIAL look-up', () => {
  it('carries runs unblocked or restarted before migration 2 over from their state (migration 3)', async () => {
    const schema = freshSchema();
    const url = pgTestUrl!;
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    try {
      await (await openPostgresStore({ clock: conformanceClock }, { url, schema })).close();
      await client.connect();
      // As an older Baton left them: the flags in the state only. Then migration 3 runs (again) on them.
      for (const r of OLD_RUNS) {
        const run = newRun({ instance_id: r.instance_id, status: 'FAILED' });
        await client.query(
          `INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator,
            state, version, create_time, modify_time) VALUES ($1, $2, 1, 1, $3, 'FAILED', 'c', '{}', $4, 1, 0, 0)`,
          [run.workflow_id, r.instance_id, run.request_id, JSON.stringify(r.state)],
        );
      }
      await client.query("DELETE FROM schema_migrations WHERE name = '0003-run-unblocked-backfill'");
      const store = await openPostgresStore({ clock: conformanceClock }, { url, schema });
      try {
        await store.transact(async (tx) => {
          expect(await tx.hasBlockingFailedRun('wf')).toBe(true); // instance 3
          await tx.unblockRun({ workflow_id: 'wf', instance_id: 3, run_id: 1 });
          expect(await tx.hasBlockingFailedRun('wf')).toBe(false); // 1 and 2 were carried over
        });
      } finally {
        await store.close();
      }

      // The look-up can be served by the partial index (the planner is told not to scan, so a tiny table does
      // not hide a predicate that does not match the index's).
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>({
        text: `EXPLAIN ${PG_SQL.hasBlockingFailedRun}`,
        values: ['wf'],
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/run_blocking/);
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });
});
