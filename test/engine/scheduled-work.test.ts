// The scheduler role's handling of claimed items (trigger-hooks.ts `scheduledWork`): a handled item is acked, a failed
// one is put back later after each failure in a row, on the injected clock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { retryDelayMs, scheduledWork } from '../../src/engine/trigger-hooks.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

describe('scheduledWork', () => {
  it('waits 1 s, 2 s, 4 s … up to 5 minutes between tries of an item that keeps failing', () => {
    expect([1, 2, 3, 4, 9, 10, 50, 5000].map(retryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 256_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('puts a failed item back with its failures counted, and acks it once handled', async () => {
    const clock = new FakeClock();
    const store = await openSqliteStore({ clock }, { path: ':memory:' });
    try {
      const [queued] = await store.transact((tx) =>
        tx.enqueue([
          {
            kind: 'signal',
            workflow_id: 's',
            instance_id: 0,
            run_id: 0,
            payload: { name: 's', seq_id: 1 },
            run_at: clock.now(),
          },
        ]),
      );
      const work = scheduledWork({ store, clock, owner: 'me' });
      const claim = () => store.transact((tx) => tx.claim('me', clock.now(), 60_000, 10, ['signal']));
      const warnings: string[] = [];
      const warn = (w: Error) => warnings.push(w.message);
      process.on('warning', warn);
      try {
        for (const [failures, wait] of [
          [1, 1000],
          [2, 2000],
          [3, 4000],
        ] as const) {
          const [item] = await claim();
          expect(item?.id).toBe(queued!.id);
          await work.run(item!, () => Promise.reject(new Error('store unreachable')));
          clock.advance(wait - 1);
          expect(await claim()).toEqual([]); // not before its time
          clock.advance(1);
          const [again] = await store.transact((tx) => tx.claim('peek', clock.now(), 1, 10, ['signal']));
          expect(again?.payload).toEqual({ name: 's', seq_id: 1, failures });
          clock.advance(2); // the peek's lease runs out
        }
        const [item] = await claim();
        await work.run(item!, () => Promise.resolve());
        clock.advance(600_000);
        expect(await claim()).toEqual([]);
        await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
        expect(
          warnings.some((w) => /failed \(3 times in a row\), retrying in 4 s: store unreachable/.test(w)),
        ).toBe(true);
      } finally {
        process.off('warning', warn);
      }
    } finally {
      await store.close();
    }
  });
});
