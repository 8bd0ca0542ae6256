import { describe, expect, it } from 'vitest';
import type { RunKey, SignalUse, SignalWait } from '../../src/store/port.js';
import { inTx, simpleDefinition, T0, type GetStore } from './fixtures.js';

const RUN: RunKey = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
const OTHER: RunKey = { workflow_id: 'wf', instance_id: 2, run_id: 1 };

function wait(overrides: Partial<SignalWait> = {}): SignalWait {
  return {
    ...RUN,
    step_id: 'job.1',
    attempt: 1,
    dependency: 0,
    name: 'table_ready',
    constraints: [{ param: 'date', operator: '=', value: '20240101' }],
    create_time: T0,
    ...overrides,
  };
}

export function signalWaitConformance(store: GetStore): void {
  describe('signal waits and lineage', () => {
    it('stores waits by name, oldest first, with their constraints as given', async () => {
      const a = wait();
      const b = wait({
        ...OTHER,
        create_time: T0 + 1,
        constraints: [{ param: 'n', operator: '>=', value: 7 }],
      });
      const c = wait({ dependency: 1, name: 'other' });
      await inTx(store, (tx) => tx.addSignalWaits([b, a, c]));
      expect(await inTx(store, (tx) => tx.signalWaitsOn('table_ready'))).toEqual([a, b]);
      expect(await inTx(store, (tx) => tx.signalWaitsOn('other'))).toEqual([c]);
      expect(await inTx(store, (tx) => tx.signalWaitsOn('none'))).toEqual([]);
    });

    it("replaces a step dependency's wait with a newer attempt's", async () => {
      await inTx(store, (tx) => tx.addSignalWaits([wait()]));
      const newer = wait({ attempt: 2, create_time: T0 + 5 });
      await inTx(store, (tx) => tx.addSignalWaits([newer]));
      expect(await inTx(store, (tx) => tx.signalWaitsOn('table_ready'))).toEqual([newer]);
    });

    it('deletes the waits of a run, of a step, of one attempt, or the ones named', async () => {
      const waits = [
        wait(),
        wait({ dependency: 1 }),
        wait({ step_id: 'job.2', attempt: 3 }),
        wait({ ...OTHER }),
      ];
      await inTx(store, (tx) => tx.addSignalWaits(waits));
      expect(await inTx(store, (tx) => tx.deleteSignalWaits(RUN, 'job.2', 1))).toBe(0);
      expect(await inTx(store, (tx) => tx.deleteSignalWaits(RUN, 'job.2', 3))).toBe(1);
      await inTx(store, (tx) => tx.deleteSignalWaitsOf([wait({ dependency: 1, attempt: 9 }), wait()]));
      // the attempt must match too: dependency 1 of attempt 1 stays
      expect((await inTx(store, (tx) => tx.signalWaitsOn('table_ready'))).length).toBe(2);
      expect(await inTx(store, (tx) => tx.deleteSignalWaits(RUN, 'job.1'))).toBe(1);
      expect(await inTx(store, (tx) => tx.deleteSignalWaits(OTHER))).toBe(1);
      expect(await inTx(store, (tx) => tx.signalWaitsOn('table_ready'))).toEqual([]);
    });

    it("a workflow's deletion takes its waits with it", async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        await tx.addSignalWaits([wait(), wait({ workflow_id: 'other' })]);
        await tx.markWorkflowDeleted('wf', T0);
      });
      await inTx(store, (tx) => tx.deleteWorkflowBatch('wf', 10));
      expect((await inTx(store, (tx) => tx.signalWaitsOn('table_ready'))).map((w) => w.workflow_id)).toEqual([
        'other',
      ]);
    });

    it('records the uses of a signal instance once each, in the order they happened', async () => {
      const started: SignalUse = { name: 's', seq_id: 3, use: 'STARTED_RUN', ...OTHER, create_time: T0 };
      const released: SignalUse = {
        name: 's',
        seq_id: 3,
        use: 'RELEASED_STEP',
        ...RUN,
        step_id: 'job.1',
        attempt: 2,
        dependency: 1,
        create_time: T0 + 1,
      };
      const elsewhere: SignalUse = { ...started, seq_id: 4 };
      await inTx(store, (tx) => tx.recordSignalUses([released, started, elsewhere]));
      await inTx(store, (tx) => tx.recordSignalUses([released]));
      expect(await inTx(store, (tx) => tx.signalUses('s', 3))).toEqual([started, released]);
      expect(await inTx(store, (tx) => tx.signalUses('s', 5))).toEqual([]);
    });
  });
}
