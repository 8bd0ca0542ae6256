// PostgreSQL-only: a step registering its waits and an announcement of the name, at the same moment, never miss each
// other. Registering (`registerWaits`) and releasing (`announceIn` → `releaseWaits`) hold the name's lock, so the
// one that comes second sees what the first committed.
import { describe, expect, it } from 'vitest';
import { announceIn } from '../../src/signals/announce.js';
import { registerWaits } from '../../src/signals/step-waits.js';
import type { RunKey } from '../../src/store/port.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON, untilBlocked } from '../support/postgres.js';
import { conformanceClock } from './conformance.js';
import { deferred, T0 } from './fixtures.js';

const RUN: RunKey = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
const WAITS = [
  { dependency: 0, name: 'ready', constraints: [{ param: 'day', operator: '=' as const, value: 'd1' }] },
];
const announcement = { name: 'ready', params: { day: 'd1' }, request_id: 'r1' };

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('postgres signal waits', () => {
    it('an announcement during a registration waits for it, then releases the wait it registered', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 4 });
      try {
        const gate = deferred();
        const registered = deferred<number>();
        const registering = store.transact(async (tx) => {
          const items = await registerWaits(tx, RUN, 'w', 1, WAITS, T0);
          registered.resolve(items.length);
          await gate.promise; // the registration is not committed yet
        });
        expect(await registered.promise).toBe(0); // no signal yet: the wait is registered
        const announcing = store.transact(async (tx) => {
          await announceIn(tx, announcement, T0);
          return tx.signalWaitsOn('ready');
        });
        try {
          await untilBlocked(store.schema, 'the announcement waiting for the registration');
        } finally {
          gate.resolve();
        }
        await registering;
        expect(await announcing).toEqual([]); // it met the wait and released it
        const woken = await store.transact((tx) => tx.claim('x', T0, 1000, 10, ['timer']));
        expect(woken.map((i) => i.payload)).toEqual([
          {
            event: {
              type: 'signals_matched',
              step_id: 'w',
              attempt: 1,
              matches: [{ dependency: 0, signal_id: 1, params: { day: 'd1' } }],
            },
          },
        ]);
      } finally {
        await store.close();
      }
    });

    it('a registration during an announcement waits for it, then finds the signal instead of waiting', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 4 });
      try {
        const gate = deferred();
        const announced = deferred();
        const announcing = store.transact(async (tx) => {
          await announceIn(tx, announcement, T0);
          announced.resolve();
          await gate.promise;
        });
        await announced.promise;
        const registering = store.transact((tx) => registerWaits(tx, RUN, 'w', 1, WAITS, T0));
        try {
          await untilBlocked(store.schema, 'the registration waiting for the announcement');
        } finally {
          gate.resolve();
        }
        await announcing;
        expect((await registering).map((i) => i.payload['event'])).toMatchObject([
          { type: 'signals_matched', matches: [{ dependency: 0, signal_id: 1 }] },
        ]);
        expect(await store.transact((tx) => tx.signalWaitsOn('ready'))).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}
