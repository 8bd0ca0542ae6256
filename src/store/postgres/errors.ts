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
