import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Clock } from '../../src/sel/index.js';
import type { Store } from '../../src/store/port.js';
import { openPostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/index.js';
import { pollUntil } from './deadline.js';

/**
 * The PostgreSQL the suites run against: `BATON_TEST_PG_URL` (`.ci/run` sets it). Without it the PostgreSQL suites
 * skip with `PG_SKIP_REASON`.
 */
export const pgTestUrl: string | undefined = process.env['BATON_TEST_PG_URL'] || undefined;
export const hasPg = pgTestUrl !== undefined;
export const PG_SKIP_REASON =
  'PostgreSQL suites skipped: to include them, give them a database of their own in BATON_TEST_PG_URL, e.g. ' +
  '`createdb -h 127.0.0.1 -U postgres baton_test` and BATON_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/baton_test ' +
  '(.ci/run does)';

/** The line a test run prints once when it leaves the PostgreSQL suites out; undefined when it runs them. */
export function pgSuitesNotice(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env['BATON_TEST_PG_URL'] ? undefined : PG_SKIP_REASON;
}

/** A schema name no other test uses. */
export function freshSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgTestUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A new, empty store in a schema of its own, dropped when the store is closed. */
export async function openTestPgStore(
  clock: Clock,
  options: Partial<PostgresStoreOptions> = {},
): Promise<Store & { readonly schema: string }> {
  if (!pgTestUrl) throw new Error(PG_SKIP_REASON);
  const schema = options.schema ?? freshSchema();
  const store = await openPostgresStore({ clock }, { url: pgTestUrl, schema, poolSize: 4, ...options });
  return {
    schema,
    transact: (fn) => store.transact(fn),
    onWork: (listener) => store.onWork(listener),
    async close() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** A `--db` URL for the CLI that keeps Baton's tables in `schema` (created on first use). */
export function pgSchemaUrl(schema: string): string {
  const url = new URL(pgTestUrl!);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/**
 * The stores a suite runs on, as `--db` arguments: the default (a temporary SQLite file) and, when PostgreSQL is
 * configured, a schema of its own there (dropped by `dropDbSchemas`).
 */
export function cliDatabases(prefix: string): { name: string; args: string[]; schema?: string }[] {
  const out: { name: string; args: string[]; schema?: string }[] = [{ name: 'sqlite', args: [] }];
  if (hasPg) {
    const schema = freshSchema(prefix);
    out.push({ name: 'postgres', args: ['--db', pgSchemaUrl(schema)], schema });
  }
  return out;
}

export async function dropDbSchemas(dbs: readonly { schema?: string }[]): Promise<void> {
  for (const db of dbs) if (db.schema !== undefined) await dropSchema(db.schema);
}

/**
 * Backends that wait for a lock held by another backend, where both hold locks on tables of `schema` in this
 * database: a transaction of that schema's store really blocked by another one (not merely slow).
 */
const BLOCKED_IN_SCHEMA = `
  WITH here AS (
    SELECT l.pid FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND n.nspname = $1
  )
  SELECT count(DISTINCT a.pid)::int AS blocked FROM pg_stat_activity a
  WHERE a.wait_event_type = 'Lock' AND a.pid IN (SELECT pid FROM here)
    AND pg_blocking_pids(a.pid) && ARRAY(SELECT pid FROM here)`;

/**
 * Waits until a transaction of the store in `schema` waits for a lock another of its transactions holds; fails
 * saying `what` if that is not seen within `ms` (the transaction never blocked). Polls the server's lock table: the
 * store offers no way to see its transactions wait.
 */
export async function untilBlocked(schema: string, what: string, ms = 10_000): Promise<void> {
  const client = new pg.Client({ connectionString: pgTestUrl });
  await client.connect();
  try {
    await pollUntil(
      async () => (await client.query<{ blocked: number }>(BLOCKED_IN_SCHEMA, [schema])).rows[0]!.blocked > 0,
      what,
      { ms },
    );
  } finally {
    await client.end();
  }
}
