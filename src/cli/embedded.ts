import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../engine/clock.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { createEngineEvaluator } from '../engine/param-evaluator.js';
import { createStepRuntimes } from '../steps/registry.js';
import { openSqliteStore } from '../store/sqlite/index.js';

export interface EmbeddedOptions {
  /** A database file; a fresh temporary one (removed on close) when absent. */
  readonly db?: string;
  readonly timeScale?: number;
  readonly workers?: number;
  readonly leaseMs?: number;
}

export interface Embedded {
  readonly engine: Engine;
  readonly logDir: string;
  close(): Promise<void>;
}

/** The embedded composition: SQLite store, every step runtime, the params evaluator, the system clock. */
export async function openEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const temp = options.db === undefined ? mkdtempSync(path.join(tmpdir(), 'baton-run-')) : undefined;
  const dbPath = options.db ?? path.join(temp!, 'baton.db');
  const logDir = path.join(path.dirname(path.resolve(dbPath)), 'logs');
  const store = await openSqliteStore({ clock: systemClock }, { path: dbPath });
  const engine = createEngine(
    {
      store,
      clock: systemClock,
      runtimes: createStepRuntimes({ env: process.env }),
      evaluator: createEngineEvaluator(),
    },
    {
      logDir,
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    },
  );
  return {
    engine,
    logDir,
    async close() {
      await engine.stop();
      await store.close();
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}
