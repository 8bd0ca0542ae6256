import type { Database } from 'better-sqlite3';
import { checkApplied, type Migration } from '../migration.js';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrationResult {
  /** Versions applied by this call, in order (empty when the schema was already current). */
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Brings the schema up to date. Everything runs in one IMMEDIATE transaction, so two processes starting on the same
 * file do not both apply a migration, and a failing migration leaves the schema as it was. A database written by a
 * newer Baton (a version this code does not know) is refused rather than used with the wrong assumptions.
 */
export function migrate(
  db: Database,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER NOT NULL PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
    }[];
    checkApplied(rows, migrations);
    const done = new Set(rows.map((r) => r.version));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
      applied.push(migration.version);
    }
    db.exec('COMMIT');
    return { applied, version: migrations.at(-1)?.version ?? 0 };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
