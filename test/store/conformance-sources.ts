import { describe, expect, it } from 'vitest';
import type { NewParkedMessage } from '../../src/store/port.js';
import { inTx, T0, type GetStore } from './fixtures.js';

function parked(overrides: Partial<NewParkedMessage> = {}): NewParkedMessage {
  return {
    source: 'landed',
    message_id: 'm-1',
    body: '{"table":',
    encoding: 'utf8',
    reason: 'the message is not JSON',
    details: { subject: 'data.landed', delivery: 1 },
    parked_at: T0,
    ...overrides,
  };
}

export function sourceConformance(store: GetStore): void {
  describe('parked source messages', () => {
    it('parks a message with its reason and details and lists it for its source only', async () => {
      const first = await inTx(store, (tx) => tx.parkSourceMessage(parked()));
      expect(first).toEqual({ ...parked(), id: first.id });
      await inTx(store, (tx) => tx.parkSourceMessage(parked({ source: 'other', message_id: 'm-1' })));
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 10))).toEqual([first]);
      expect(await inTx(store, (tx) => tx.listParkedMessages('nope', 0, 10))).toEqual([]);
    });

    it('parks a message with the same id once: a redelivery finds the first record unchanged', async () => {
      const first = await inTx(store, (tx) => tx.parkSourceMessage(parked()));
      const again = await inTx(store, (tx) =>
        tx.parkSourceMessage(parked({ reason: 'another reason', parked_at: T0 + 5 })),
      );
      expect(again).toEqual(first);
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 10))).toHaveLength(1);
    });

    it('keeps every message without an id, and base64 bodies as given', async () => {
      const { message_id: _, ...noId } = parked();
      await inTx(store, async (tx) => {
        await tx.parkSourceMessage(noId);
        await tx.parkSourceMessage({ ...noId, body: '/w==', encoding: 'base64' });
      });
      const list = await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 10));
      expect(list.map((m) => [m.message_id, m.body, m.encoding])).toEqual([
        [undefined, '{"table":', 'utf8'],
        [undefined, '/w==', 'base64'],
      ]);
    });

    it('pages oldest first after an id', async () => {
      const ids: number[] = [];
      for (const n of [1, 2, 3])
        ids.push((await inTx(store, (tx) => tx.parkSourceMessage(parked({ message_id: `m-${n}` })))).id);
      const page = await inTx(store, (tx) => tx.listParkedMessages('landed', ids[0]!, 1));
      expect(page.map((m) => m.message_id)).toEqual(['m-2']);
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', ids[2]!, 10))).toEqual([]);
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 0))).toEqual([]);
    });

    it('deletes one parked message of its source; an unknown id or another source deletes nothing', async () => {
      const { id } = await inTx(store, (tx) => tx.parkSourceMessage(parked()));
      expect(await inTx(store, (tx) => tx.deleteParkedMessage('other', id))).toBe(false);
      expect(await inTx(store, (tx) => tx.deleteParkedMessage('landed', id + 100))).toBe(false);
      expect(await inTx(store, (tx) => tx.deleteParkedMessage('landed', id))).toBe(true);
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 10))).toEqual([]);
    });

    it('keeps nothing of a park whose transaction failed', async () => {
      await expect(
        inTx(store, async (tx) => {
          await tx.parkSourceMessage(parked());
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await inTx(store, (tx) => tx.listParkedMessages('landed', 0, 10))).toEqual([]);
    });
  });
}
