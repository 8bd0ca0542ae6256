import { describe, expect, it } from 'vitest';
import type { RunKey, StoreTx } from '../../src/store/port.js';
import { inTx, newRun, T0, type GetStore } from './fixtures.js';

const key = (instance_id: number, run_id = 1, workflow_id = 'wf'): RunKey => ({
  workflow_id,
  instance_id,
  run_id,
});

/** `count` FAILED runs of `wf`, instances `from`, `from + 1`, …, inserted in batches as a start batch would. */
async function failedRuns(tx: StoreTx, from: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, (_, j) =>
      newRun({ instance_id: from + i + j, status: 'FAILED', create_time: T0 - 10_000 + i + j }),
    );
    await tx.insertRuns(batch);
  }
}

/** STRICT_SEQUENTIAL's question: does a FAILED run of the workflow, neither unblocked nor restarted, hold its queue? */
export function strictQueueConformance(store: GetStore): void {
  describe('STRICT_SEQUENTIAL queue holds', () => {
    it('is held by a FAILED run until it is unblocked, and by nothing else', async () => {
      await inTx(store, async (tx) => {
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
        await tx.insertRun(newRun({ instance_id: 1, status: 'SUCCEEDED' }));
        await tx.insertRun(newRun({ instance_id: 2, status: 'STOPPED' }));
        await tx.insertRun(newRun({ instance_id: 3, status: 'CREATED' }));
        await tx.insertRun(newRun({ workflow_id: 'other', instance_id: 1, status: 'FAILED' }));
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
        expect(await tx.hasBlockingFailedRun('other')).toBe(true);

        await tx.insertRun(newRun({ instance_id: 4, status: 'FAILED' }));
        expect(await tx.hasBlockingFailedRun('wf')).toBe(true);
        expect(await tx.unblockRun(key(4))).toBe(true);
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
        expect(await tx.unblockRun(key(4))).toBe(true); // again: still unblocked
        expect(await tx.hasBlockingFailedRun('other')).toBe(true); // another workflow's run is its own business
      });
    });

    it('unblocks only FAILED runs that exist', async () => {
      await inTx(store, async (tx) => {
        await tx.insertRun(newRun({ instance_id: 1, status: 'IN_PROGRESS' }));
        expect(await tx.unblockRun(key(1))).toBe(false);
        expect(await tx.unblockRun(key(9))).toBe(false);
        expect(await tx.unblockRun(key(1, 1, 'none'))).toBe(false);
      });
    });

    it('sees the newest of more than 1,000 failed runs holding the queue, and none once it is unblocked', async () => {
      await inTx(store, async (tx) => {
        await failedRuns(tx, 1, 1_050);
        for (let i = 1; i <= 1_050; i++) await tx.unblockRun(key(i));
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
        await failedRuns(tx, 1_051, 1);
      });
      expect(await inTx(store, (tx) => tx.hasBlockingFailedRun('wf'))).toBe(true);
      await inTx(store, (tx) => tx.unblockRun(key(1_051)));
      expect(await inTx(store, (tx) => tx.hasBlockingFailedRun('wf'))).toBe(false);
    });

    it('is held by an old failure among more than 1,000 newer unblocked ones', async () => {
      await inTx(store, async (tx) => {
        await failedRuns(tx, 1, 1_050);
        for (let i = 2; i <= 1_050; i++) await tx.unblockRun(key(i));
      });
      expect(await inTx(store, (tx) => tx.hasBlockingFailedRun('wf'))).toBe(true);
    });

    it('keeps a run unblocked when the run is written again, and a restart (run 2) does not hold', async () => {
      await inTx(store, async (tx) => {
        const failed = (await tx.insertRun(newRun({ instance_id: 1, status: 'FAILED' })))!;
        await tx.unblockRun(failed);
        const written = await tx.updateRun({ ...failed, state: { ...failed.state, message: 'x' } }, 1);
        expect(written.version).toBe(2);
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
        await tx.insertRun(
          newRun({ instance_id: 1, run_id: 2, status: 'IN_PROGRESS', request_id: 'restart' }),
        );
        expect(await tx.hasBlockingFailedRun('wf')).toBe(false);
      });
    });

    it('leaves the run record as it was (no version bump), and rolls back with its transaction', async () => {
      const failed = (await inTx(store, (tx) => tx.insertRun(newRun({ instance_id: 1, status: 'FAILED' }))))!;
      await expect(
        inTx(store, async (tx) => {
          await tx.unblockRun(failed);
          expect(await tx.getRun(failed)).toEqual(failed);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await inTx(store, (tx) => tx.hasBlockingFailedRun('wf'))).toBe(true);
    });
  });
}
