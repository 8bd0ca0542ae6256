import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay } from '../../src/events/relay.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { pollUntil } from '../support/deadline.js';
import { stepEvent } from './fixtures.js';
import { freePort } from './receiver.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('a sink that is down', () => {
  it('is tried again after a wait that doubles up to the cap, on the injected clock', async () => {
    const clock = new FakeClock();
    const store = await openSqliteStore({ clock }, { path: ':memory:' });
    const port = await freePort(); // nothing listens: every try fails at once
    const config = parseEventsConfig(
      JSON.stringify({
        sinks: [
          { name: 'hook', type: 'webhook', url: `http://127.0.0.1:${port}/`, secret: 'sixteen-characters' },
        ],
        retry: { initial_ms: 1000, max_ms: 4000 },
      }),
      'events.json',
      {},
    );
    const tries: number[] = [];
    const relay = startRelay(
      { store, clock, log: (line) => line.includes('not delivered') && tries.push(clock.now()) },
      { config, pollMs: 100_000 },
    );
    cleanup.push(async () => {
      await relay.stop();
      await store.close();
    });
    await store.transact((tx) => tx.appendOutbox([stepEvent(1, 0)]));
    relay.wake();
    const t0 = clock.now();
    await pollUntil(async () => tries.length === 1, 'the first try');
    for (const wait of [1000, 2000, 4000, 4000]) {
      const before = tries.length;
      // the taker's poll and the sink's backoff wait: 1 ms before the wait is over, both still pending
      await pollUntil(async () => clock.pendingTimers === 2, 'the backoff wait set');
      clock.advance(wait - 1);
      expect(clock.pendingTimers).toBe(2);
      clock.advance(1);
      expect(clock.pendingTimers).toBe(1);
      await pollUntil(async () => tries.length === before + 1, `the try after ${wait} ms`);
    }
    expect(tries.map((t) => t - t0)).toEqual([0, 1000, 3000, 7000, 11000]);
    const [waiting] = await store.transact((tx) => tx.readDeliveries('hook', 10));
    expect(waiting!.attempts).toBe(5);
    expect(waiting!.last_error).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
