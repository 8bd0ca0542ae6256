import { describe, expect, it } from 'vitest';
import { inTx, T0, type GetStore } from './fixtures.js';

const event = (n: number) => ({
  type: 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT',
  payload: { workflow_id: 'wf', workflow_instance_id: n, new_status: 'SUCCEEDED' },
  create_time: T0 + n,
});

/** The event relay's tables: outbox taken into per-sink queues, parking, and leases (port/relay.ts). */
export function relayConformance(store: GetStore): void {
  describe('event relay', () => {
    it('takes the oldest outbox events out of the outbox, in id order, and queues them per sink', async () => {
      await inTx(store, (tx) => tx.appendOutbox([1, 2, 3].map(event)));
      const taken = await inTx(store, async (tx) => {
        const events = await tx.takeOutbox(2);
        await tx.addDeliveries(['a', 'b'], events);
        return events;
      });
      expect(taken.map((e) => e.payload['workflow_instance_id'])).toEqual([1, 2]);
      expect(await inTx(store, (tx) => tx.readOutbox(0, 10))).toHaveLength(1);
      const a = await inTx(store, (tx) => tx.readDeliveries('a', 10));
      expect(a.map((d) => d.id)).toEqual(taken.map((e) => e.id));
      expect(a[0]).toEqual({ sink: 'a', ...taken[0], attempts: 0 });
      // queued again (a take retried after a lost commit answer): left as it is
      await inTx(store, (tx) => tx.addDeliveries(['a'], taken));
      expect(await inTx(store, (tx) => tx.readDeliveries('a', 10))).toHaveLength(2);
      await inTx(store, (tx) => tx.ackDeliveries('a', [taken[0]!.id]));
      expect((await inTx(store, (tx) => tx.readDeliveries('a', 10))).map((d) => d.id)).toEqual([
        taken[1]!.id,
      ]);
      expect(await inTx(store, (tx) => tx.readDeliveries('b', 10))).toHaveLength(2);
      expect(await inTx(store, (tx) => tx.takeOutbox(0))).toEqual([]);
    });

    it('leaves a take that rolled back in the outbox', async () => {
      await inTx(store, (tx) => tx.appendOutbox([event(1)]));
      await expect(
        inTx(store, async (tx) => {
          await tx.addDeliveries(['a'], await tx.takeOutbox(10));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await inTx(store, (tx) => tx.readOutbox(0, 10))).toHaveLength(1);
      expect(await inTx(store, (tx) => tx.readDeliveries('a', 10))).toEqual([]);
    });

    it('counts failures, parks an event with its reason and lists parked events', async () => {
      await inTx(store, (tx) => tx.appendOutbox([1, 2, 3].map(event)));
      const ids = await inTx(store, async (tx) => {
        const events = await tx.takeOutbox(10);
        await tx.addDeliveries(['a'], events);
        return events.map((e) => e.id);
      });
      await inTx(store, (tx) => tx.failDelivery('a', ids[0]!, 'connection refused'));
      await inTx(store, (tx) => tx.failDelivery('a', ids[0]!, 'connection refused again'));
      await inTx(store, (tx) => tx.parkDelivery('a', ids[1]!, 'HTTP 400: bad event', T0 + 9));
      const pending = await inTx(store, (tx) => tx.readDeliveries('a', 10));
      expect(pending.map((d) => [d.id, d.attempts, d.last_error])).toEqual([
        [ids[0], 2, 'connection refused again'],
        [ids[2], 0, undefined],
      ]);
      const parked = await inTx(store, (tx) => tx.listParked('a', 0, 10));
      expect(parked.map((d) => [d.id, d.last_error, d.parked_at, d.attempts])).toEqual([
        [ids[1], 'HTTP 400: bad event', T0 + 9, 1],
      ]);
      expect(await inTx(store, (tx) => tx.listParked('a', ids[1]!, 10))).toEqual([]);
      expect(await inTx(store, (tx) => tx.listParked('b', 0, 10))).toEqual([]);
      // sent again: back in line in id order, untried; only a parked one of this sink can be
      expect(await inTx(store, (tx) => tx.resendParked('b', ids[1]!))).toBe(false);
      expect(await inTx(store, (tx) => tx.resendParked('a', ids[1]!))).toBe(true);
      expect(await inTx(store, (tx) => tx.resendParked('a', ids[1]!))).toBe(false);
      expect(await inTx(store, (tx) => tx.listParked('a', 0, 10))).toEqual([]);
      const queued = await inTx(store, (tx) => tx.readDeliveries('a', 10));
      expect(queued.find((d) => d.id === ids[1])).toMatchObject({ attempts: 0 });
      expect(queued.find((d) => d.id === ids[1])?.last_error).toBeUndefined();
    });

    it('gives a lease to one owner until it ends or is handed back', async () => {
      const take = (owner: string, now: number) =>
        inTx(store, (tx) => tx.takeLease('sink:a', owner, now, now + 1000));
      expect(await take('p1', T0)).toBe(true);
      expect(await take('p2', T0 + 10)).toBe(false);
      expect(await take('p1', T0 + 500)).toBe(true); // extended to T0 + 1500
      expect(await take('p2', T0 + 1200)).toBe(false);
      expect(await take('p2', T0 + 1500)).toBe(true); // p1's lease ended
      expect(await take('p1', T0 + 1600)).toBe(false);
      await inTx(store, (tx) => tx.releaseLease('sink:a', 'p1')); // not p1's: nothing happens
      expect(await take('p1', T0 + 1600)).toBe(false);
      await inTx(store, (tx) => tx.releaseLease('sink:a', 'p2'));
      expect(await take('p1', T0 + 1600)).toBe(true);
      expect(await inTx(store, (tx) => tx.takeLease('sink:b', 'p2', T0, T0 + 1))).toBe(true);
    });
  });
}
