import { describe, expect, it } from 'vitest';
import type { StoreTx } from '../../src/store/port.js';
import { withDeadline } from '../support/deadline.js';
import {
  deferred,
  eventually,
  inTx,
  newItem,
  newRun,
  simpleDefinition,
  T0,
  type GetStore,
} from './fixtures.js';

/**
 * How a store runs transactions that overlap in time: the embedded store one after the other (`serial`), a networked
 * one side by side (`concurrent`).
 */
export type TransactionModel = 'serial' | 'concurrent';

export function transactionConformance(store: GetStore, transactions: TransactionModel): void {
  describe('transactions', () => {
    it('returns what fn returns', async () => {
      expect(await store().transact(async () => 42)).toBe(42);
    });

    it('keeps nothing of a transaction whose fn throws, and rethrows the same error', async () => {
      const boom = new Error('boom');
      const failed = inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        await tx.insertRun(newRun());
        await tx.enqueue([newItem()]);
        await tx.appendOutbox([{ type: 'x', payload: {}, create_time: 1 }]);
        throw boom;
      });
      await expect(failed).rejects.toBe(boom);
      await inTx(store, async (tx) => {
        expect(await tx.getWorkflow('wf')).toBeUndefined();
        expect(await tx.getRun(newRun())).toBeUndefined();
        expect(await tx.claim('w', T0, 1000, 10)).toEqual([]);
        expect(await tx.readOutbox(0, 10)).toEqual([]);
      });
    });

    // A read that completes while another transaction is still open must not see that one's writes.
    const openFirst = () => {
      const gate = deferred();
      const wrote = deferred();
      const done = inTx(store, async (tx) => {
        await tx.insertRun(newRun({ request_id: 'first' }));
        wrote.resolve();
        await gate.promise; // the first transaction stays open until the gate opens
      });
      const commit = (): Promise<void> => {
        gate.resolve();
        return done;
      };
      return { wrote: wrote.promise, commit };
    };
    const readFirst = (log: string[]) =>
      inTx(store, async (tx) => {
        log.push('second:read');
        return tx.findRunByRequestId('wf', 'first');
      });

    if (transactions === 'concurrent') {
      it("reads beside an open transaction without seeing that one's uncommitted writes", async () => {
        const first = openFirst();
        await first.wrote;
        try {
          const seen = await withDeadline(readFirst([]), 10_000, 'the read waited for the open transaction');
          expect(seen).toBeUndefined();
        } finally {
          await first.commit();
        }
        expect(await inTx(store, (tx) => tx.findRunByRequestId('wf', 'first'))).toBeDefined();
      });
    } else {
      it('runs a transaction only once the open one has committed, and it sees those writes', async () => {
        const first = openFirst();
        await first.wrote;
        const log: string[] = [];
        const second = readFirst(log);
        await new Promise((resolve) => setImmediate(resolve)); // whatever the call queued has run
        expect(log).toEqual([]);
        await first.commit();
        expect(await second).toBeDefined();
        expect(log).toEqual(['second:read']);
      });

      // Work that fn only schedules (a wake-up) must not wait for fn's own lock: it runs after fn has committed. A
      // concurrent store starts it beside fn instead, as the read above does.
      it('lets work that fn only scheduled open its own transaction once fn has committed', async () => {
        let later: Promise<unknown> | undefined;
        await inTx(store, async (tx) => {
          await tx.insertRun(newRun());
          const scheduled = deferred();
          setImmediate(() => scheduled.resolve());
          later = scheduled.promise.then(() => store().transact((next) => next.getRun(newRun())));
        });
        expect(await later).toBeDefined();
      });
    }

    it('refuses a tx used after its transaction ended', async () => {
      let leaked: StoreTx | undefined;
      await store().transact(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.insertRun(newRun())).rejects.toThrow();
      expect(await inTx(store, (tx) => tx.getRun(newRun()))).toBeUndefined();
    });
  });

  describe('onWork', () => {
    it('wakes listeners after a commit that adds work, not before', async () => {
      let calls = 0;
      let visible: boolean | undefined;
      const off = store().onWork(() => {
        calls += 1;
        // what woke the listener is committed: a fresh transaction sees it
        void store()
          .transact((tx) => tx.nextRunAt(T0 - 1))
          .then((at) => (visible = at === T0));
      });
      await inTx(store, async (tx) => {
        await tx.enqueue([newItem()]);
        expect(calls).toBe(0);
      });
      await eventually(() => calls === 1 && visible !== undefined);
      expect(visible).toBe(true);
      off();
    });

    it('does not wake after a rollback or a transaction that adds no work; does after a reschedule', async () => {
      let calls = 0;
      const off = store().onWork(() => (calls += 1));
      await expect(
        inTx(store, async (tx) => {
          await tx.enqueue([newItem()]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await inTx(store, (tx) => tx.appendOutbox([{ type: 'x', payload: {}, create_time: 1 }]));
      const [item] = await inTx(store, (tx) => tx.enqueue([newItem({ dedup_key: 'k' })]));
      await eventually(() => calls >= 1);
      // armed again, leased to the asker: nothing for anyone else to claim
      await inTx(store, (tx) =>
        tx.enqueue([newItem({ dedup_key: 'k', lease_owner: 'me', lease_until: T0 + 1000 })]),
      );
      await inTx(store, (tx) => tx.reschedule(item!.id, T0 + 5));
      await eventually(() => calls >= 2);
      // the ordered wake-ups above prove the no-work transactions woke nobody
      expect(calls).toBe(2);
      off();
    });

    it('stops waking a listener once unsubscribed', async () => {
      let kept = 0;
      let dropped = 0;
      const off = store().onWork(() => (dropped += 1));
      const offKept = store().onWork(() => (kept += 1));
      off();
      await inTx(store, (tx) => tx.enqueue([newItem()]));
      await eventually(() => kept === 1);
      expect(dropped).toBe(0);
      offKept();
    });
  });
}
