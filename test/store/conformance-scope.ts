import { describe, expect, it } from 'vitest';
import type { ClaimScope, WorkItem } from '../../src/store/port.js';
import { inTx, newItem, T0, type GetStore } from './fixtures.js';

const ids = (items: readonly WorkItem[]): number[] => items.map((i) => i.id);
const scopeOf = (...instances: [string, number][]): ClaimScope => ({
  instances: instances.map(([workflow_id, instance_id]) => ({ workflow_id, instance_id })),
});

/** Claims limited to some instances (`baton run` runs its own run and nobody else's). */
export function scopeConformance(store: GetStore): void {
  describe('scoped claims', () => {
    it('claims the steps and timers of the instances in scope (every run) and admissions of their workflows', async () => {
      const items = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ workflow_id: 'wf', instance_id: 2, run_id: 1, run_at: T0 - 5 }), // another instance
          newItem({ workflow_id: 'wf', instance_id: 1, run_id: 1, run_at: T0 - 4 }),
          newItem({ workflow_id: 'wf', instance_id: 1, run_id: 2, run_at: T0 - 3 }), // a restart's run
          newItem({ workflow_id: 'other', instance_id: 1, run_id: 1, run_at: T0 - 2 }), // same id, other workflow
          newItem({ kind: 'timer', workflow_id: 'wf', instance_id: 2 }),
          newItem({ kind: 'timer', workflow_id: 'wf', instance_id: 1 }),
          newItem({ kind: 'admit', workflow_id: 'wf', instance_id: 3 }), // asked for by another run of wf
          newItem({ kind: 'admit', workflow_id: 'other', instance_id: 1 }),
        ]),
      );
      const [, ownRun1, ownRun2, , , ownTimer, wfAdmit] = items;
      const scope = scopeOf(['wf', 1]);
      const steps = await inTx(store, (tx) => tx.claim('me', T0, 1000, 10, ['step'], scope));
      expect(ids(steps)).toEqual([ownRun1!.id, ownRun2!.id]);
      expect(steps[0]).toMatchObject({ lease_owner: 'me', lease_until: T0 + 1000 });
      expect(ids(await inTx(store, (tx) => tx.claim('me', T0, 1000, 10, ['timer', 'admit'], scope)))).toEqual(
        [ownTimer!.id, wfAdmit!.id],
      );
      expect(await inTx(store, (tx) => tx.claim('me', T0, 1000, 10, undefined, scope))).toEqual([]);
      // everything else is still there for an unscoped claimer
      const rest = await inTx(store, (tx) => tx.claim('server', T0, 1000, 10));
      expect(ids(rest).sort((a, b) => a - b)).toEqual(
        [items[0], items[3], items[4], items[7]].map((i) => i!.id).sort((a, b) => a - b),
      );
    });

    it('takes over only expired leases in scope, and claims nothing with no instances', async () => {
      const [mine, theirs] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ instance_id: 1, lease_owner: 'dead', lease_until: T0 - 1 }),
          newItem({ instance_id: 2, lease_owner: 'dead', lease_until: T0 - 1 }),
        ]),
      );
      expect(await inTx(store, (tx) => tx.claim('me', T0, 1000, 10, undefined, scopeOf()))).toEqual([]);
      expect(
        await inTx(store, (tx) => tx.claim('me', T0, 1000, 10, undefined, scopeOf(['wf', 1]))),
      ).toMatchObject([{ id: mine!.id, expired_lease_owner: 'dead' }]);
      expect(await inTx(store, (tx) => tx.claim('server', T0, 1000, 10))).toMatchObject([
        { id: theirs!.id, expired_lease_owner: 'dead' },
      ]);
    });

    it('tells when the next item in scope comes due or its lease runs out, ignoring the rest', async () => {
      await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ instance_id: 2, run_at: T0 + 10 }),
          newItem({ instance_id: 2, run_at: T0, lease_owner: 'x', lease_until: T0 + 20 }),
          newItem({ instance_id: 1, run_at: T0 + 50 }),
          newItem({ instance_id: 1, run_at: T0, lease_owner: 'y', lease_until: T0 + 40 }),
        ]),
      );
      expect(await inTx(store, (tx) => tx.nextRunAt(T0))).toBe(T0 + 10);
      expect(await inTx(store, (tx) => tx.nextRunAt(T0, scopeOf(['wf', 1])))).toBe(T0 + 41);
      expect(await inTx(store, (tx) => tx.nextRunAt(T0, scopeOf(['wf', 3])))).toBeUndefined();
      expect(await inTx(store, (tx) => tx.nextRunAt(T0, scopeOf()))).toBeUndefined();
    });
  });
}
