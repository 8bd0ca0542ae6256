import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../engine/clock.js';
import { createEngine, type Engine, type EngineOptions } from '../engine/engine.js';
import { createEngineEvaluator } from '../engine/param-evaluator.js';
import { createStepRuntimes } from '../steps/registry.js';
import { isDatabaseUrl, openStoreFor } from './open-store.js';

export interface EmbeddedOptions {
  /**
   * A SQLite file, or a `postgres://` URL; a fresh temporary SQLite file (removed on close) when absent.
   */
  readonly db?: string;
  readonly timeScale?: number;
  readonly workers?: number;
  readonly leaseMs?: number;
  readonly claims?: EngineOptions['claims'];
  /** Work only for these instances and the ones this process starts (`EngineOptions.scope`); absent: all work. */
  readonly scope?: EngineOptions['scope'];
}

export interface Embedded {
  readonly engine: Engine;
  readonly logDir: string;
  close(): Promise<void>;
}

/**
 * One Baton process's composition: the store `--db` names, every step runtime, the params evaluator, the system
 * clock. Step logs go beside a SQLite file, or under `.baton/logs` (or `BATON_LOG_DIR`) for a database server.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const temp = options.db === undefined ? mkdtempSync(path.join(tmpdir(), 'baton-run-')) : undefined;
  const db = options.db ?? path.join(temp!, 'baton.db');
  const logDir = isDatabaseUrl(db)
    ? path.resolve(process.env['BATON_LOG_DIR'] ?? path.join('.baton', 'logs'))
    : path.join(path.dirname(path.resolve(db)), 'logs');
  let store;
  try {
    store = await openStoreFor(db, { clock: systemClock });
  } catch (error) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    throw error;
  }
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
      ...(options.claims === undefined ? {} : { claims: options.claims }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
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
