import { systemClock } from '../../src/engine/clock.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { hasPg, openTestPgStore } from '../support/postgres.js';

/**
 * The stores engine tests run on, for `describe.each`: SQLite in memory, and PostgreSQL (a schema of its own, dropped
 * on close) when BATON_TEST_PG_URL is set. Each call opens a new, empty store on the system clock.
 */
export const ADAPTERS: [string, () => Promise<Store>][] = [
  ['sqlite', () => openSqliteStore({ clock: systemClock }, { path: ':memory:' })],
  ...(hasPg ? [['postgres', () => openTestPgStore(systemClock)] as [string, () => Promise<Store>]] : []),
];
