import { describe, expect, it } from 'vitest';
import { inTx, newItem, newRun, simpleDefinition, T0, type GetStore } from './fixtures.js';

export function metricsConformance(store: GetStore): void {
  describe('monitoring reads', () => {
    it('reports nothing in flight on an empty store, and answers a ping', async () => {
      await inTx(store, async (tx) => {
        await tx.ping();
        expect(await tx.metricsSnapshot(T0)).toEqual({
          runs: { CREATED: 0, IN_PROGRESS: 0, PAUSED: 0 },
          queue: [],
        });
      });
    });

    it('counts runs in flight by status across workflows, and leaves finished runs out', async () => {
      await inTx(store, async (tx) => {
        for (const id of ['wf', 'other']) {
          await tx.insertWorkflowVersion({ request: simpleDefinition(id), author: 'alice', now: 1 });
          await tx.nextInstanceId(id, 5);
        }
        const statuses = ['CREATED', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED'] as const;
        for (const [i, status] of statuses.entries()) {
          await tx.insertRun(newRun({ instance_id: i + 1, status }));
          await tx.insertRun(newRun({ workflow_id: 'other', instance_id: i + 1, status }));
        }
        await tx.insertRun(newRun({ workflow_id: 'other', instance_id: 5, run_id: 2, status: 'PAUSED' }));
      });
      const snapshot = await inTx(store, (tx) => tx.metricsSnapshot(T0));
      expect(snapshot.runs).toEqual({ CREATED: 2, IN_PROGRESS: 4, PAUSED: 1 });
    });

    it('counts the queue by kind: due (expired leases too), waiting and leased, with the oldest due moment', async () => {
      await inTx(store, async (tx) => {
        await tx.enqueue([
          newItem({ kind: 'step', run_at: T0 - 5000 }),
          newItem({ kind: 'step', run_at: T0 - 100 }),
          newItem({ kind: 'step', run_at: T0 + 60_000 }),
          newItem({ kind: 'step', run_at: T0 - 9000, lease_owner: 'me', lease_until: T0 + 30_000 }),
          newItem({ kind: 'timer', run_at: T0 + 1000 }),
          newItem({ kind: 'admit', run_at: T0 - 20_000, lease_owner: 'dead', lease_until: T0 - 7000 }),
        ]);
      });
      const snapshot = await inTx(store, (tx) => tx.metricsSnapshot(T0));
      expect(snapshot.queue).toEqual([
        { kind: 'admit', due: 1, waiting: 0, leased: 0, oldest_due_at: T0 - 7000 },
        { kind: 'step', due: 2, waiting: 1, leased: 1, oldest_due_at: T0 - 5000 },
        { kind: 'timer', due: 0, waiting: 1, leased: 0 },
      ]);
    });
  });
}
