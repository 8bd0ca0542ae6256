// What the engine tests on the fake clock share: a store per adapter (SQLite in memory, and PostgreSQL when
// BATON_TEST_PG_URL is set) reading the test's clock, engines stopped after each test, and a real-time wait for the
// engine to get somewhere on its own while the fake clock stands still.
import { afterEach } from 'vitest';
import type { FakeClock } from '../../src/engine/clock.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { hasPg, openTestPgStore } from './postgres.js';

export const FAKE_CLOCK_ADAPTERS: [string, (clock: FakeClock) => Promise<Store>][] = [
  ['sqlite', (clock) => openSqliteStore({ clock }, { path: ':memory:' })],
  ...(hasPg
    ? [
        ['postgres', (clock: FakeClock) => openTestPgStore(clock)] as [
          string,
          (c: FakeClock) => Promise<Store>,
        ],
      ]
    : []),
];

/** The engines (with their stores) a test opened: stopped and closed after each test, last opened first. */
export function stoppedAfterEach(): { engine: Engine; store: Store }[] {
  const opened: { engine: Engine; store: Store }[] = [];
  afterEach(async () => {
    for (const { engine, store } of opened.splice(0).reverse()) {
      await engine.stop();
      await store.close();
    }
  });
  return opened;
}

/** Waits (real time, with a deadline) for the engine to get somewhere on its own; the fake clock stands still. */
export async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
