import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { IllegalStateError, ValidationError } from '../../model/errors.js';
import type { Clock } from '../../sel/index.js';
import type { Store, StoreTx } from '../port.js';
import { isConnectionError, isSerializationFailure, openRefusal } from './errors.js';
import { isCreateRace, migrate } from './migrate.js';
import { PgTx } from './pg-tx.js';

export interface PostgresStoreDeps {
  readonly clock: Clock;
}

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database` (CockroachDB: `postgresql://root@host:26257/db?sslmode=disable`). */
  readonly url: string;
  /** A schema of its own (created when missing); default: the connection's search_path (normally `public`). */
  readonly schema?: string;
  /** Connections this process opens at most. */
  readonly poolSize?: number;
  /** Wake-ups sent to other processes are coalesced to at most one per this many milliseconds. */
  readonly notifyIntervalMs?: number;
  /** How long a transaction keeps retrying while the server cannot be reached, before it gives up. */
  readonly reconnectForMs?: number;
  /** Listen for other processes' wake-ups (LISTEN/NOTIFY); off for CockroachDB, which polls instead. */
  readonly listen?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_SERIALIZATION_RETRIES = 30;

/** BIGINT columns hold epoch milliseconds and ids, all below 2^53: read them as numbers, not strings. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/**
 * The PostgreSQL (and CockroachDB) store: a connection pool, the schema migrated on open, transactions retried on
 * serialization failures and on connections lost before commit, and wake-ups across processes by LISTEN/NOTIFY
 * (coalesced; polling remains the fallback, so a lost notification only delays work).
 *
 * @example
 *   const store = await openPostgresStore({ clock: systemClock }, { url: 'postgres://postgres@127.0.0.1/baton' });
 */
export async function openPostgresStore(
  deps: PostgresStoreDeps,
  options: PostgresStoreOptions,
): Promise<Store> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    const message = `schema '${options.schema}' is not a plain lower-case SQL name (a-z, 0-9, _; at most 63)`;
    throw new ValidationError(message, [{ code: 'invalid_schema', path: ['schema'], message }]);
  }
  const config: pg.PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: 'baton',
    types,
    // Statements issued before the previous one's answer go out at once (pg's pipeline mode): a transaction's BEGIN
    // rides with its first statement, and independent statements of one transaction share a round trip. The server
    // still runs them one after another, in the order issued; awaiting each one, as most code does, is as before.
    pipeline: true,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  };
  const refused = (error: unknown): unknown => {
    const why = openRefusal(error, options.url);
    return why === undefined ? error : new IllegalStateError(why, { cause: error });
  };
  if (options.schema !== undefined)
    await createSchema(options.url, options.schema).catch((e: unknown) => {
      throw refused(e);
    });
  const pool = new pg.Pool(config);
  // An idle connection dropped by the server (a restart) must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, deps.clock.now());
  } catch (error) {
    await pool.end();
    throw refused(error);
  }
  return createStore(pool, config, deps.clock, options);
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
  } catch (error) {
    if (!isCreateRace(error)) throw error; // else created by a concurrent process
  } finally {
    await client.end();
  }
}

function createStore(
  pool: pg.Pool,
  config: pg.PoolConfig,
  clock: Clock,
  options: PostgresStoreOptions,
): Store {
  const self = randomUUID();
  const channel = `baton_work${options.schema === undefined ? '' : `_${options.schema}`}`;
  const notifyIntervalMs = options.notifyIntervalMs ?? 10;
  const reconnectForMs = options.reconnectForMs ?? 120_000;
  const listeners = new Set<() => void>();
  let closed = false;

  const wakeLocal = (): void => {
    for (const listener of listeners) queueMicrotask(listener);
  };

  // -- NOTIFY, coalesced: a NOTIFY serializes commits cluster-wide, so it never rides inside a transaction, and a
  // process sends at most one per interval however many transactions add work.
  let lastNotify = 0;
  let notifyTimer: NodeJS.Timeout | undefined;
  const sendNotify = (): void => {
    notifyTimer = undefined;
    lastNotify = Date.now();
    pool.query('SELECT pg_notify($1, $2)', [channel, self]).catch(() => undefined);
  };
  const notifyOthers = (): void => {
    // Without listeners (CockroachDB has no LISTEN/NOTIFY) every process polls instead.
    if (notifyTimer !== undefined || closed || options.listen === false) return;
    const wait = lastNotify + notifyIntervalMs - Date.now();
    if (wait <= 0) sendNotify();
    else notifyTimer = setTimeout(sendNotify, wait);
  };

  // -- LISTEN on a connection of its own, reconnecting after a drop (and waking listeners then: notifications sent
  // while it was down are lost).
  let listener: pg.Client | undefined;
  let listenedBefore = false;
  let listenRetry: NodeJS.Timeout | undefined;
  const listenAgainSoon = (): void => {
    if (closed || listenRetry !== undefined) return;
    listenRetry = setTimeout(() => {
      listenRetry = undefined;
      void listen();
    }, 1000);
  };
  const listen = async (): Promise<void> => {
    if (closed) return;
    const client = new pg.Client({ ...config });
    client.on('notification', (message) => {
      if (message.payload !== self) wakeLocal();
    });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (listener === client) {
        listener = undefined;
        listenAgainSoon();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      if (closed) return void (await client.end());
      listener = client;
      if (listenedBefore) wakeLocal();
      listenedBefore = true;
    } catch {
      // the server is away (a restart): try again in a second, until it answers or the store closes
      await client.end().catch(() => undefined);
      listenAgainSoon();
    }
  };
  if (options.listen !== false) void listen();

  async function transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const started = Date.now();
    let serializationRetries = 0;
    let backoff = 50;
    for (;;) {
      if (closed) throw new IllegalStateError('the store is closed');
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        if (isConnectionError(error) && Date.now() - started < reconnectForMs && !closed) {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 2000);
          continue;
        }
        throw error;
      }
      // A checked-out client has no error listener of the pool's: a connection dropped between two statements
      // would otherwise be an unhandled 'error' event, which ends the process. The failing query reports it.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      const tx = new PgTx(client, clock);
      let committing = false;
      try {
        // Not awaited: BEGIN goes out with the first statement. If it fails, so does every statement behind it,
        // and that failure is the one handled below.
        const begun = client.query('BEGIN');
        begun.catch(() => undefined);
        const result = await fn(tx);
        await begun;
        if (tx.failure !== undefined) throw tx.failure; // a statement nobody awaited failed: nothing to commit
        committing = true;
        const committed = await client.query('COMMIT');
        // The server answers ROLLBACK when a statement still in flight as `fn` returned had failed.
        if (committed.command === 'ROLLBACK')
          throw tx.failure ?? new Error('the transaction was rolled back');
        tx.end();
        client.off('error', ignore);
        client.release();
        if (tx.workAdded) {
          wakeLocal();
          notifyOthers();
        }
        return result;
      } catch (error) {
        tx.end();
        const broken = isConnectionError(error);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        client.off('error', ignore);
        client.release(broken ? toError(error) : undefined);
        if (isSerializationFailure(error) && serializationRetries < MAX_SERIALIZATION_RETRIES) {
          serializationRetries += 1;
          await sleep(Math.random() * 10 * serializationRetries);
          continue;
        }
        // Lost before COMMIT was sent: nothing was written, so the transaction runs again on a new connection.
        // Lost during COMMIT: whether it landed is unknown, so the caller decides.
        if (broken && !committing && Date.now() - started < reconnectForMs && !closed) {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 2000);
          continue;
        }
        throw error;
      }
    }
  }

  return {
    transact,
    onWork(fn) {
      const entry = (): void => fn();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      if (notifyTimer !== undefined) clearTimeout(notifyTimer);
      if (listenRetry !== undefined) clearTimeout(listenRetry);
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
