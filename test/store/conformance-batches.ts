import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/model/errors.js';
import type { RunRecord, StepRecord, StoreTx } from '../../src/store/port.js';
import { inTx, newItem, newRun, simpleDefinition, T0, type GetStore } from './fixtures.js';

const step = (step_id: string, status = 'RUNNING', n = 1): StepRecord => ({
  step_id,
  status,
  attempt: 1,
  state: { n },
});

/** The forms of the run and step calls that handle many runs at once (a batch of starts or of transitions). */
export function batchConformance(store: GetStore): void {
  describe('batches of runs', () => {
    it('reserves instance ids in a row', async () => {
      await inTx(store, (tx) =>
        tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 }),
      );
      const ids = await inTx(store, async (tx) => [
        await tx.nextInstanceId('wf'),
        await tx.nextInstanceId('wf', 3),
        await tx.nextInstanceId('wf'),
        await tx.nextInstanceId('wf', 0), // locks the counter, takes nothing
        await tx.nextInstanceId('wf'),
      ]);
      expect(ids).toEqual([1, 2, 5, 6, 6]);
      await expect(inTx(store, (tx) => tx.nextInstanceId('none', 2))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('reserves instance ids of several workflows in one go, and reads several workflows and versions', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('a'), author: 'x', now: 1 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('a'), author: 'x', now: 2 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('b'), author: 'x', now: 1 });
      });
      const firsts = await inTx(store, async (tx) => [
        await tx.nextInstanceIds([
          { workflow_id: 'a', count: 2 },
          { workflow_id: 'b', count: 0 },
        ]),
        await tx.nextInstanceIds([
          { workflow_id: 'a', count: 1 },
          { workflow_id: 'b', count: 3 },
        ]),
        await tx.nextInstanceIds([]),
      ]);
      expect(firsts).toEqual([[1, 1], [3, 1], []]);
      // A missing workflow fails the call, naming it; the transaction is not committed.
      await expect(
        inTx(store, (tx) =>
          tx.nextInstanceIds([
            { workflow_id: 'a', count: 1 },
            { workflow_id: 'none', count: 1 },
          ]),
        ),
      ).rejects.toThrow(/'none'/);
      expect(await inTx(store, (tx) => tx.nextInstanceId('a', 0))).toBe(4);
      // each workflow once: a repeat is refused, not counted twice or overlapped
      await expect(
        inTx(store, (tx) =>
          tx.nextInstanceIds([
            { workflow_id: 'a', count: 1 },
            { workflow_id: 'a', count: 2 },
          ]),
        ),
      ).rejects.toThrow(/'a' twice/);
      expect(await inTx(store, (tx) => tx.nextInstanceId('a', 0))).toBe(4);

      const workflows = await inTx(store, (tx) => tx.getWorkflows(['b', 'none', 'a', 'b']));
      expect(workflows.map((w) => [w.workflow_id, w.latest_version_id, w.latest_instance_id]).sort()).toEqual(
        [
          ['a', 2, 3],
          ['b', 1, 3],
        ],
      );
      expect(await inTx(store, (tx) => tx.getWorkflows([]))).toEqual([]);
      const versions = await inTx(store, (tx) =>
        tx.getWorkflowVersions([
          { workflow_id: 'a', version_id: 2 },
          { workflow_id: 'a', version_id: 3 },
          { workflow_id: 'b', version_id: 1 },
          { workflow_id: 'a', version_id: 1 },
        ]),
      );
      expect(versions.map((v) => `${v.workflow_id}@${v.version_id}:${v.create_time}`).sort()).toEqual([
        'a@1:1',
        'a@2:2',
        'b@1:1',
      ]);
      expect(versions.find((v) => v.workflow_id === 'b')).toEqual(
        await inTx(store, (tx) => tx.getWorkflowVersion('b', 1)),
      );
      expect(await inTx(store, (tx) => tx.getWorkflowVersions([]))).toEqual([]);
    });

    it('inserts runs in one go, leaving out request ids already used, and finds them by request id', async () => {
      await inTx(store, (tx) => tx.insertRun(newRun({ instance_id: 1, request_id: 'taken' })));
      const results = await inTx(store, (tx) =>
        tx.insertRuns([
          newRun({ instance_id: 2, request_id: 'a' }),
          newRun({ instance_id: 3, request_id: 'taken' }),
          newRun({ workflow_id: 'other', instance_id: 2, request_id: 'a' }),
        ]),
      );
      expect(results.map((r) => r && `${r.workflow_id}/${r.instance_id}`)).toEqual([
        'wf/2',
        undefined,
        'other/2',
      ]);
      expect(results[0]).toEqual({
        ...newRun({ instance_id: 2, request_id: 'a' }),
        version: 1,
        modify_time: T0,
      });
      const found = await inTx(store, (tx) =>
        tx.findRunsByRequestIds(
          [
            ['wf', 'a'],
            ['wf', 'taken'],
            ['wf', 'a'],
            ['wf', 'none'],
            ['other', 'a'],
            ['other', 'taken'],
          ].map(([workflow_id, request_id]) => ({ workflow_id: workflow_id!, request_id: request_id! })),
        ),
      );
      expect(found.map((r) => `${r.workflow_id}/${r.instance_id}`).sort()).toEqual([
        'other/2',
        'wf/1',
        'wf/2',
      ]);
      expect(await inTx(store, (tx) => tx.findRunsByRequestIds([]))).toEqual([]);
      expect(await inTx(store, (tx) => tx.insertRuns([]))).toEqual([]);
    });

    it('keeps the step attempt a run belongs to (its parent), and no parent for a top-level run', async () => {
      const parent = { workflow_id: 'outer', instance_id: 3, run_id: 2, step_id: 'loop', attempt: 4 };
      const [child, top] = await inTx(store, (tx) =>
        tx.insertRuns([
          newRun({ instance_id: 1, request_id: 'child', parent }),
          newRun({ instance_id: 2, request_id: 'top' }),
        ]),
      );
      expect(child!.parent).toEqual(parent);
      expect(top).not.toHaveProperty('parent');
      const read = await inTx(store, async (tx) => [
        await tx.getRun({ workflow_id: 'wf', instance_id: 1, run_id: 1 }),
        await tx.getRun({ workflow_id: 'wf', instance_id: 2, run_id: 1 }),
        await tx.insertRun(newRun({ instance_id: 3, request_id: 'alone', parent })),
      ]);
      expect(read[0]).toEqual(child);
      expect(read[1]).toEqual(top);
      expect(read[2]!.parent).toEqual(parent);
      expect(
        (await inTx(store, (tx) => tx.findRunsByRequestIds([{ workflow_id: 'wf', request_id: 'alone' }])))[0],
      ).toEqual(read[2]);
    });

    it('lists and counts the runs of several workflows by status in one go, each with its own limit', async () => {
      await inTx(store, (tx) =>
        tx.insertRuns([
          newRun({ instance_id: 1, request_id: 'w1', status: 'IN_PROGRESS' }),
          newRun({ instance_id: 2, request_id: 'w2' }),
          newRun({ instance_id: 3, request_id: 'w3' }),
          newRun({ instance_id: 4, request_id: 'w4' }),
          newRun({ workflow_id: 'other', instance_id: 1, request_id: 'o1' }),
        ]),
      );
      const lists = await inTx(store, (tx) =>
        tx.listRunsByStatusOf(
          [
            { workflow_id: 'wf', limit: 2 },
            { workflow_id: 'none', limit: 5 },
            { workflow_id: 'other', limit: 0 },
            { workflow_id: 'other', limit: 9 },
          ],
          ['CREATED'],
        ),
      );
      expect(lists.map((l) => l.map((r) => `${r.workflow_id}/${r.instance_id}`))).toEqual([
        ['wf/2', 'wf/3'],
        [],
        [],
        ['other/1'],
      ]);
      expect(lists[0]![0]).toEqual(
        await inTx(store, (tx) => tx.getRun({ workflow_id: 'wf', instance_id: 2, run_id: 1 })),
      );
      expect(await inTx(store, (tx) => tx.listRunsByStatusOf([{ workflow_id: 'wf', limit: 3 }], []))).toEqual(
        [[]],
      );
      expect(
        await inTx(store, (tx) =>
          tx.countRunsByStatusOf(['other', 'wf', 'none', 'wf'], ['CREATED', 'IN_PROGRESS']),
        ),
      ).toEqual([1, 4, 0, 4]);
      expect(await inTx(store, (tx) => tx.countRunsByStatusOf(['wf'], ['IN_PROGRESS']))).toEqual([1]);
      expect(await inTx(store, (tx) => tx.countRunsByStatusOf([], ['CREATED']))).toEqual([]);
    });

    it('refuses a batch with a run whose key exists, storing none of it', async () => {
      await inTx(store, (tx) => tx.insertRun(newRun({ instance_id: 1, request_id: 'x' })));
      await expect(
        inTx(store, (tx) =>
          tx.insertRuns([
            newRun({ instance_id: 2, request_id: 'y' }),
            newRun({ instance_id: 1, request_id: 'z' }),
          ]),
        ),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(
        await inTx(store, (tx) =>
          tx.findRunsByRequestIds(['y', 'z'].map((request_id) => ({ workflow_id: 'wf', request_id }))),
        ),
      ).toEqual([]);
    });

    it('writes several runs and their steps at once, and reads the steps of several runs', async () => {
      const [a, b] = (await inTx(store, (tx) =>
        tx.insertRuns([newRun({ instance_id: 1 }), newRun({ instance_id: 2 })]),
      )) as RunRecord[];
      const written = await inTx(store, (tx) =>
        tx.writeRuns([
          {
            run: { ...a!, status: 'IN_PROGRESS', start_time: T0 + 1 },
            expectedVersion: 1,
            steps: [step('y'), step('x'), step('y', 'SUCCEEDED', 2)],
          },
          { run: { ...b!, status: 'SUCCEEDED', end_time: T0 + 2 }, expectedVersion: 1, steps: [] },
        ]),
      );
      expect(written.map((r) => [r.instance_id, r.status, r.version])).toEqual([
        [1, 'IN_PROGRESS', 2],
        [2, 'SUCCEEDED', 2],
      ]);
      expect(await inTx(store, (tx) => tx.getRun(a!))).toEqual(written[0]);
      expect(await inTx(store, (tx) => tx.getRun(b!))).toEqual(written[1]);
      const missing = { workflow_id: 'wf', instance_id: 9, run_id: 1 };
      expect(await inTx(store, (tx) => tx.getStepsOf([b!, a!, missing, a!]))).toEqual([
        [],
        [step('y', 'SUCCEEDED', 2), step('x')],
        [],
        [step('y', 'SUCCEEDED', 2), step('x')],
      ]);
      expect(await inTx(store, (tx) => tx.getStepsOf([]))).toEqual([]);
    });

    it('writes none of a batch when one run moved on, and says which', async () => {
      const [a, b] = (await inTx(store, (tx) =>
        tx.insertRuns([newRun({ instance_id: 1 }), newRun({ instance_id: 2 })]),
      )) as RunRecord[];
      await inTx(store, (tx) => tx.updateRun({ ...b!, status: 'IN_PROGRESS' }, 1));
      const attempt = inTx(store, (tx) =>
        tx.writeRuns([
          { run: { ...a!, status: 'IN_PROGRESS' }, expectedVersion: 1, steps: [step('s')] },
          { run: { ...b!, status: 'FAILED' }, expectedVersion: 1, steps: [step('t')] },
        ]),
      );
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toThrow('wf/2/1 is at version 2, not 1');
      expect((await inTx(store, (tx) => tx.getRun(a!)))?.status).toBe('CREATED');
      expect(await inTx(store, (tx) => tx.getStepsOf([a!, b!]))).toEqual([[], []]);
      const gone = inTx(store, (tx) =>
        tx.writeRuns([{ run: { ...a!, instance_id: 7 }, expectedVersion: 1, steps: [] }]),
      );
      await expect(gone).rejects.toBeInstanceOf(NotFoundError);
    });

    it("deletes the unleased items of runs that ended in a batch write, before adding the batch's own", async () => {
      const ended = { workflow_id: 'wf', instance_id: 1, run_id: 1 };
      const [timer, leased, other] = await inTx(store, (tx) =>
        tx.enqueue([
          newItem({ kind: 'timer', run_at: T0 + 5 }),
          newItem({ step_id: 'a', attempt: 1, lease_owner: 'w', lease_until: T0 + 100 }),
          newItem({ instance_id: 2 }),
        ]),
      );
      const [added] = await inTx(store, (tx) =>
        tx.writeBatch({ ack: [], outbox: [], ended: [ended], items: [newItem({ kind: 'admit' })] }),
      );
      const left = await inTx(store, (tx) => tx.claim('x', T0 + 1000, 1, 10));
      expect(left.map((i) => i.id).sort((a, b) => a - b)).toEqual(
        [leased!.id, other!.id, added!.id].sort((a, b) => a - b),
      );
      expect(left.some((i) => i.id === timer!.id)).toBe(false);
    });

    it("reads a workflow's rules together: its properties, breakpoints and the limits of some tags", async () => {
      const b = { workflow_id: 'wf', step_id: 'b', instance_id: 0, run_id: 0, attempt: 0 };
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'alice', step_concurrency: 7 }),
          author: 'a',
          now: 1,
        });
        await tx.setBreakpoint({ ...b, instance_id: 3, attempt: 2 });
        await tx.setBreakpoint(b);
        await tx.setBreakpoint({ ...b, step_id: 'a', run_id: 4 });
        await tx.setBreakpoint({ ...b, workflow_id: 'other' });
        await tx.setTagPermit('gpu', 2);
        await tx.setTagPermit('disk', 5);
        await tx.setTagPermit('cpu', 9);
      });
      const rules = await inTx(store, (tx) => tx.getWorkflowRules('wf', ['gpu', 'disk', 'none', 'gpu']));
      expect(rules.properties?.step_concurrency).toBe(7);
      expect(rules.breakpoints).toEqual(await inTx(store, (tx) => tx.listBreakpoints('wf')));
      expect(rules.breakpoints).toHaveLength(3);
      expect(rules.tagPermits).toEqual(await inTx(store, (tx) => tx.getTagPermits(['gpu', 'disk', 'none'])));
      expect(rules.tagPermits).toEqual([
        { tag: 'disk', max_allowed: 5 },
        { tag: 'gpu', max_allowed: 2 },
      ]);
      const none = await inTx(store, (tx) => tx.getWorkflowRules('nothing', []));
      expect(none).toEqual({ version: rules.version, breakpoints: [], tagPermits: [] });
      const several = await inTx(store, (tx) =>
        tx.getWorkflowRulesOf([
          { workflow_id: 'nothing', tags: [] },
          { workflow_id: 'wf', tags: ['gpu', 'disk', 'none', 'gpu'] },
          { workflow_id: 'other', tags: ['cpu'] },
        ]),
      );
      expect(several[0]).toEqual(none);
      expect(several[1]).toEqual(rules);
      expect(several[2]).toEqual(await inTx(store, (tx) => tx.getWorkflowRules('other', ['cpu'])));
      expect(several[2]!.tagPermits).toEqual([{ tag: 'cpu', max_allowed: 9 }]);
      expect(await inTx(store, (tx) => tx.getWorkflowRulesOf([]))).toEqual([]);
    });

    it('moves the rules version with every change of properties, breakpoints and tag permits, and reports it with run locks', async () => {
      const b = { workflow_id: 'wf', step_id: 'b', instance_id: 0, run_id: 0, attempt: 0 };
      const version = () => inTx(store, async (tx) => (await tx.getWorkflowRules('wf', [])).version);
      const seen = [await version()];
      const moved = async (change: (tx: StoreTx) => Promise<unknown>) => {
        await inTx(store, change);
        const now = await version();
        expect(now).toBeGreaterThan(seen.at(-1)!);
        seen.push(now);
      };
      const definition = simpleDefinition('wf', { owner: 'alice', step_concurrency: 7 });
      await moved((tx) => tx.insertWorkflowVersion({ request: definition, author: 'a', now: 1 }));
      await moved((tx) => tx.insertWorkflowVersion({ request: definition, author: 'a', now: 2 }));
      await moved((tx) => tx.setBreakpoint(b));
      await moved((tx) => tx.deleteBreakpoint(b));
      await moved((tx) => tx.setTagPermit('gpu', 2));
      // Nothing else moves it: runs, deleting a breakpoint that is not there.
      const run = (await inTx(store, (tx) => tx.insertRun(newRun({ workflow_id: 'wf' }))))!;
      expect(await inTx(store, (tx) => tx.deleteBreakpoint(b))).toBe(0);
      expect(await version()).toBe(seen.at(-1));
      const [locked] = await inTx(store, (tx) => tx.lockRuns([run]));
      expect(locked?.rulesVersion).toBe(seen.at(-1));
    });
  });
}
