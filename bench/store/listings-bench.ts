/**
 * What the API's instance listing and overview cost on a workflow with 100,000 runs (70,000 instances, 30,000 of them
 * restarted once; 1% of latest runs FAILED, the rest SUCCEEDED), on both adapters: the first page of 20 instances, a
 * page deep in the history, the FAILED ones, a status no instance is in, the last page, and the counts by status. For
 * PostgreSQL, the same filtered pages and counts by a DISTINCT ON over all runs (what they would cost without the
 * latest-run mark), for comparison. Median of 50 calls each, in one transaction per call.
 *
 * Run: `npx tsx bench/store/listings-bench.ts` (BATON_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * a schema of its own is created there and dropped afterwards; without a server, SQLite only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { systemClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';

const URL_ = process.env.BATON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSTANCES = 70_000;
const ROUNDS = 50;

// Run rows: instance g has run 1, and run 2 when g % 7 < 3 (30,000 restarts); the latest is FAILED when g % 100 = 0.
const FILL_PG = `
INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
  VALUES ('wf', 1, 1, '{}', ${INSTANCES}, 0, 0);
INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state,
    version, create_time, modify_time, latest)
  SELECT 'wf', g, r, 1, g || '-' || r,
    CASE WHEN r = 1 AND g % 7 < 3 THEN 'FAILED' WHEN g % 100 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
    'c', '{}', '{"params":{}}', 1, 0, 0, r = CASE WHEN g % 7 < 3 THEN 2 ELSE 1 END
  FROM generate_series(1, ${INSTANCES}) AS g, generate_series(1, 2) AS r WHERE r = 1 OR g % 7 < 3;
`;
const FILL_SQLITE = `
INSERT INTO workflow (workflow_id, latest_version_id, active_version_id, properties, latest_instance_id, create_time, modify_time)
  VALUES ('wf', 1, 1, '{}', ${INSTANCES}, 0, 0);
WITH RECURSIVE i (g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM i WHERE g < ${INSTANCES}),
  n (r) AS (VALUES (1), (2))
INSERT INTO run (workflow_id, instance_id, run_id, version_id, request_id, status, correlation_id, initiator, state,
    version, create_time, modify_time, latest)
  SELECT 'wf', g, r, 1, g || '-' || r,
    CASE WHEN r = 1 AND g % 7 < 3 THEN 'FAILED' WHEN g % 100 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
    'c', '{}', '{"params":{}}', 1, 0, 0, r = CASE WHEN g % 7 < 3 THEN 2 ELSE 1 END
  FROM i, n WHERE r = 1 OR g % 7 < 3;
`;

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)]!;
}

async function measure(
  name: string,
  store: Store,
  extra: Record<string, () => Promise<unknown>> = {},
): Promise<void> {
  const cases: Record<string, () => Promise<unknown>> = {
    'first page (20)': () => store.transact((tx) => tx.listInstances('wf', { first: 20 })),
    'page after instance 1,000': () =>
      store.transact((tx) => tx.listInstances('wf', { first: 20, after: 1000 })),
    'FAILED, first page': () => store.transact((tx) => tx.listInstances('wf', { first: 20 }, ['FAILED'])),
    'PAUSED (none), first page': () =>
      store.transact((tx) => tx.listInstances('wf', { first: 20 }, ['PAUSED'])),
    'last page': () => store.transact((tx) => tx.listInstances('wf', { last: 20 })),
    'counts by status': () => store.transact((tx) => tx.countInstancesByStatus('wf')),
    ...extra,
  };
  const check = await store.transact((tx) => tx.countInstancesByStatus('wf'));
  console.log(`${name}: ${JSON.stringify(check)}`);
  for (const [label, fn] of Object.entries(cases))
    console.log(`  ${label.padEnd(40)} ${(await median(fn)).toFixed(2)} ms`);
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-listings-bench-'));
  try {
    const file = path.join(dir, 'bench.db');
    await (await openSqliteStore({ clock: systemClock }, { path: file })).close();
    const db = new Database(file);
    db.exec(FILL_SQLITE);
    db.exec('ANALYZE');
    db.close();
    const store = await openSqliteStore({ clock: systemClock }, { path: file });
    try {
      await measure('sqlite', store);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const schema = `bench_listings_${process.pid}`;
  const admin = new pg.Client({ connectionString: URL_ });
  try {
    await admin.connect();
  } catch {
    console.log(`postgres: no server at ${URL_}, skipped`);
    return;
  }
  const store = await openPostgresStore({ clock: systemClock }, { url: URL_, schema });
  try {
    await admin.query(`SET search_path = ${schema}`);
    await admin.query(FILL_PG);
    await admin.query('VACUUM ANALYZE run');
    const latest = `SELECT DISTINCT ON (instance_id) instance_id, run_id, status FROM run
      WHERE workflow_id = 'wf' ORDER BY instance_id DESC, run_id DESC`;
    await measure('postgres', store, {
      'without the mark: FAILED by DISTINCT ON': () =>
        admin.query(`SELECT * FROM (${latest}) AS l WHERE status = 'FAILED' LIMIT 20`),
      'without the mark: PAUSED by DISTINCT ON': () =>
        admin.query(`SELECT * FROM (${latest}) AS l WHERE status = 'PAUSED' LIMIT 20`),
      'without the mark: counts by DISTINCT ON': () =>
        admin.query(`SELECT status, count(*) FROM (${latest}) AS l GROUP BY status`),
    });
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

await sqlite();
await postgres();
