import { ValidationError } from '../model/errors.js';
import type { Clock } from '../sel/index.js';
import type { Store } from '../store/port.js';
import { openPostgresStore } from '../store/postgres/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';

/** True when `--db` names a PostgreSQL / CockroachDB server rather than a SQLite file. */
export function isDatabaseUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** True when `--db` is a URL of any scheme (`postgres://`, or one Baton refuses), not a file path. */
export function hasUrlScheme(db: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(db);
}

/**
 * Opens the store a `--db` value names: a `postgres://` / `postgresql://` URL (PostgreSQL or CockroachDB; an extra
 * `schema=NAME` query parameter keeps Baton's tables in a schema of their own), or else a SQLite file.
 *
 * @example
 *   await openStoreFor('postgres://baton@db.internal:5432/baton?schema=prod', { clock });
 */
export async function openStoreFor(db: string, deps: { clock: Clock }): Promise<Store> {
  if (hasUrlScheme(db) && !isDatabaseUrl(db)) {
    const scheme = db.slice(0, db.indexOf(':'));
    const message = `--db '${redact(db)}': Baton does not support ${scheme}:// databases; give a SQLite file path, or a postgres:// or postgresql:// URL (PostgreSQL, CockroachDB)`;
    throw new ValidationError(message, [{ code: 'unsupported_db_scheme', path: ['db'], message }]);
  }
  if (!isDatabaseUrl(db)) return openSqliteStore(deps, { path: db });
  let url: URL;
  try {
    url = new URL(db);
  } catch (error) {
    const message = `--db '${redact(db)}' is not a valid database URL`;
    throw new ValidationError(message, [{ code: 'invalid_db_url', path: ['db'], message }], { cause: error });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  // CockroachDB has no LISTEN: there the processes find each other's work by polling.
  const listen = url.port !== '26257';
  return openPostgresStore(deps, {
    url: url.toString(),
    listen,
    ...(schema === undefined ? {} : { schema }),
  });
}

/** A database URL fit to print: without its password. */
export function redact(db: string): string {
  return db.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+):[^@]*@/i, '$1:***@');
}
