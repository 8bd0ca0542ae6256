import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../engine/clock.js';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.js';
import { createEngineEvaluator } from '../engine/param-evaluator.js';
import type { SignalAnnouncer } from '../model/signal.js';
import { createStepRuntimes } from '../steps/registry.js';
import { createSignalAnnouncer } from '../signals/announce.js';
import { createTriggerHooks } from '../triggers/trigger-hooks.js';
import type { Store } from '../store/port.js';
import type { CatchUp } from '../triggers/catch-up.js';
import { isDatabaseUrl, openStoreFor, redact } from './open-store.js';

export interface BatonOptions {
  /**
   * A SQLite file, or a `postgres://` URL; a fresh temporary SQLite file when absent (removed on close unless kept,
   * its step logs kept).
   */
  readonly db?: string;
  readonly timeScale?: number;
  readonly workers?: number;
  readonly leaseMs?: number;
  /** Iterations one foreach may have at most (`--max-iterations`; Maestro's 25,000 when unset). */
  readonly loopIterations?: number;
  /** What this process claims from the store (`claimsOf(roles)`); absent: `decide` and `run` (no time triggers). */
  readonly claims?: EngineOptions['claims'];
  /** The clock every part reads (ARCHITECTURE invariant 6); the system clock when absent. */
  readonly clock?: Clock;
  /** The environment step runtimes pass on to steps; `process.env` when absent. */
  readonly env?: NodeJS.ProcessEnv;
  /** Work only for these instances and the ones this process starts (`EngineOptions.scope`); absent: all work. */
  readonly scope?: EngineOptions['scope'];
  /** What a scheduler does with fire times missed while none ran (docs/triggers.md); `latest` when absent. */
  readonly catchUp?: CatchUp;
}

export interface Baton {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: Clock;
  /** The one path by which signals enter: the API, the CLI and the signal sources announce through it. */
  readonly signals: SignalAnnouncer;
  /** The database as it can be printed and given to `--db` again (a URL without its password). */
  readonly db: string;
  /** True when no `--db` was given: the database is a temporary file. */
  readonly temporary: boolean;
  /** Where step logs of this database go (`logDirFor`). */
  readonly logDir: string;
  /** True once some step wrote a log there. */
  hasLogs(): boolean;
  /** Stops the engine and closes the store; a temporary database is removed unless `keepDatabase`. */
  close(options?: { readonly keepDatabase?: boolean }): Promise<void>;
}

/**
 * Where the step logs of a database go, so two databases never share them: `<file>.logs/` beside a SQLite file;
 * for a database server, a folder named after its host, port, database and schema under `BATON_LOG_DIR` (default
 * `.baton/logs`).
 *
 * @example
 *   logDirFor('runs/ci.db'); // <cwd>/runs/ci.db.logs
 *   logDirFor('postgres://baton@db:5432/baton?schema=prod'); // <cwd>/.baton/logs/db-5432-baton-prod
 */
export function logDirFor(db: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!isDatabaseUrl(db)) return `${path.resolve(db)}.logs`;
  const url = new URL(db);
  const parts = [
    url.hostname || 'localhost',
    url.port || '5432',
    decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    url.searchParams.get('schema') ?? 'public',
  ];
  const name = parts.map((p) => p.replace(/[^A-Za-z0-9_.]/g, '_')).join('-');
  return path.resolve(env['BATON_LOG_DIR'] ?? path.join('.baton', 'logs'), name);
}

/**
 * Builds one Baton process, the one place that does (ARCHITECTURE: only the server and the CLI choose adapters):
 * the store `--db` names, every step runtime, the params evaluator, the clock, and step logs kept per database
 * (`logDirFor`). The CLI, the server and end-to-end tests all start here.
 */
export async function openBaton(options: BatonOptions): Promise<Baton> {
  const clock = options.clock ?? systemClock;
  const temp = options.db === undefined ? mkdtempSync(path.join(tmpdir(), 'baton-run-')) : undefined;
  const db = options.db ?? path.join(temp!, 'baton.db');
  let store;
  try {
    store = await openStoreFor(db, { clock });
  } catch (error) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const logDir = logDirFor(db);
  const evaluator = createEngineEvaluator();
  // The time-trigger scheduler starts runs through the engine, which hands it the trigger items it claims: the
  // engine is read when the first item comes, after both exist.
  const triggers = createTriggerHooks({
    store,
    clock,
    evaluator,
    start: (request) => engine.startRun(request),
    owner: () => engine.owner,
    ...(options.catchUp === undefined ? {} : { catchUp: options.catchUp }),
  });
  const engine = createEngine(
    {
      store,
      clock,
      runtimes: createStepRuntimes({ env: options.env ?? process.env }),
      evaluator,
      triggers,
    },
    {
      logDir,
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
      ...(options.loopIterations === undefined ? {} : { loopIterations: options.loopIterations }),
      ...(options.claims === undefined ? {} : { claims: options.claims }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
    },
  );
  // The one announcer of this process: the API, the signal sources and the CLI hand their signals to it.
  const signals: SignalAnnouncer = createSignalAnnouncer({ store, clock });
  const hasLogs = (): boolean => existsSync(logDir) && readdirSync(logDir).length > 0;
  return {
    engine,
    store,
    clock,
    signals,
    db: isDatabaseUrl(db) ? redact(db) : db,
    temporary: temp !== undefined,
    logDir,
    hasLogs,
    async close(closeOptions = {}) {
      await triggers.stop();
      await engine.stop();
      await store.close();
      if (!temp || closeOptions.keepDatabase) return;
      // The temporary database goes; its step logs stay (their folder is printed), unless there are none.
      if (hasLogs()) for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
      else rmSync(temp, { recursive: true, force: true });
    },
  };
}
