import { describe, expect, it } from 'vitest';
import type { StoreTx } from '../../src/store/port.js';
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

export function transactionConformance(store: GetStore): void {
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

    it('runs concurrent transactions one after the other', async () => {
      const log: string[] = [];
      const gate = deferred();
      const first = inTx(store, async (tx) => {
        log.push('first:start');
        await tx.insertRun(newRun({ request_id: 'first' }));
        await gate.promise; // the first transaction is open while the second is called
        log.push('first:end');
      });
      const second = inTx(store, async (tx) => {
        log.push('second:start');
        return tx.findRunByRequestId('wf', 'first');
      });
      await eventually(() => log.length > 0);
      // give the second caller every chance to start early before releasing the first
      await new Promise((resolve) => setImmediate(resolve));
      expect(log).toEqual(['first:start']);
      gate.resolve();
      await first;
      expect(await second).toBeDefined();
      expect(log).toEqual(['first:start', 'first:end', 'second:start']);
    });

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
      await inTx(store, (tx) => tx.enqueue([newItem({ dedup_key: 'k' })])); // dropped: nothing new
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
