import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/model/errors.js';
import type { RunRecord } from '../../src/store/port.js';
import { inTx, newItem, newRun, T0, type GetStore } from './fixtures.js';

export function runConformance(store: GetStore): void {
  describe('runs', () => {
    it('inserts a run at version 1 and reads it back with its JSON columns parsed', async () => {
      const run = newRun();
      const inserted = await inTx(store, (tx) => tx.insertRun(run));
      expect(inserted).toEqual({ ...run, version: 1, modify_time: T0 });
      const read = await inTx(store, (tx) => tx.getRun(run));
      expect(read).toEqual(inserted);
      // unset optional columns are absent, not undefined
      expect(read && 'start_time' in read).toBe(false);
      expect(read && 'end_time' in read).toBe(false);
    });

    it('starts a request id once per workflow', async () => {
      await inTx(store, async (tx) => {
        const first = await tx.insertRun(newRun({ request_id: 'r1' }));
        expect(await tx.insertRun(newRun({ instance_id: 2, request_id: 'r1' }))).toBeUndefined();
        expect(await tx.getRun({ workflow_id: 'wf', instance_id: 2, run_id: 1 })).toBeUndefined();
        expect(await tx.findRunByRequestId('wf', 'r1')).toEqual(first);
        expect(await tx.findRunByRequestId('wf', 'r2')).toBeUndefined();
        // the same request id in another workflow is another request
        expect(await tx.insertRun(newRun({ workflow_id: 'other', request_id: 'r1' }))).toBeDefined();
      });
    });

    it('refuses a second run with the same key as a conflict', async () => {
      await inTx(store, (tx) => tx.insertRun(newRun({ request_id: 'a' })));
      await expect(inTx(store, (tx) => tx.insertRun(newRun({ request_id: 'b' })))).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await inTx(store, (tx) => tx.findRunByRequestId('wf', 'b'))).toBeUndefined();
    });

    it('finds the latest run of an instance', async () => {
      await inTx(store, async (tx) => {
        for (const runId of [1, 3, 2]) await tx.insertRun(newRun({ run_id: runId }));
        await tx.insertRun(newRun({ instance_id: 2, run_id: 7 }));
        expect((await tx.getLatestRun('wf', 1))?.run_id).toBe(3);
        expect((await tx.getLatestRun('wf', 2))?.run_id).toBe(7);
        expect(await tx.getLatestRun('wf', 9)).toBeUndefined();
      });
    });

    it('updates a run when its version still matches, and bumps the version', async () => {
      const inserted = (await inTx(store, (tx) => tx.insertRun(newRun())))!;
      const changed: RunRecord = {
        ...inserted,
        status: 'IN_PROGRESS',
        start_time: T0 + 5,
        state: { steps: { a: 'RUNNING' } },
      };
      const updated = await inTx(store, (tx) => tx.updateRun(changed, 1));
      expect(updated).toEqual({ ...changed, version: 2, modify_time: T0 });
      expect(await inTx(store, (tx) => tx.getRun(inserted))).toEqual(updated);
      const done: RunRecord = { ...updated, status: 'SUCCEEDED', end_time: T0 + 9 };
      expect((await inTx(store, (tx) => tx.updateRun(done, 2))).version).toBe(3);
      expect(await inTx(store, (tx) => tx.getRun(inserted))).toMatchObject({
        status: 'SUCCEEDED',
        start_time: T0 + 5,
        end_time: T0 + 9,
        version: 3,
      });
    });

    it('locks runs and tells their versions, in the order asked, leaving out runs that do not exist', async () => {
      await inTx(store, async (tx) => {
        const first = (await tx.insertRun(newRun()))!;
        const second = (await tx.insertRun(newRun({ instance_id: 2 })))!;
        await tx.updateRun(second, 1);
        const missing = { workflow_id: 'wf', instance_id: 9, run_id: 1 };
        const locked = await tx.lockRuns([second, missing, first]);
        expect(locked.map((l) => [l.key.instance_id, l.version])).toEqual([
          [2, 2],
          [1, 1],
        ]);
        expect(await tx.lockRuns([])).toEqual([]);
      });
    });

    it('never changes identity fields on update', async () => {
      const inserted = (await inTx(store, (tx) => tx.insertRun(newRun({ request_id: 'keep' }))))!;
      await inTx(store, (tx) => tx.updateRun({ ...inserted, request_id: 'changed', create_time: 1 }, 1));
      expect(await inTx(store, (tx) => tx.getRun(inserted))).toMatchObject({
        request_id: 'keep',
        create_time: inserted.create_time,
      });
    });

    it('throws ConflictError on a stale version, and the losing write changes nothing', async () => {
      const inserted = (await inTx(store, (tx) => tx.insertRun(newRun())))!;
      await inTx(store, (tx) => tx.updateRun({ ...inserted, status: 'IN_PROGRESS' }, 1));
      const lost = inTx(store, async (tx) => {
        await tx.enqueue([newItem()]);
        await tx.appendOutbox([{ type: 'lost', payload: {}, create_time: T0 }]);
        return tx.updateRun({ ...inserted, status: 'FAILED' }, 1);
      });
      await expect(lost).rejects.toBeInstanceOf(ConflictError);
      await inTx(store, async (tx) => {
        expect(await tx.getRun(inserted)).toMatchObject({ status: 'IN_PROGRESS', version: 2 });
        expect(await tx.claim('w', T0, 1000, 10)).toEqual([]);
        expect(await tx.readOutbox(0, 10)).toEqual([]);
      });
    });

    it('refuses to update a run that does not exist', async () => {
      await expect(
        inTx(store, (tx) => tx.updateRun({ ...newRun(), version: 1, modify_time: T0 }, 1)),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists runs in some statuses oldest first, up to a limit, and counts them', async () => {
      await inTx(store, async (tx) => {
        const keys: [number, number, 'CREATED' | 'IN_PROGRESS' | 'SUCCEEDED'][] = [
          [3, 1, 'CREATED'],
          [1, 2, 'IN_PROGRESS'],
          [2, 1, 'CREATED'],
          [1, 1, 'SUCCEEDED'],
          [4, 1, 'CREATED'],
        ];
        for (const [instance, runId, status] of keys)
          await tx.insertRun(newRun({ instance_id: instance, run_id: runId, status }));
        await tx.insertRun(newRun({ workflow_id: 'other', status: 'CREATED' }));
        const order = (runs: RunRecord[]): string[] => runs.map((r) => `${r.instance_id}.${r.run_id}`);
        expect(order(await tx.listRunsByStatus('wf', ['CREATED', 'IN_PROGRESS'], 10))).toEqual([
          '1.2',
          '2.1',
          '3.1',
          '4.1',
        ]);
        expect(order(await tx.listRunsByStatus('wf', ['CREATED'], 2))).toEqual(['2.1', '3.1']);
        expect(order(await tx.listRunsByStatus('wf', ['CREATED', 'IN_PROGRESS'], 2))).toEqual(['1.2', '2.1']);
        expect(order(await tx.listRunsByStatus('wf', ['CREATED', 'CREATED'], 10))).toEqual([
          '2.1',
          '3.1',
          '4.1',
        ]);
        expect(await tx.listRunsByStatus('wf', ['PAUSED'], 10)).toEqual([]);
        expect(await tx.listRunsByStatus('wf', [], 10)).toEqual([]);
        expect(await tx.countRunsByStatus('wf', ['CREATED'])).toBe(3);
        expect(await tx.countRunsByStatus('wf', ['CREATED', 'SUCCEEDED', 'IN_PROGRESS'])).toBe(5);
        expect(await tx.countRunsByStatus('wf', [])).toBe(0);
        expect(await tx.countRunsByStatus('none', ['CREATED'])).toBe(0);
      });
    });

    describe('steps', () => {
      it('keeps one row per step of a run, replaced in place, in the order first written', async () => {
        const key = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
        const other = { ...key, run_id: 2 };
        await inTx(store, async (tx) => {
          expect(await tx.getSteps(key)).toEqual([]);
          await tx.putSteps(key, [
            { step_id: 'b', status: 'RUNNING', attempt: 1, state: { n: 1 } },
            { step_id: 'a', status: 'RUNNING', attempt: 1, state: { n: 2 } },
          ]);
          await tx.putSteps(other, [{ step_id: 'a', status: 'SUCCEEDED', attempt: 1, state: {} }]);
          await tx.putSteps(key, [
            { step_id: 'b', status: 'USER_FAILED', attempt: 2, state: { n: 3, nested: { x: [1] } } },
          ]);
        });
        expect(await inTx(store, (tx) => tx.getSteps(key))).toEqual([
          { step_id: 'b', status: 'USER_FAILED', attempt: 2, state: { n: 3, nested: { x: [1] } } },
          { step_id: 'a', status: 'RUNNING', attempt: 1, state: { n: 2 } },
        ]);
        expect(await inTx(store, (tx) => tx.getSteps(other))).toEqual([
          { step_id: 'a', status: 'SUCCEEDED', attempt: 1, state: {} },
        ]);
      });

      it('rolls step writes back with their transaction', async () => {
        const key = { workflow_id: 'wf', instance_id: 9, run_id: 1 };
        await expect(
          store().transact(async (tx) => {
            await tx.putSteps(key, [{ step_id: 'a', status: 'RUNNING', attempt: 1, state: {} }]);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await inTx(store, (tx) => tx.getSteps(key))).toEqual([]);
      });
    });

    describe('permits', () => {
      const h = (step_id: string, attempt = 1) => ({
        workflow_id: 'wf',
        instance_id: 1,
        run_id: 1,
        step_id,
        attempt,
      });

      it('grants up to the limit, queues the rest first come first served, and lets them in on release', async () => {
        await inTx(store, async (tx) => {
          const limit = [{ key: 'workflow:wf', limit: 2 }];
          expect(await tx.acquirePermits(h('a'), limit, T0)).toBe(true);
          expect(await tx.acquirePermits(h('b'), limit, T0)).toBe(true);
          expect(await tx.acquirePermits(h('c'), limit, T0)).toBe(false);
          expect(await tx.acquirePermits(h('d'), limit, T0)).toBe(false);
          expect(await tx.grantWaiting(['workflow:wf'])).toEqual([]);
          expect(await tx.releasePermits([h('a')])).toEqual(['workflow:wf']);
          expect(await tx.grantWaiting(['workflow:wf'])).toEqual([h('c')]);
          await tx.releasePermits([h('b')]);
          expect(await tx.grantWaiting(['workflow:wf'])).toEqual([h('d')]);
          expect(await tx.acquirePermits(h('e'), limit, T0)).toBe(false);
          // a waiter that leaves held nothing, but names the key it waited for: someone behind it may fit now
          expect(await tx.releasePermits([h('e')])).toEqual(['workflow:wf']);
          expect(await tx.permitState(['workflow:wf'])).toEqual({
            'workflow:wf': { held: 2, waiting: false },
          });
        });
      });

      it('queues holders behind those already waiting, and lets them in by grantWaiting in order', async () => {
        await inTx(store, async (tx) => {
          const one = [{ key: 'k', limit: 2 }];
          const both = [
            { key: 'k', limit: 2 },
            { key: 'gpu', limit: 1 },
          ];
          await tx.holdPermits([{ holder: h('gpu-user'), permits: [{ key: 'gpu', limit: 1 }] }], T0);
          // queued without looking for room, in this order
          expect(
            await tx.queueForPermits(
              [
                { holder: h('a'), permits: one },
                { holder: h('b'), permits: both },
                { holder: h('c'), permits: one },
              ],
              T0,
            ),
          ).toEqual([]);
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 0, waiting: true } });
          // a is let in; b waits for the gpu, and c, behind b, waits too (first come, first served)
          expect(await tx.grantWaiting(['k'])).toEqual([h('a')]);
          expect(await tx.releasePermits([h('gpu-user')])).toEqual(['gpu']);
          expect(await tx.grantWaiting(['gpu', 'k'])).toEqual([h('b')]);
          expect(await tx.permitState(['k', 'gpu'])).toEqual({
            k: { held: 2, waiting: true },
            gpu: { held: 1, waiting: false },
          });
          await tx.releasePermits([h('a')]);
          expect(await tx.grantWaiting(['k'])).toEqual([h('c')]);
          // queueing again gives up what the holder held
          expect(await tx.queueForPermits([{ holder: h('c'), permits: one }], T0)).toEqual(['k']);
        });
      });

      it('lets the line move on when the waiter at its head leaves', async () => {
        await inTx(store, async (tx) => {
          await tx.holdPermits([{ holder: h('x-user'), permits: [{ key: 'X', limit: 1 }] }], T0);
          const xt = [
            { key: 'X', limit: 1 },
            { key: 'T', limit: 1 },
          ];
          expect(await tx.acquirePermits(h('w1'), xt, T0)).toBe(false); // X is full
          // w2 sees someone waiting for T and gets in line behind w1 (as the engine does)
          expect(await tx.permitState(['T'])).toEqual({ T: { held: 0, waiting: true } });
          await tx.queueForPermits([{ holder: h('w2'), permits: [{ key: 'T', limit: 1 }] }], T0);
          expect(await tx.grantWaiting(['T'])).toEqual([]); // w1 still blocks the line
          const keys = await tx.releasePermits([h('w1')]); // w1's run was stopped
          expect(keys.sort()).toEqual(['T', 'X']);
          expect(await tx.grantWaiting(keys)).toEqual([h('w2')]);
        });
      });

      it('lets in a long line a page at a time', async () => {
        await inTx(store, async (tx) => {
          const line = Array.from({ length: 600 }, (_, i) => ({
            holder: h(`s${String(i).padStart(3, '0')}`),
            permits: [{ key: 'wide', limit: 550 }],
          }));
          await tx.queueForPermits(line, T0);
          const granted = await tx.grantWaiting(['wide']);
          expect(granted).toEqual(line.slice(0, 550).map((l) => l.holder));
          expect(await tx.permitState(['wide'])).toEqual({ wide: { held: 550, waiting: true } });
        });
      });

      it('releases several holders at once, naming each key they held once', async () => {
        await inTx(store, async (tx) => {
          const limit = [{ key: 'workflow:wf', limit: 2 }];
          const tag = [{ key: 'tag:gpu', limit: 5 }];
          await tx.acquirePermits(h('a'), [...limit, ...tag], T0);
          await tx.acquirePermits(h('b'), limit, T0);
          expect(await tx.acquirePermits(h('c'), limit, T0)).toBe(false);
          expect((await tx.releasePermits([h('a'), h('b'), h('c')])).sort()).toEqual([
            'tag:gpu',
            'workflow:wf',
          ]);
          expect(await tx.permitState(['workflow:wf', 'tag:gpu'])).toEqual({
            'workflow:wf': { held: 0, waiting: false },
            'tag:gpu': { held: 0, waiting: false },
          });
          expect(await tx.releasePermits([])).toEqual([]);
        });
      });

      it('takes all keys or none', async () => {
        await inTx(store, async (tx) => {
          expect(await tx.acquirePermits(h('a'), [{ key: 'tag:gpu', limit: 1 }], T0)).toBe(true);
          const both = [
            { key: 'workflow:wf', limit: 5 },
            { key: 'tag:gpu', limit: 1 },
          ];
          expect(await tx.acquirePermits(h('b'), both, T0)).toBe(false);
          expect(await tx.acquirePermits(h('c'), [{ key: 'workflow:wf', limit: 5 }], T0)).toBe(true);
          await tx.releasePermits([h('a')]);
          expect(await tx.grantWaiting(['tag:gpu'])).toEqual([h('b')]);
        });
      });

      it('tells how full keys are, and takes permits seen free', async () => {
        await inTx(store, async (tx) => {
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 0, waiting: false } });
          await tx.holdPermits([{ holder: h('a'), permits: [{ key: 'k', limit: 1 }] }], T0);
          expect(await tx.acquirePermits(h('b'), [{ key: 'k', limit: 1 }], T0)).toBe(false);
          expect(await tx.permitState(['k', 'other'])).toEqual({
            k: { held: 1, waiting: true },
            other: { held: 0, waiting: false },
          });
          expect(await tx.releasePermits([h('a')])).toEqual(['k']);
          expect(await tx.grantWaiting(['k'])).toEqual([h('b')]);
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 1, waiting: false } });
        });
      });

      it('keeps tag permits', async () => {
        await inTx(store, async (tx) => {
          await tx.setTagPermit('gpu', 2);
          await tx.setTagPermit('gpu', 3);
          await tx.setTagPermit('db', 1);
          expect(await tx.getTagPermits(['gpu', 'db', 'none'])).toEqual([
            { tag: 'db', max_allowed: 1 },
            { tag: 'gpu', max_allowed: 3 },
          ]);
          expect(await tx.getTagPermits([])).toEqual([]);
        });
      });
    });

    describe('breakpoints', () => {
      it('are kept per workflow, once each, and can be deleted', async () => {
        const b = { workflow_id: 'wf', step_id: 'a', instance_id: 0, run_id: 0, attempt: 0 };
        await inTx(store, async (tx) => {
          await tx.setBreakpoint(b);
          await tx.setBreakpoint(b);
          await tx.setBreakpoint({ ...b, step_id: 'b', instance_id: 3 });
          await tx.setBreakpoint({ ...b, workflow_id: 'other' });
          expect(await tx.listBreakpoints('wf')).toEqual([b, { ...b, step_id: 'b', instance_id: 3 }]);
          expect(await tx.deleteBreakpoint(b)).toBe(1);
          expect(await tx.deleteBreakpoint(b)).toBe(0);
          expect(await tx.listBreakpoints('wf')).toEqual([{ ...b, step_id: 'b', instance_id: 3 }]);
        });
      });
    });
  });
}
