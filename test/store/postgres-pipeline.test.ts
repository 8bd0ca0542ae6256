// The PostgreSQL store sends a transaction's BEGIN with its first statement and a batch's independent writes
// together (pg's pipeline mode): fewer round trips per transition, the same statements in the same order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { recordStatements, roundTrips } from '../support/pg-statements.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON } from '../support/postgres.js';
import { conformanceClock, newItem, T0 } from './fixtures.js';

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('postgres store: pipelined statements', () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestPgStore(conformanceClock);
    });
    afterEach(async () => {
      await store.close();
    });

    it("sends BEGIN with the first statement and a batch's writes together, in order", async () => {
      const ended = { workflow_id: 'wf', instance_id: 7, run_id: 1 };
      await store.transact((tx) => tx.enqueue([newItem(ended)])); // an unleased item of a run about to end
      const recorder = recordStatements();
      let stored;
      try {
        stored = await store.transact((tx) =>
          tx.writeBatch({
            ack: [],
            outbox: [{ type: 'x', payload: { n: 1 }, create_time: T0 }],
            ended: [ended],
            // made in the same batch for the ended run: written after the run's items are deleted, so it stays
            items: [newItem({ ...ended, step_id: 'later' })],
          }),
        );
      } finally {
        recorder.restore();
      }
      // (a wake-up for the item enqueued before may go out on another connection meanwhile)
      const statements = [...recorder.log.values()].find((sent) => sent[0]?.text === 'BEGIN');
      expect(statements!.map((s) => s.text)).toEqual([
        'BEGIN',
        'deleteEndedItems',
        'ackAndAppend',
        'enqueue',
        'COMMIT',
      ]);
      expect(roundTrips(statements!)).toBe(2); // BEGIN and the three writes, then COMMIT (was 5)
      const left = await store.transact((tx) => tx.claim('w', T0, 1000, 10));
      expect(left.map((i) => i.id)).toEqual([stored[0]!.id]);
      expect(left[0]!.step_id).toBe('later');
      expect(await store.transact((tx) => tx.readOutbox(0, 10))).toHaveLength(1);
    });

    it('reports the statement that failed, not the ones behind it, and keeps nothing', async () => {
      const failed = store.transact((tx) =>
        tx.writeBatch({
          ack: [],
          outbox: [{ type: 'bad\u0000type', payload: {}, create_time: T0 }],
          items: [newItem()],
        }),
      );
      // the outbox insert's own error (a NUL byte in text), not "current transaction is aborted" of the enqueue
      await expect(failed).rejects.toThrow(/0x00/);
      expect(await store.transact((tx) => tx.claim('w', T0, 1000, 10))).toEqual([]);
      expect(await store.transact((tx) => tx.readOutbox(0, 10))).toEqual([]);
    });
  });
}
