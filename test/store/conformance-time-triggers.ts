import { describe, expect, it } from 'vitest';
import type { NewTimeTriggerState, TimeTriggerAdvance } from '../../src/store/port.js';
import { inTx, newItem, T0, type GetStore } from './fixtures.js';

const every2 = { type: 'CRON', cron: '*/2 * * * *', timezone: 'US/Pacific' } as const;
const daily = { type: 'PREDEFINED', expression: '@daily', timezone: 'Asia/Tokyo' } as const;

function state(overrides: Partial<NewTimeTriggerState> = {}): NewTimeTriggerState {
  return {
    workflow_id: 'wf',
    trigger_uuid: 'uuid-1',
    triggers: [
      { trigger: every2, watermark: T0 },
      { trigger: daily, watermark: T0 - 5 },
    ],
    next_fire_time: T0 + 120_000,
    update_time: T0,
    ...overrides,
  };
}

/** `o` without `key` (an optional field left out, as `exactOptionalPropertyTypes` wants). */
function without<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

function advance(overrides: Partial<TimeTriggerAdvance> = {}): TimeTriggerAdvance {
  return {
    workflow_id: 'wf',
    expected_version: 1,
    expected_trigger_uuid: 'uuid-1',
    triggers: [{ trigger: every2, watermark: T0 + 120_000 }],
    next_fire_time: T0 + 240_000,
    update_time: T0 + 1,
    ...overrides,
  };
}

export function timeTriggerConformance(store: GetStore): void {
  describe('time-trigger state', () => {
    it('stores a row whole and reads it back, by one workflow or many; version 1 on the first write', async () => {
      const written = await inTx(store, (tx) => tx.putTimeTrigger(state()));
      expect(written).toEqual({ ...state(), version: 1 });
      expect(await inTx(store, (tx) => tx.getTimeTrigger('wf'))).toEqual(written);
      await inTx(store, (tx) =>
        tx.putTimeTrigger(without(state({ workflow_id: 'other' }), 'next_fire_time')),
      );
      const many = await inTx(store, (tx) => tx.getTimeTriggers(['wf', 'other', 'none']));
      expect(many.map((s) => [s.workflow_id, s.next_fire_time]).sort()).toEqual([
        ['other', undefined],
        ['wf', T0 + 120_000],
      ]);
      expect(await inTx(store, (tx) => tx.getTimeTriggers([]))).toEqual([]);
      expect(await inTx(store, (tx) => tx.getTimeTrigger('none'))).toBeUndefined();
    });

    it('a second put replaces the row and moves its version on', async () => {
      await inTx(store, (tx) =>
        tx.putTimeTrigger(state({ last_error: { trigger_time: T0, message: 'bad' } })),
      );
      const again = await inTx(store, (tx) =>
        tx.putTimeTrigger(
          state({ trigger_uuid: 'uuid-2', triggers: [{ trigger: daily, watermark: T0 + 9 }] }),
        ),
      );
      expect(again.version).toBe(2);
      expect(await inTx(store, (tx) => tx.getTimeTrigger('wf'))).toEqual({
        ...state({ trigger_uuid: 'uuid-2', triggers: [{ trigger: daily, watermark: T0 + 9 }] }),
        version: 2,
      });
    });

    it('advances only rows still at the version read, keeps an error unless given a new one', async () => {
      await inTx(store, (tx) =>
        tx.putTimeTrigger(state({ last_error: { trigger_time: T0, message: 'bad' } })),
      );
      await inTx(store, (tx) => tx.putTimeTrigger(state({ workflow_id: 'b' })));
      await inTx(store, (tx) => tx.putTimeTrigger(state({ workflow_id: 'c' })));
      const written = await inTx(store, (tx) =>
        tx.advanceTimeTriggers([
          advance(),
          advance({ workflow_id: 'b', expected_version: 7 }), // someone wrote it since: left alone
          advance({ workflow_id: 'c', expected_trigger_uuid: 'uuid-0' }), // subscribed anew since: left alone
          advance({ workflow_id: 'gone' }),
        ]),
      );
      expect(written).toEqual(['wf']);
      expect(await inTx(store, (tx) => tx.getTimeTrigger('wf'))).toEqual({
        workflow_id: 'wf',
        trigger_uuid: 'uuid-1',
        triggers: [{ trigger: every2, watermark: T0 + 120_000 }],
        next_fire_time: T0 + 240_000,
        last_error: { trigger_time: T0, message: 'bad' },
        version: 2,
        update_time: T0 + 1,
      });
      expect((await inTx(store, (tx) => tx.getTimeTrigger('b')))?.version).toBe(1);
      expect((await inTx(store, (tx) => tx.getTimeTrigger('c')))?.version).toBe(1);
      // A second advance from the same read loses: the row is at version 2 now.
      expect(await inTx(store, (tx) => tx.advanceTimeTriggers([advance()]))).toEqual([]);
      await inTx(store, (tx) =>
        tx.advanceTimeTriggers([
          without(
            advance({ expected_version: 2, last_error: { trigger_time: 5, message: 'x' } }),
            'next_fire_time',
          ),
        ]),
      );
      const last = await inTx(store, (tx) => tx.getTimeTrigger('wf'));
      expect(last?.next_fire_time).toBeUndefined();
      expect(last?.last_error).toEqual({ trigger_time: 5, message: 'x' });
    });

    it('deletes a row; a second delete finds none', async () => {
      await inTx(store, (tx) => tx.putTimeTrigger(state()));
      expect(await inTx(store, (tx) => tx.deleteTimeTrigger('wf'))).toBe(true);
      expect(await inTx(store, (tx) => tx.deleteTimeTrigger('wf'))).toBe(false);
      expect(await inTx(store, (tx) => tx.getTimeTrigger('wf'))).toBeUndefined();
    });

    it('a trigger item wakes a sleeping process when it comes due, and only the schedule kind claims it', async () => {
      const [item] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({
            kind: 'trigger',
            instance_id: 0,
            run_id: 0,
            run_at: T0 + 500,
            dedup_key: 'time-trigger:wf',
          }),
        ]),
      );
      expect(await inTx(store, (tx) => tx.nextRunAt(T0))).toBe(T0 + 500);
      expect(await inTx(store, (tx) => tx.claim('w', T0 + 500, 1000, 10, ['timer', 'admit']))).toEqual([]);
      const claimed = await inTx(store, (tx) => tx.claim('w', T0 + 500, 1000, 10, ['trigger']));
      expect(claimed.map((i) => i.id)).toEqual([item!.id]);
    });
  });
}
