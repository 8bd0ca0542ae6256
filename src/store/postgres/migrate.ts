import type { Pool, PoolClient } from 'pg';
import { checkApplied, type Migration } from '../migration.js';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrationResult {
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Brings the schema up to date. Each migration runs in its own transaction together with the row that records it;
 * that row's primary key is the lock: a second process starting at the same moment blocks on it, then finds the
 * migration done and skips it. No advisory locks (CockroachDB has none). A schema newer than this code is refused.
 */
export async function migrate(
  pool: Pool,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await retryOnce(() =>
      client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER NOT NULL PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at BIGINT  NOT NULL
      )`),
    );
    const { rows } = await client.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    checkApplied(rows, migrations);
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      if (await apply(client, migration, now)) applied.push(migration.version);
    }
    return { applied, version: migrations.at(-1)?.version ?? 0 };
  } finally {
    client.release();
  }
}

/** Applies one migration unless another process got there first; true when this call applied it. */
async function apply(client: PoolClient, migration: Migration, now: number): Promise<boolean> {
  await client.query('BEGIN');
  try {
    const claimed = await client.query(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING',
      [migration.version, migration.name, now],
    );
    if (claimed.rowCount === 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(migration.sql);
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * `CREATE ... IF NOT EXISTS` run by two sessions at the same instant can still fail, on a catalog unique index or
 * as "already exists"; the second try then finds the object there.
 */
async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isCreateRace(error)) throw error;
    return fn();
  }
}

/** unique_violation, duplicate_object, duplicate_table, duplicate_schema */
const CREATE_RACE_CODES = new Set(['23505', '42710', '42P07', '42P06']);

export function isCreateRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CREATE_RACE_CODES.has(code);
}
