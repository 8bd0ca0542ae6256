import { describe, expect, it } from 'vitest';
import { WorkItemKind, type WorkItem } from '../../src/store/port.js';
import { inTx, newItem, T0, type GetStore } from './fixtures.js';

const ids = (items: readonly WorkItem[]): number[] => items.map((i) => i.id);

export function queueConformance(store: GetStore): void {
  describe('work queue', () => {
    it('enqueues items and returns them as stored, unset optional fields absent', async () => {
      const [plain, full] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem(),
          newItem({
            kind: 'timer',
            step_id: 'a',
            attempt: 2,
            dedup_key: 'k',
            payload: { n: [1, { x: null }] },
          }),
        ]),
      );
      expect(plain).toEqual({ ...newItem(), id: plain!.id, created_at: T0 });
      for (const key of [
        'step_id',
        'attempt',
        'dedup_key',
        'lease_owner',
        'lease_until',
        'expired_lease_owner',
      ])
        expect(plain).not.toHaveProperty(key);
      expect(full).toMatchObject({
        kind: 'timer',
        step_id: 'a',
        attempt: 2,
        dedup_key: 'k',
        payload: { n: [1, { x: null }] },
      });
      expect(full!.id).toBeGreaterThan(plain!.id);
    });

    it('claims due items oldest run_at first, then by id, up to the limit', async () => {
      const [late, early, due, future] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ run_at: T0 }),
          newItem({ run_at: T0 - 10 }),
          newItem({ run_at: T0 }),
          newItem({ run_at: T0 + 1 }),
        ]),
      );
      const first = await inTx(store, (tx) => tx.claim('w1', T0, 1000, 2));
      expect(ids(first)).toEqual([early!.id, late!.id]);
      expect(first[0]).toMatchObject({ lease_owner: 'w1', lease_until: T0 + 1000 });
      expect(first[0]).not.toHaveProperty('expired_lease_owner');
      expect(ids(await inTx(store, (tx) => tx.claim('w2', T0, 1000, 10)))).toEqual([due!.id]);
      expect(await inTx(store, (tx) => tx.claim('w2', T0, 1000, 10))).toEqual([]);
      expect(ids(await inTx(store, (tx) => tx.claim('w2', T0 + 1, 1000, 10)))).toEqual([future!.id]);
      expect(await inTx(store, (tx) => tx.claim('w2', T0, 1000, 0))).toEqual([]);
    });

    it('claims only the kinds asked for', async () => {
      const [step, timer, admit] = await inTx(store, (tx) =>
        tx.enqueue([newItem(), newItem({ kind: 'timer' }), newItem({ kind: 'admit' })]),
      );
      expect(ids(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10, ['timer', 'admit'])))).toEqual([
        timer!.id,
        admit!.id,
      ]);
      expect(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10, []))).toEqual([]);
      expect(ids(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10)))).toEqual([step!.id]);
    });

    it('takes over an expired lease and names the owner that lost it', async () => {
      const [item] = await inTx(store, (tx) => tx.enqueue([newItem()]));
      await inTx(store, (tx) => tx.claim('dead', T0, 1000, 10));
      // the lease holds up to and including lease_until
      expect(await inTx(store, (tx) => tx.claim('w', T0 + 1000, 1000, 10))).toEqual([]);
      const [taken] = await inTx(store, (tx) => tx.claim('w', T0 + 1001, 500, 10));
      expect(taken).toMatchObject({
        id: item!.id,
        lease_owner: 'w',
        lease_until: T0 + 1501,
        expired_lease_owner: 'dead',
      });
      expect(await inTx(store, (tx) => tx.extendLeases('dead', [item!.id], T0 + 9999))).toEqual([]);
    });

    it('takes expired leases before unleased items, and only of the kinds asked for', async () => {
      const [old, timer, fresh] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ run_at: T0 - 50, lease_owner: 'dead', lease_until: T0 - 1 }),
          newItem({ kind: 'timer', run_at: T0 - 40, lease_owner: 'dead', lease_until: T0 - 1 }),
          newItem({ run_at: T0 - 100 }),
        ]),
      );
      const first = await inTx(store, (tx) => tx.claim('w', T0, 1000, 1, ['step']));
      expect(first).toMatchObject([{ id: old!.id, expired_lease_owner: 'dead' }]);
      expect(ids(await inTx(store, (tx) => tx.claim('w', T0, 1000, 5, ['step'])))).toEqual([fresh!.id]);
      expect(await inTx(store, (tx) => tx.claim('w', T0, 1000, 5))).toMatchObject([
        { id: timer!.id, kind: 'timer', expired_lease_owner: 'dead' },
      ]);
    });

    it('writes a batch: acks first (freeing their dedup keys), appends the outbox, enqueues the rest', async () => {
      const [admit, other] = await inTx(store, (tx) =>
        tx.enqueue([newItem({ kind: 'admit', dedup_key: 'admit:wf' }), newItem()]),
      );
      const stored = await inTx(store, (tx) =>
        tx.writeBatch({
          ack: [admit!.id],
          outbox: [
            { type: 'a', payload: { n: 1 }, create_time: T0 },
            { type: 'b', payload: { n: 2 }, create_time: T0 },
          ],
          items: [
            newItem({ kind: 'admit', dedup_key: 'admit:wf', payload: { again: true } }),
            newItem({ step_id: 'x', attempt: 1 }),
          ],
        }),
      );
      expect(stored).toHaveLength(2);
      expect(stored[0]).toMatchObject({ kind: 'admit', dedup_key: 'admit:wf', payload: { again: true } });
      expect(stored[1]).toMatchObject({ kind: 'step', step_id: 'x' });
      expect(new Set(ids(stored)).has(admit!.id)).toBe(false);
      expect((await inTx(store, (tx) => tx.readOutbox(0, 10))).map((e) => e.type)).toEqual(['a', 'b']);
      const left = ids(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10)));
      expect(left.sort((a, b) => a - b)).toEqual([other!.id, ...ids(stored)].sort((a, b) => a - b));
      expect(await inTx(store, (tx) => tx.writeBatch({ ack: [], outbox: [], items: [] }))).toEqual([]);
    });

    it('treats an item enqueued with a lease as already claimed', async () => {
      const [item] = await inTx(store, (tx) =>
        tx.enqueue([newItem({ lease_owner: 'local', lease_until: T0 + 100 })]),
      );
      expect(item).toMatchObject({ lease_owner: 'local', lease_until: T0 + 100 });
      expect(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10))).toEqual([]);
      expect(await inTx(store, (tx) => tx.claim('w', T0 + 101, 1000, 10))).toMatchObject([
        { id: item!.id, expired_lease_owner: 'local' },
      ]);
    });

    it('extends leases only for their owner', async () => {
      const [a, b] = await inTx(store, (tx) => tx.enqueue([newItem(), newItem()]));
      await inTx(store, (tx) => tx.claim('w1', T0, 1000, 1));
      await inTx(store, (tx) => tx.claim('w2', T0, 1000, 1));
      expect(await inTx(store, (tx) => tx.extendLeases('w1', [a!.id, b!.id, 999_999], T0 + 5000))).toEqual([
        a!.id,
      ]);
      expect(await inTx(store, (tx) => tx.claim('w3', T0 + 2000, 60_000, 10))).toMatchObject([
        { id: b!.id, expired_lease_owner: 'w2' },
      ]);
      expect(await inTx(store, (tx) => tx.claim('w3', T0 + 5000, 1000, 10))).toEqual([]);
      expect(ids(await inTx(store, (tx) => tx.claim('w3', T0 + 5001, 1000, 10)))).toEqual([a!.id]);
    });

    it("hands back only its owner's leases, claimable at once and not reported as expired", async () => {
      const [a, b, c, waiting] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ step_id: 'a', attempt: 2, payload: { keep: 1 } }),
          newItem({ kind: 'timer' }),
          newItem({ step_id: 'c', attempt: 1, lease_owner: 'stopping', lease_until: T0 + 60_000 }),
          newItem({ run_at: T0 + 500 }),
        ]),
      );
      expect(ids(await inTx(store, (tx) => tx.claim('stopping', T0, 60_000, 2)))).toEqual([a!.id, b!.id]);
      const [other] = await inTx(store, (tx) => tx.enqueue([newItem({ step_id: 'o' })]));
      await inTx(store, (tx) => tx.claim('other', T0, 60_000, 10));
      expect(await inTx(store, (tx) => tx.releaseLeases('stopping'))).toBe(3);
      expect(await inTx(store, (tx) => tx.releaseLeases('stopping'))).toBe(0);
      // long before any lease would run out, another process takes them as fresh work
      const taken = await inTx(store, (tx) => tx.claim('next', T0 + 1, 1000, 10));
      expect(ids(taken).sort((x, y) => x - y)).toEqual([a!.id, b!.id, c!.id]);
      expect(taken.every((i) => i.expired_lease_owner === undefined && i.lease_owner === 'next')).toBe(true);
      expect(taken.find((i) => i.id === a!.id)).toMatchObject({
        step_id: 'a',
        attempt: 2,
        payload: { keep: 1 },
        run_at: T0,
      });
      // the other owner's lease and a not yet due item are untouched
      expect(await inTx(store, (tx) => tx.extendLeases('other', [other!.id], T0 + 90_000))).toEqual([
        other!.id,
      ]);
      expect(await inTx(store, (tx) => tx.claim('next', T0 + 499, 1000, 10))).toEqual([]);
      expect(ids(await inTx(store, (tx) => tx.claim('next', T0 + 500, 1000, 10)))).toEqual([waiting!.id]);
    });

    it('wakes listeners when it hands leases back, and not when it had none', async () => {
      await inTx(store, (tx) => tx.enqueue([newItem({ lease_owner: 'stopping', lease_until: T0 + 60_000 })]));
      let woken = 0;
      const off = store().onWork(() => (woken += 1));
      try {
        await inTx(store, (tx) => tx.releaseLeases('nobody'));
        await new Promise((resolve) => setImmediate(resolve));
        expect(woken).toBe(0);
        await inTx(store, (tx) => tx.releaseLeases('stopping'));
        await expect.poll(() => woken).toBeGreaterThan(0);
      } finally {
        off();
      }
    });

    it('keeps one item per dedup_key: asking again arms it again, so the ack of whoever held it does nothing', async () => {
      const added = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ dedup_key: 'admit:wf', run_at: T0 + 5 }),
          newItem({ dedup_key: 'admit:wf' }),
          newItem(),
        ]),
      );
      expect(added).toHaveLength(2);
      expect(added[0]).toMatchObject({ dedup_key: 'admit:wf', run_at: T0 }); // the earlier run_at of the two
      const key = added[0]!.id;
      expect(ids(await inTx(store, (tx) => tx.claim('w1', T0, 60_000, 10, ['step'])))).toContain(key);

      // Asked again while w1 works on it: the same item, unleased and due at the earlier time.
      const again = await inTx(store, (tx) =>
        tx.enqueue([newItem({ dedup_key: 'admit:wf', run_at: T0 + 9 })]),
      );
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ id: key, run_at: T0 });
      expect(again[0]!.lease_owner).toBeUndefined();
      await inTx(store, (tx) => tx.ack([key], 'w1')); // w1 finished what it had read: the item stays
      expect(ids(await inTx(store, (tx) => tx.claim('w2', T0, 60_000, 10, ['step'])))).toEqual([key]);

      // Asked again with a lease: it passes to the asker.
      const mine = await inTx(store, (tx) =>
        tx.enqueue([newItem({ dedup_key: 'admit:wf', lease_owner: 'w3', lease_until: T0 + 1000 })]),
      );
      expect(mine[0]).toMatchObject({ id: key, lease_owner: 'w3', lease_until: T0 + 1000 });
      await inTx(store, (tx) => tx.ack([key], 'w2'));
      await inTx(store, (tx) => tx.ack([key], 'w3'));
      const fresh = await inTx(store, (tx) => tx.enqueue([newItem({ dedup_key: 'admit:wf' })]));
      expect(fresh[0]!.id).not.toBe(key); // acked by its holder: gone, so the key is free
    });

    it('acks with an owner only what that owner still holds', async () => {
      const [a, b] = await inTx(store, (tx) => tx.enqueue([newItem(), newItem()]));
      await inTx(store, (tx) => tx.claim('w1', T0, 60_000, 10));
      await inTx(store, (tx) => tx.ack([a!.id, b!.id], 'w2'));
      await inTx(store, (tx) => tx.ack([a!.id], 'w1'));
      const later = await inTx(store, (tx) => tx.claim('w3', T0 + 60_001, 1000, 10));
      expect(ids(later)).toEqual([b!.id]);
      expect(later[0]!.expired_lease_owner).toBe('w1');
    });

    it('acks by deleting, and ignores ids that are gone', async () => {
      const [a, b] = await inTx(store, (tx) => tx.enqueue([newItem(), newItem()]));
      await inTx(store, (tx) => tx.ack([a!.id, 999_999]));
      expect(ids(await inTx(store, (tx) => tx.claim('w', T0, 1000, 10)))).toEqual([b!.id]);
    });

    it('reschedules: clears the lease, sets run_at, and replaces the payload only if given', async () => {
      const [a, b] = await inTx(store, (tx) =>
        tx.enqueue([newItem({ payload: { poll: 1 } }), newItem({ payload: { keep: true } })]),
      );
      await inTx(store, (tx) => tx.claim('w', T0, 60_000, 10));
      await inTx(store, async (tx) => {
        await tx.reschedule(a!.id, T0 + 30, { poll: 2 });
        await tx.reschedule(b!.id, T0 + 30);
        await tx.reschedule(999_999, T0);
      });
      expect(await inTx(store, (tx) => tx.claim('w2', T0 + 29, 1000, 10))).toEqual([]);
      const claimed = await inTx(store, (tx) => tx.claim('w2', T0 + 30, 1000, 10));
      expect(claimed.map((i) => i.payload)).toEqual([{ poll: 2 }, { keep: true }]);
      expect(claimed.every((i) => i.expired_lease_owner === undefined && i.run_at === T0 + 30)).toBe(true);
    });

    it("reschedules for an owner only while it holds the lease, never another's", async () => {
      const [item] = await inTx(store, (tx) => tx.enqueue([newItem()]));
      await inTx(store, (tx) => tx.claim('slow', T0, 100, 10));
      await inTx(store, (tx) => tx.claim('next', T0 + 101, 60_000, 10)); // took the expired lease over
      await inTx(store, (tx) => tx.reschedule(item!.id, T0 + 5, undefined, 'slow'));
      expect(await inTx(store, (tx) => tx.claim('third', T0 + 200, 1000, 10))).toEqual([]);
      await inTx(store, (tx) => tx.reschedule(item!.id, T0 + 5, undefined, 'next'));
      expect(ids(await inTx(store, (tx) => tx.claim('third', T0 + 200, 1000, 10)))).toEqual([item!.id]);
    });

    it("reschedules several items in one go, each to its own time, an owner's only while it holds them", async () => {
      const [a, b, c] = await inTx(store, (tx) =>
        tx.enqueue([newItem({ payload: { keep: 1 } }), newItem(), newItem()]),
      );
      await inTx(store, (tx) => tx.claim('mine', T0, 60_000, 2)); // a and b
      await inTx(store, (tx) => tx.claim('theirs', T0, 60_000, 1)); // c
      await inTx(store, (tx) =>
        tx.rescheduleItems(
          [
            { id: a!.id, run_at: T0 + 10 },
            { id: b!.id, run_at: T0 + 20 },
            { id: c!.id, run_at: T0 + 10 },
            { id: 999_999, run_at: T0 },
          ],
          'mine',
        ),
      );
      await inTx(store, (tx) => tx.rescheduleItems([]));
      const at10 = await inTx(store, (tx) => tx.claim('w2', T0 + 10, 1000, 10));
      expect(at10.map((i) => [i.id, i.payload, i.run_at])).toEqual([[a!.id, { keep: 1 }, T0 + 10]]);
      expect(ids(await inTx(store, (tx) => tx.claim('w2', T0 + 20, 1000, 10)))).toEqual([b!.id]);
    });

    it('deletes the step items of one attempt, leased or not, and nothing else', async () => {
      const items = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ step_id: 'a', attempt: 1, lease_owner: 'w', lease_until: T0 + 1000 }),
          newItem({ step_id: 'a', attempt: 1, run_at: T0 + 50 }),
          newItem({ step_id: 'a', attempt: 2 }),
          newItem({ step_id: 'b', attempt: 1 }),
          newItem({ kind: 'timer', step_id: 'a', attempt: 1 }),
          newItem({ run_id: 2, step_id: 'a', attempt: 1 }),
        ]),
      );
      const key = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
      expect(await inTx(store, (tx) => tx.deleteStepItems(key, 'a', 1))).toBe(2);
      // the holder of the deleted leased item learns it is gone at its next heartbeat
      expect(await inTx(store, (tx) => tx.extendLeases('w', [items[0]!.id], T0 + 5000))).toEqual([]);
      const left = ids(await inTx(store, (tx) => tx.claim('x', T0 + 100, 1000, 10)));
      expect(left.sort((a, b) => a - b)).toEqual(ids(items.slice(2)));
    });

    it('deletes the unleased items of a run, optionally of some kinds only', async () => {
      const items = await inTx(store, (tx) =>
        tx.enqueue([
          newItem(),
          newItem({ kind: 'timer', run_at: T0 + 50 }),
          newItem({ lease_owner: 'w', lease_until: T0 + 1000 }),
          newItem({ run_id: 2 }),
          newItem({ kind: 'timer' }),
        ]),
      );
      const key = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
      expect(await inTx(store, (tx) => tx.deleteRunItems(key, ['timer']))).toBe(2);
      expect(await inTx(store, (tx) => tx.deleteRunItems(key, []))).toBe(0);
      expect(await inTx(store, (tx) => tx.deleteRunItems(key))).toBe(1);
      expect(ids(await inTx(store, (tx) => tx.claim('x', T0 + 2000, 1000, 10)))).toEqual([
        items[2]!.id,
        items[3]!.id,
      ]);
    });

    it('tells when an unleased item comes due or a lease runs out, whichever is first', async () => {
      expect(await inTx(store, (tx) => tx.nextRunAt(T0))).toBeUndefined();
      await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ run_at: T0 }),
          newItem({ run_at: T0 + 20, lease_owner: 'w', lease_until: T0 + 9000 }),
          newItem({ run_at: T0 + 50 }),
          newItem({ run_at: T0 + 40 }),
        ]),
      );
      expect(await inTx(store, (tx) => tx.nextRunAt(T0))).toBe(T0 + 40);
      expect(await inTx(store, (tx) => tx.nextRunAt(T0 + 40))).toBe(T0 + 50);
      expect(await inTx(store, (tx) => tx.nextRunAt(T0 + 50))).toBe(T0 + 9001);
      expect(await inTx(store, (tx) => tx.nextRunAt(T0 + 9001))).toBeUndefined();
    });

    it('tells when an item of every kind comes due (none is left out of the look)', async () => {
      for (const [i, kind] of Object.values(WorkItemKind).entries()) {
        const at = T0 + 100 * (i + 1);
        const [item] = await inTx(store, (tx) => tx.enqueue([newItem({ kind, run_at: at })]));
        expect({ kind, next: await inTx(store, (tx) => tx.nextRunAt(T0)) }).toEqual({ kind, next: at });
        await inTx(store, (tx) => tx.ack([item!.id]));
      }
    });
  });

  describe('outbox', () => {
    it('reads events in append order after an id, up to a limit', async () => {
      await inTx(store, (tx) =>
        tx.appendOutbox([
          { type: 'a', payload: { n: 1 }, create_time: 1 },
          { type: 'b', payload: { n: 2, deep: { list: [true] } }, create_time: 2 },
        ]),
      );
      await inTx(store, (tx) => tx.appendOutbox([{ type: 'c', payload: {}, create_time: 3 }]));
      const all = await inTx(store, (tx) => tx.readOutbox(0, 10));
      expect(all.map((e) => e.type)).toEqual(['a', 'b', 'c']);
      expect(all[1]).toEqual({
        id: all[1]!.id,
        type: 'b',
        payload: { n: 2, deep: { list: [true] } },
        create_time: 2,
      });
      expect(all[0]!.id < all[1]!.id && all[1]!.id < all[2]!.id).toBe(true);
      expect((await inTx(store, (tx) => tx.readOutbox(all[0]!.id, 1))).map((e) => e.type)).toEqual(['b']);
      expect(await inTx(store, (tx) => tx.readOutbox(all[2]!.id, 10))).toEqual([]);
    });
  });
}
