import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ApiOptions } from '../../src/server/api-deps.js';
import { buildApi } from '../../src/server/app.js';
import { openBaton, type Baton } from '../../src/server/compose.js';

/** A Baton on a fresh SQLite file with its API, for `inject()` tests; `close()` stops both and removes the file. */
export interface ApiHarness {
  readonly baton: Baton;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function openApi(
  options: ApiOptions & { readonly timeScale?: number } = {},
): Promise<ApiHarness> {
  const { timeScale, ...apiOptions } = options;
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-api-'));
  const baton = await openBaton({
    db: path.join(dir, 'baton.db'),
    workers: 4,
    ...(timeScale === undefined ? {} : { timeScale }),
  });
  const app = await buildApi(
    { engine: baton.engine, store: baton.store, clock: baton.clock },
    { logDir: baton.logDir, ...apiOptions },
  );
  baton.engine.start();
  return {
    baton,
    app,
    async close() {
      await app.close();
      await baton.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
