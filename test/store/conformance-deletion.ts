import { describe, expect, it } from 'vitest';
import { IllegalStateError, NotFoundError, ValidationError } from '../../src/model/errors.js';
import type { PermitHolder, StoreTx } from '../../src/store/port.js';
import { inTx, newItem, newRun, simpleDefinition, T0, type GetStore } from './fixtures.js';

const holder = (workflow_id: string, instance_id: number, step_id = 'a'): PermitHolder => ({
  workflow_id,
  instance_id,
  run_id: 1,
  step_id,
  attempt: 1,
});
const gpu = [{ key: 'gpu', limit: 1 }];

/** 'wf' with 2 versions, 5 instances (one restarted), steps, items (one leased), a permit, a breakpoint; and 'other'. */
async function populate(tx: StoreTx): Promise<number> {
  for (const id of ['wf', 'wf', 'other'])
    await tx.insertWorkflowVersion({ request: simpleDefinition(id), author: 'a', now: 1 });
  await tx.nextInstanceId('wf', 5);
  for (let i = 1; i <= 5; i++) {
    await tx.insertRun(newRun({ instance_id: i }));
    await tx.putSteps({ workflow_id: 'wf', instance_id: i, run_id: 1 }, [
      { step_id: 'a', status: 'RUNNING', attempt: 1, state: {} },
    ]);
  }
  await tx.insertRun(newRun({ instance_id: 3, run_id: 2 }));
  await tx.insertRun(newRun({ workflow_id: 'other' }));
  await tx.holdPermits([{ holder: holder('wf', 1), permits: gpu }], T0);
  await tx.queueForPermits([{ holder: holder('other', 1), permits: gpu }], T0);
  await tx.setBreakpoint({ workflow_id: 'wf', step_id: 'a', instance_id: 0, run_id: 0, attempt: 0 });
  await tx.updateProperties('wf', { description: 'x' }, 'a', 2);
  await tx.enqueue([newItem({ instance_id: 2 }), newItem({ kind: 'admit', instance_id: 0, run_id: 0 })]);
  const [leased] = await tx.enqueue([
    newItem({ instance_id: 4, lease_owner: 'w1', lease_until: T0 + 60_000 }),
  ]);
  await tx.enqueue([newItem({ workflow_id: 'other' })]);
  return leased!.id;
}

export function deletionConformance(store: GetStore): void {
  describe('workflow deletion', () => {
    it('marks a workflow deleted: not found, nothing new starts, no new version until it is gone', async () => {
      await inTx(store, populate);
      const marked = await inTx(store, (tx) => tx.markWorkflowDeleted('wf', 5));
      expect(marked).toMatchObject({ workflow_id: 'wf', latest_version_id: 2 });
      await inTx(store, async (tx) => {
        expect(await tx.getWorkflow('wf')).toBeUndefined();
        expect((await tx.listWorkflows({ first: 10 })).rows.map((w) => w.workflow_id)).toEqual(['other']);
        await expect(tx.nextInstanceId('wf')).rejects.toBeInstanceOf(NotFoundError);
        await expect(tx.updateProperties('wf', {}, 'a', 6)).rejects.toBeInstanceOf(NotFoundError);
        await expect(tx.activateVersion('wf', 1, 'a', 6)).rejects.toBeInstanceOf(NotFoundError);
        expect((await tx.markWorkflowDeleted('wf', 6)).workflow_id).toBe('wf'); // again: fine
      });
      await expect(
        inTx(store, (tx) =>
          tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 7 }),
        ),
      ).rejects.toBeInstanceOf(IllegalStateError);
      await expect(inTx(store, (tx) => tx.markWorkflowDeleted('nope', 1))).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('refuses a batch for a workflow not marked deleted, and a batch size out of range', async () => {
      await inTx(store, populate);
      await expect(inTx(store, (tx) => tx.deleteWorkflowBatch('wf', 10))).rejects.toBeInstanceOf(
        IllegalStateError,
      );
      await inTx(store, (tx) => tx.markWorkflowDeleted('wf', 5));
      for (const bad of [0, 10_001, 1.5])
        await expect(inTx(store, (tx) => tx.deleteWorkflowBatch('wf', bad))).rejects.toBeInstanceOf(
          ValidationError,
        );
      expect(await inTx(store, (tx) => tx.deleteWorkflowBatch('never-existed', 10))).toEqual({
        more: false,
        permitKeys: [],
      });
      expect(
        (await inTx(store, (tx) => tx.listRuns({ workflow_id: 'wf', instance_id: 3 }, { first: 5 }))).rows,
      ).toHaveLength(2);
    });

    it('deletes everything of the workflow in batches, and nothing of another', async () => {
      const leasedId = await inTx(store, populate);
      await inTx(store, (tx) => tx.markWorkflowDeleted('wf', 5));
      const keys = new Set<string>();
      let batches = 0;
      for (let more = true; more; batches++) {
        const result = await inTx(store, (tx) => tx.deleteWorkflowBatch('wf', 2));
        for (const k of result.permitKeys) keys.add(k);
        more = result.more;
        expect(batches).toBeLessThan(10);
      }
      // 6 runs two at a time, 2 versions (a full batch says more may remain), then the rest in the last one
      expect(batches).toBe(5);
      expect([...keys]).toEqual(['gpu']);
      await inTx(store, async (tx) => {
        expect(await tx.getRun({ workflow_id: 'wf', instance_id: 1, run_id: 1 })).toBeUndefined();
        expect(await tx.getSteps({ workflow_id: 'wf', instance_id: 1, run_id: 1 })).toEqual([]);
        expect(await tx.getWorkflowVersion('wf', 1)).toBeUndefined();
        expect(await tx.getPropertiesSnapshot('wf', 'latest')).toBeUndefined();
        expect(await tx.getWorkflowTimeline('wf')).toEqual([]);
        expect(await tx.listBreakpoints('wf')).toEqual([]);
        expect(await tx.countInstancesByStatus('wf')).toEqual({});
        // the holder whose run is gone no longer holds the permit: the waiter of the other workflow gets in
        expect(await tx.permitState(['gpu'])).toEqual({ gpu: { held: 0, waiting: true } });
        expect(await tx.grantWaiting(['gpu'])).toEqual([holder('other', 1)]);
        // what a process still holding a lease on a deleted run's item sees: nothing to extend, an ack that is a no-op
        expect(await tx.extendLeases('w1', [leasedId], T0 + 120_000)).toEqual([]);
        await tx.ack([leasedId], 'w1');
        const left = await tx.claim('w2', T0 + 1, 1000, 100);
        expect(left.map((i) => i.workflow_id)).toEqual(['other']);
        expect(await tx.getRun({ workflow_id: 'other', instance_id: 1, run_id: 1 })).toBeDefined();
        expect(await tx.getWorkflow('other')).toBeDefined();
      });
      // gone: not found, not deleted twice, not listed
      await inTx(store, async (tx) => {
        expect(await tx.getWorkflow('wf')).toBeUndefined();
        await expect(tx.markWorkflowDeleted('wf', 9)).rejects.toThrow(NotFoundError);
        expect((await tx.listWorkflows({ first: 10 })).rows.map((w) => w.workflow_id)).not.toContain('wf');
      });
      // the id is free again, and its counters go on: nothing cached of the deleted workflow (its version 1, its run
      // 1/1) can be taken for the new one's
      await inTx(store, async (tx) => {
        const v = await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'b', now: 9 });
        expect(v.version_id).toBeGreaterThan(1);
        expect(v.properties).toEqual(simpleDefinition('wf').properties ?? {});
        expect(await tx.nextInstanceId('wf')).toBeGreaterThan(1);
        expect((await tx.getWorkflow('wf'))?.latest_version_id).toBe(v.version_id);
        expect(await tx.getWorkflowTimeline('wf')).toHaveLength(1);
        expect(await tx.getPropertiesSnapshot('wf', 'latest')).toBeDefined();
      });
    });
  });
}
