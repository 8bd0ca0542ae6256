/**
 * Which PostgreSQL / CockroachDB errors a transaction may simply be run again after. Serialization failures and
 * deadlocks roll the whole transaction back, so running it again is safe; a dropped connection is safe to retry only
 * when it happened before COMMIT was sent (after that, whether the commit landed is unknown).
 */
const RETRY_CODES = new Set([
  '40001', // serialization_failure (CockroachDB's restart errors too)
  '40P01', // deadlock_detected
]);

const CONNECTION_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

export function isSerializationFailure(error: unknown): boolean {
  const code = (error as PgLikeError | undefined)?.code;
  return typeof code === 'string' && RETRY_CODES.has(code);
}

/** The connection to the server failed or was closed under the query. */
export function isConnectionError(error: unknown): boolean {
  const e = error as PgLikeError | undefined;
  if (typeof e?.code === 'string' && (CONNECTION_CODES.has(e.code) || CONNECTION_ERRNOS.has(e.code)))
    return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    message,
  );
}

/**
 * A server's refusal to open a store, as one line that says what is wrong and what to do (a database or role that
 * does not exist, a wrong password, no right to create the schema), or undefined for any other error. `url` names
 * the database (its password is never shown).
 */
export function openRefusal(error: unknown, url: string): string | undefined {
  const e = error as PgLikeError | undefined;
  if (typeof e?.code !== 'string') return undefined;
  const target = describeUrl(url);
  const said = typeof e.message === 'string' ? e.message : '';
  // Names left out of the URL are filled in by the driver (from PGUSER, PGDATABASE, the OS user): the server's
  // message names them as it saw them.
  const database = /database "([^"]+)"/.exec(said)?.[1] ?? target.database ?? '';
  const user = /(?:role|user) "([^"]+)"/.exec(said)?.[1] ?? target.user ?? '';
  switch (e.code) {
    case '3D000': // invalid_catalog_name
      return `database "${database}" does not exist on ${target.server}; create it (createdb -h ${target.host} -p ${target.port} ${database}) or name another in the URL`;
    case '28000': // invalid_authorization_specification: no such role, or no pg_hba.conf entry
      return `${target.server} refused user "${user}": ${said}; create the role or name another user in the URL`;
    case '28P01': // invalid_password
      return `${target.server} refused the password of user "${user}"; fix the password in the URL`;
    case '42501': // insufficient_privilege
      return `user "${user}" may not set up Baton's tables on ${target.server} (${said}); grant it CREATE on database "${database}" or use a role that has it`;
    default:
      return undefined;
  }
}

function describeUrl(url: string): {
  host: string;
  port: string;
  database?: string;
  user?: string;
  server: string;
} {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const host = parsed?.hostname || 'localhost';
  const port = parsed?.port || '5432';
  const database = decodeURIComponent(parsed?.pathname.slice(1) ?? '');
  const user = decodeURIComponent(parsed?.username ?? '');
  return {
    host,
    port,
    ...(database === '' ? {} : { database }),
    ...(user === '' ? {} : { user }),
    server: `PostgreSQL at ${host}:${port}`,
  };
}
