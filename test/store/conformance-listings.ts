import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/model/errors.js';
import type { WorkflowInstanceStatus } from '../../src/model/status.js';
import type { Breakpoint, Page, RunRecord, StoreTx } from '../../src/store/port.js';
import { inTx, newRun, simpleDefinition, T0, type GetStore } from './fixtures.js';

const ids = <R>(page: Page<R>, id: (r: R) => unknown) => ({ rows: page.rows.map(id), hasMore: page.hasMore });
const runKeys = (page: Page<RunRecord>) => ids(page, (r) => `${r.instance_id}/${r.run_id}:${r.status}`);

/** Instances 1..6 of 'wf': 2 restarted (run 1 FAILED, run 2 SUCCEEDED), 5 restarted twice (runs 1, 2 STOPPED, 3 queued). */
async function instances(tx: StoreTx): Promise<void> {
  const runs: [number, number, WorkflowInstanceStatus][] = [
    [1, 1, 'SUCCEEDED'],
    [2, 1, 'FAILED'],
    [3, 1, 'IN_PROGRESS'],
    [4, 1, 'FAILED'],
    [5, 1, 'STOPPED'],
    [6, 1, 'CREATED'],
  ];
  // the first runs in one batch (the start path), the restarts one by one (the restart path)
  await tx.insertRuns(runs.map(([i, r, status]) => newRun({ instance_id: i, run_id: r, status })));
  await tx.insertRun(newRun({ instance_id: 2, run_id: 2, status: 'SUCCEEDED' }));
  await tx.insertRun(newRun({ instance_id: 5, run_id: 2, status: 'STOPPED' }));
  await tx.insertRuns([newRun({ instance_id: 5, run_id: 3, status: 'CREATED' })]);
  await tx.insertRun(newRun({ workflow_id: 'other', instance_id: 7, status: 'FAILED' }));
}

export function listingConformance(store: GetStore): void {
  describe('listings', () => {
    it('pages workflows by id both ways, with their version ids, leaving deleted ones out', async () => {
      await inTx(store, async (tx) => {
        for (const id of ['b', 'a', 'e', 'c', 'd', 'f'])
          await tx.insertWorkflowVersion({ request: simpleDefinition(id), author: 'x', now: 1 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('c'), author: 'x', now: 2 });
        await tx.markWorkflowDeleted('f', 3);
        const id = (w: { workflow_id: string }) => w.workflow_id;
        expect(ids(await tx.listWorkflows({ first: 2 }), id)).toEqual({ rows: ['a', 'b'], hasMore: true });
        expect(ids(await tx.listWorkflows({ first: 2, after: 'b' }), id)).toEqual({
          rows: ['c', 'd'],
          hasMore: true,
        });
        expect(ids(await tx.listWorkflows({ first: 2, after: 'd' }), id)).toEqual({
          rows: ['e'],
          hasMore: false,
        });
        expect(ids(await tx.listWorkflows({ last: 2 }), id)).toEqual({ rows: ['d', 'e'], hasMore: true });
        expect(ids(await tx.listWorkflows({ last: 2, before: 'c' }), id)).toEqual({
          rows: ['a', 'b'],
          hasMore: false,
        });
        expect(ids(await tx.listWorkflows({ first: 9, after: 'e' }), id)).toEqual({
          rows: [],
          hasMore: false,
        });
        const [c] = (await tx.listWorkflows({ first: 1, after: 'b' })).rows;
        expect(c).toEqual(await tx.getWorkflow('c'));
        expect(c).toMatchObject({ latest_version_id: 2, active_version_id: 2 });
      });
    });

    it('pages the versions of a workflow newest first, both ways', async () => {
      await inTx(store, async (tx) => {
        for (let v = 1; v <= 5; v++)
          await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: `a${v}`, now: v });
        await tx.insertWorkflowVersion({ request: simpleDefinition('other'), author: 'z', now: 9 });
        const v = (r: { version_id: number }) => r.version_id;
        expect(ids(await tx.listVersions('wf', { first: 2 }), v)).toEqual({ rows: [5, 4], hasMore: true });
        expect(ids(await tx.listVersions('wf', { first: 2, after: 4 }), v)).toEqual({
          rows: [3, 2],
          hasMore: true,
        });
        expect(ids(await tx.listVersions('wf', { first: 2, after: 2 }), v)).toEqual({
          rows: [1],
          hasMore: false,
        });
        expect(ids(await tx.listVersions('wf', { last: 2 }), v)).toEqual({ rows: [2, 1], hasMore: true });
        expect(ids(await tx.listVersions('wf', { last: 2, before: 2 }), v)).toEqual({
          rows: [4, 3],
          hasMore: true,
        });
        expect(ids(await tx.listVersions('wf', { last: 2, before: 4 }), v)).toEqual({
          rows: [5],
          hasMore: false,
        });
        expect((await tx.listVersions('wf', { first: 1 })).rows[0]).toEqual(
          await tx.getWorkflowVersion('wf', 5),
        );
        expect(await tx.listVersions('nope', { first: 5 })).toEqual({ rows: [], hasMore: false });
      });
    });

    it('lists instances newest first, each as its latest run', async () => {
      await inTx(store, async (tx) => {
        await instances(tx);
        expect(runKeys(await tx.listInstances('wf', { first: 3 }))).toEqual({
          rows: ['6/1:CREATED', '5/3:CREATED', '4/1:FAILED'],
          hasMore: true,
        });
        expect(runKeys(await tx.listInstances('wf', { first: 3, after: 4 }))).toEqual({
          rows: ['3/1:IN_PROGRESS', '2/2:SUCCEEDED', '1/1:SUCCEEDED'],
          hasMore: false,
        });
        expect(runKeys(await tx.listInstances('wf', { last: 2 }))).toEqual({
          rows: ['2/2:SUCCEEDED', '1/1:SUCCEEDED'],
          hasMore: true,
        });
        expect(runKeys(await tx.listInstances('wf', { last: 4, before: 2 }))).toEqual({
          rows: ['6/1:CREATED', '5/3:CREATED', '4/1:FAILED', '3/1:IN_PROGRESS'],
          hasMore: false,
        });
        const [latest] = (await tx.listInstances('wf', { first: 1, after: 3 })).rows;
        expect(latest).toEqual(await tx.getRun({ workflow_id: 'wf', instance_id: 2, run_id: 2 }));
      });
    });

    it('filters instances by the status of their latest run, and follows status changes', async () => {
      await inTx(store, async (tx) => {
        await instances(tx);
        // instance 2's first run FAILED, but its latest SUCCEEDED: only instance 4 is FAILED
        expect(runKeys(await tx.listInstances('wf', { first: 5 }, ['FAILED']))).toEqual({
          rows: ['4/1:FAILED'],
          hasMore: false,
        });
        expect(runKeys(await tx.listInstances('wf', { first: 2 }, ['SUCCEEDED', 'CREATED']))).toEqual({
          rows: ['6/1:CREATED', '5/3:CREATED'],
          hasMore: true,
        });
        expect(
          runKeys(await tx.listInstances('wf', { first: 2, after: 5 }, ['SUCCEEDED', 'CREATED'])),
        ).toEqual({
          rows: ['2/2:SUCCEEDED', '1/1:SUCCEEDED'],
          hasMore: false,
        });
        expect(runKeys(await tx.listInstances('wf', { last: 1 }, ['CREATED', 'SUCCEEDED']))).toEqual({
          rows: ['1/1:SUCCEEDED'],
          hasMore: true,
        });
        expect((await tx.listInstances('wf', { first: 5 }, ['PAUSED'])).rows).toEqual([]);
        // a run's status written the usual way moves it from one filter to the other
        const run = (await tx.getRun({ workflow_id: 'wf', instance_id: 3, run_id: 1 }))!;
        await tx.writeRuns([
          { run: { ...run, status: 'FAILED', end_time: T0 }, expectedVersion: 1, steps: [] },
        ]);
        expect(runKeys(await tx.listInstances('wf', { first: 5 }, ['FAILED'])).rows).toEqual([
          '4/1:FAILED',
          '3/1:FAILED',
        ]);
        expect((await tx.listInstances('wf', { first: 5 }, ['IN_PROGRESS'])).rows).toEqual([]);
      });
    });

    it('keeps the highest run the latest whatever order runs are inserted in', async () => {
      await inTx(store, async (tx) => {
        for (const runId of [1, 3, 2]) await tx.insertRun(newRun({ run_id: runId, status: 'STOPPED' }));
        expect(runKeys(await tx.listInstances('wf', { first: 5 })).rows).toEqual(['1/3:STOPPED']);
        expect(await tx.countInstancesByStatus('wf')).toEqual({ STOPPED: 1 });
      });
    });

    it('counts instances by the status of their latest run', async () => {
      await inTx(store, async (tx) => {
        await instances(tx);
        expect(await tx.countInstancesByStatus('wf')).toEqual({
          SUCCEEDED: 2,
          FAILED: 1,
          IN_PROGRESS: 1,
          CREATED: 2,
        });
        expect(await tx.countInstancesByStatus('nope')).toEqual({});
      });
    });

    it('pages the runs of an instance oldest first, both ways', async () => {
      await inTx(store, async (tx) => {
        await instances(tx);
        const five = { workflow_id: 'wf', instance_id: 5 };
        const r = (run: RunRecord) => run.run_id;
        expect(ids(await tx.listRuns(five, { first: 2 }), r)).toEqual({ rows: [1, 2], hasMore: true });
        expect(ids(await tx.listRuns(five, { first: 2, after: 2 }), r)).toEqual({
          rows: [3],
          hasMore: false,
        });
        expect(ids(await tx.listRuns(five, { last: 2 }), r)).toEqual({ rows: [2, 3], hasMore: true });
        expect(ids(await tx.listRuns(five, { last: 2, before: 2 }), r)).toEqual({
          rows: [1],
          hasMore: false,
        });
        expect((await tx.listRuns(five, { first: 1 })).rows[0]).toEqual(
          await tx.getRun({ ...five, run_id: 1 }),
        );
      });
    });

    it('pages tag permits by tag', async () => {
      await inTx(store, async (tx) => {
        for (const [tag, max] of [
          ['b', 2],
          ['a', 1],
          ['c', 3],
        ] as const)
          await tx.setTagPermit(tag, max);
        expect(await tx.listTagPermits({ first: 2 })).toEqual({
          rows: [
            { tag: 'a', max_allowed: 1 },
            { tag: 'b', max_allowed: 2 },
          ],
          hasMore: true,
        });
        expect(await tx.listTagPermits({ first: 2, after: 'b' })).toEqual({
          rows: [{ tag: 'c', max_allowed: 3 }],
          hasMore: false,
        });
      });
    });

    it('finds breakpoints across workflows, by workflow and by step, a page at a time', async () => {
      const bp = (workflow_id: string, step_id: string, instance_id = 0): Breakpoint => ({
        workflow_id,
        step_id,
        instance_id,
        run_id: 0,
        attempt: 0,
      });
      const all = [
        bp('a', 's1'),
        bp('a', 's2'),
        bp('a', 's2', 3),
        bp('b', 's1'),
        bp('b', 's2'),
        bp('c', 's2'),
      ];
      await inTx(store, async (tx) => {
        for (const b of [...all].reverse()) await tx.setBreakpoint(b);
        expect(await tx.findBreakpoints({}, { first: 10 })).toEqual({ rows: all, hasMore: false });
        const first = await tx.findBreakpoints({}, { first: 4 });
        expect(first).toEqual({ rows: all.slice(0, 4), hasMore: true });
        expect(await tx.findBreakpoints({}, { first: 4, after: first.rows[3]! })).toEqual({
          rows: all.slice(4),
          hasMore: false,
        });
        expect((await tx.findBreakpoints({ workflow_id: 'b' }, { first: 10 })).rows).toEqual(all.slice(3, 5));
        expect(await tx.findBreakpoints({ workflow_id: 'a', step_id: 's2' }, { first: 1 })).toEqual({
          rows: [all[1]],
          hasMore: true,
        });
        expect(
          await tx.findBreakpoints({ workflow_id: 'a', step_id: 's2' }, { first: 5, after: all[1]! }),
        ).toEqual({ rows: [all[2]], hasMore: false });
        expect((await tx.findBreakpoints({ step_id: 's2' }, { first: 10 })).rows).toEqual([
          all[1],
          all[2],
          all[4],
          all[5],
        ]);
        expect((await tx.findBreakpoints({ workflow_id: 'nope' }, { first: 10 })).rows).toEqual([]);
      });
    });

    it('refuses a page size outside 1..1000 with the field it came from, reading nothing', async () => {
      await inTx(store, async (tx) => {
        for (const bad of [{ first: 0 }, { first: 1001 }, { first: 2.5 }, { first: Number.NaN }])
          await expect(tx.listWorkflows(bad)).rejects.toThrow(ValidationError);
        await expect(tx.listVersions('wf', { last: -1 })).rejects.toThrow(/`last` must be a whole number/);
        const both = { first: 1, last: 1 } as unknown as { first: number };
        await expect(tx.listRuns({ workflow_id: 'wf', instance_id: 1 }, both)).rejects.toThrow(/not both/);
      });
    });
  });
}
