import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BatonError, IllegalStateError } from '../../model/errors.js';
import type { Clock } from '../../sel/index.js';
import type { Store, StoreTx } from '../port.js';
import { migrate } from './migrate.js';
import { Mutex } from './mutex.js';
import { prepareStatements } from './sql.js';
import { SqliteTx } from './sqlite-tx.js';

export interface SqliteStoreDeps {
  readonly clock: Clock;
}

export interface SqliteStoreOptions {
  /** A file (its parent folders are created) or ':memory:'. */
  readonly path: string;
  /**
   * 'normal' (default): WAL with synchronous=NORMAL. A killed process (kill -9, a crash of Baton) loses nothing that
   * was committed; an OS crash or power cut may lose the last few commits (never corrupts the file). 'full' syncs
   * the WAL on every commit, so a commit survives a power cut too, at the cost of one fsync per transaction.
   */
  readonly durability?: 'normal' | 'full';
  /** How long a transaction waits for another process's write lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

interface ResolvedOptions {
  readonly path: string;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly busyTimeoutMs: number;
}

function resolve(options: SqliteStoreOptions): ResolvedOptions {
  return {
    path: options.path,
    synchronous: options.durability === 'full' ? 'FULL' : 'NORMAL',
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
  };
}

/**
 * The embedded store: one better-sqlite3 connection in WAL mode, schema migrated on open.
 *
 * @example
 *   const store = await openSqliteStore({ clock: { now: Date.now } }, { path: '.baton/baton.db' });
 *   await store.transact(async (tx) => tx.enqueue([item]));
 */
export async function openSqliteStore(deps: SqliteStoreDeps, options: SqliteStoreOptions): Promise<Store> {
  const resolved = resolve(options);
  const memory = resolved.path === ':memory:';
  if (!memory) checkFile(resolved.path);
  let db: Database.Database;
  try {
    db = new Database(resolved.path, { timeout: resolved.busyTimeoutMs });
  } catch (error) {
    throw openFailure(resolved.path, error);
  }
  try {
    if (!memory) await switchToWal(db, resolved.busyTimeoutMs);
    db.pragma(`synchronous = ${resolved.synchronous}`);
    db.pragma('foreign_keys = ON');
    migrate(db, deps.clock.now());
  } catch (error) {
    db.close();
    throw error instanceof BatonError ? error : openFailure(resolved.path, error);
  }
  return createStore(db, deps.clock);
}

/**
 * Puts the file in WAL mode. When two processes open a new file at once, both read it and then ask for the exclusive
 * lock the switch needs; SQLite answers one of them SQLITE_BUSY at once, without waiting (waiting could deadlock), so
 * that one tries again after a short pause, for up to the busy timeout. Seen with two `baton run` on one new file.
 */
async function switchToWal(db: Database.Database, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || performance.now() >= until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

/** The first bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses, before SQLite touches anything, a path that cannot be a database: a folder, a file that is not SQLite
 * (left as it is, byte for byte), or a place where the file cannot be created. Creates missing parent folders.
 */
function checkFile(file: string): void {
  const where = path.resolve(file);
  let stats;
  try {
    stats = statSync(where, { throwIfNoEntry: false });
    if (stats === undefined) mkdirSync(path.dirname(where), { recursive: true });
  } catch (error) {
    throw new IllegalStateError(
      `cannot create the SQLite database ${file}: ${reasonOf(error)}; give a path in a folder you can write to`,
      { cause: error },
    );
  }
  if (stats === undefined) return;
  if (stats.isDirectory())
    throw new IllegalStateError(
      `${file} is a folder, not a SQLite database file; give a file path, e.g. ${path.join(file, 'baton.db')}`,
    );
  if (stats.size === 0) return; // an empty file is an empty database to SQLite
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(where, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch (error) {
    throw new IllegalStateError(`cannot read ${file}: ${reasonOf(error)}`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER))
    throw new IllegalStateError(
      `${file} is not a SQLite database (it was left as it is); give a new file or a Baton database`,
    );
}

/** An error of SQLite opening a file, as one line that says what to do. */
function openFailure(file: string, error: unknown): IllegalStateError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const what =
    code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
      ? `${file} is not a SQLite database or is damaged (${message}); give a new file or restore it from a backup`
      : code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM'
        ? `cannot open ${file} for writing (${message}); give a path you can write to`
        : `cannot open the SQLite database ${file}: ${message}`;
  return new IllegalStateError(what, { cause: error });
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way of a folder on that path';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function createStore(db: Database.Database, clock: Clock): Store {
  const stmts = prepareStatements(db);
  const mutex = new Mutex();
  // A transact call from inside `fn` would wait for its own lock forever. Detecting it needs AsyncLocalStorage,
  // whose promise hooks put a cost on every promise the engine makes, so it is
  // not detected: the port's contract says to use the tx you were given.
  const listeners = new Set<() => void>();
  let closed = false;

  async function transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const wait = mutex.acquire();
    if (wait) await wait;
    try {
      if (closed) throw new IllegalStateError('the store is closed');
      const tx = new SqliteTx({ stmts, clock, workAdded: false });
      stmts.begin.run();
      try {
        const result = await fn(tx);
        stmts.commit.run();
        tx.end();
        // Listeners run after this commit is visible, never inside the caller's transaction, each in its own
        // microtask so one that throws does not starve the others.
        if (tx.workAdded) for (const listener of listeners) queueMicrotask(listener);
        return result;
      } catch (error) {
        tx.end();
        // A failed COMMIT (or an error SQLite already rolled back, such as SQLITE_FULL) may leave no transaction.
        if (db.inTransaction) stmts.rollback.run();
        throw error;
      }
    } finally {
      mutex.release();
    }
  }

  return {
    transact,
    onWork(listener) {
      // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
      const entry = (): void => listener();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    async close() {
      const wait = mutex.acquire();
      if (wait) await wait;
      try {
        if (closed) return;
        closed = true;
        listeners.clear();
        db.close();
      } finally {
        mutex.release();
      }
    },
  };
}
