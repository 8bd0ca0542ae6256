// What one transaction reads once for `decide`: a workflow's rules (properties, breakpoints, tag limits).
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createTxLookups, type RulesCache } from '../../src/engine/tx-lookups.js';
import { allSteps, type Workflow } from '../../src/model/definition.js';
import type { StoreTx } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

/** A run's tree of runs as the committer gives it: its correlation id and its definition's limit. */
const treeOf = (workflow: Workflow, correlation: string) => ({
  correlation,
  limit: workflow.instance_step_concurrency,
});

const version = (tag: string): Workflow => {
  const parsed = parseDefinition({
    properties: { owner: 'o', step_concurrency: 3 },
    workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp', tags: [tag] } }] },
  });
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.workflow.workflow;
};

describe('transaction lookups', () => {
  it("applies the tag limits of every version of a workflow seen in one transaction, not only the first's", async () => {
    const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
    try {
      const [v1, v2] = [version('gpu'), version('disk')];
      await store.transact(async (tx) => {
        await tx.insertWorkflowVersion({
          request: parseDefinition({
            properties: { owner: 'o', step_concurrency: 3 },
            workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
          }).workflow!,
          author: 'a',
          now: 1,
        });
        await tx.setTagPermit('gpu', 1);
        await tx.setTagPermit('disk', 2);
      });
      const requests = await store.transact(async (tx) => {
        const lookups = createTxLookups(tx);
        const first = (await lookups.permitsOf('wf', v1, treeOf(v1, 'wf:1:1')))([...allSteps(v1.steps)][0]!);
        const second = (await lookups.permitsOf('wf', v2, treeOf(v2, 'wf:2:1')))([...allSteps(v2.steps)][0]!);
        return [first, second];
      });
      expect(requests).toEqual([
        [
          { key: 'workflow:wf', limit: 3 },
          { key: 'tag:gpu', limit: 1 },
        ],
        [
          { key: 'workflow:wf', limit: 3 },
          { key: 'tag:disk', limit: 2 },
        ],
      ]);
    } finally {
      await store.close();
    }
  });

  it('reads what a prefetch started only once, and a failed prefetch fails the lookup that needs it', async () => {
    const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
    try {
      const plain = parseDefinition({
        properties: { owner: 'o', step_concurrency: 3 },
        workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
      }).workflow!;
      await store.transact((tx) => tx.insertWorkflowVersion({ request: plain, author: 'a', now: 1 }));
      const reads: string[] = [];
      const step = [...allSteps(plain.workflow.steps)][0]!;
      const free = await store.transact(async (tx) => {
        const counted = new Proxy(tx, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (name !== 'getWorkflowRules' && name !== 'getWorkflowRulesOf' && name !== 'permitState')
              return value;
            return (...args: unknown[]) => {
              reads.push(name);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        const lookups = createTxLookups(counted);
        lookups.prefetch([
          { workflowId: 'wf', workflow: plain.workflow, tree: treeOf(plain.workflow, 'wf:1:1') },
        ]);
        const permits = (await lookups.permitsOf('wf', plain.workflow, treeOf(plain.workflow, 'wf:1:1')))(
          step,
        );
        const state = await lookups.permitStates('wf', plain.workflow, treeOf(plain.workflow, 'wf:1:1'));
        return permits.every((p) => {
          const s = state(p.key);
          return s !== undefined && !s.waiting && s.held < p.limit;
        });
      });
      expect(free).toBe(true);
      expect(reads).toEqual(['getWorkflowRulesOf', 'permitState']);

      const boom = new Error('rules unreadable');
      await store.transact(async (tx) => {
        const failing = new Proxy(tx, {
          get: (target, name, receiver) =>
            name === 'getWorkflowRules' || name === 'getWorkflowRulesOf'
              ? () => Promise.reject(boom)
              : Reflect.get(target, name, receiver),
        });
        const lookups = createTxLookups(failing);
        lookups.prefetch([
          { workflowId: 'wf', workflow: plain.workflow, tree: treeOf(plain.workflow, 'wf:1:1') },
        ]); // no unhandled rejection
        await expect(lookups.permitsOf('wf', plain.workflow, treeOf(plain.workflow, 'wf:1:1'))).rejects.toBe(
          boom,
        );
      });
    } finally {
      await store.close();
    }
  });

  it('reuses rules read in an earlier transaction while the rules version holds, and reads them again once it moves', async () => {
    const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
    try {
      const plain = parseDefinition({
        properties: { owner: 'o', step_concurrency: 3 },
        workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
      }).workflow!;
      await store.transact((tx) => tx.insertWorkflowVersion({ request: plain, author: 'a', now: 1 }));
      const cache: RulesCache = new Map();
      const reads: string[] = [];
      const counted = (tx: StoreTx): StoreTx =>
        new Proxy(tx, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (name !== 'getWorkflowRules' && name !== 'getWorkflowRulesOf') return value;
            return (...args: unknown[]) => {
              reads.push(name);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
      /** A transition's view: the rules version from the run lock, then whether step `a` of run 1 pauses. */
      const pausesA = (version?: number) =>
        store.transact(async (tx) => {
          const lookups = createTxLookups(counted(tx), cache);
          if (version !== undefined) lookups.rulesVersionIs(version);
          lookups.prefetch([
            { workflowId: 'wf', workflow: plain.workflow, tree: treeOf(plain.workflow, 'wf:1:1') },
          ]);
          const run = { workflow_id: 'wf', instance_id: 1, run_id: 1 } as Parameters<
            typeof lookups.breakpointsOf
          >[0];
          return (await lookups.breakpointsOf(run, plain.workflow))('a', 1);
        });
      const rulesVersion = () => store.transact(async (tx) => (await tx.getWorkflowRules('wf', [])).version);

      expect(await pausesA()).toBe(false); // no version known (no run lock): read, and cached
      expect(reads).toHaveLength(1);
      const v1 = await rulesVersion();
      expect(await pausesA(v1)).toBe(false); // same version: no statement
      expect(await pausesA(v1)).toBe(false);
      expect(reads).toHaveLength(1);

      await store.transact((tx) =>
        tx.setBreakpoint({ workflow_id: 'wf', step_id: 'a', instance_id: 0, run_id: 0, attempt: 0 }),
      );
      const v2 = await rulesVersion();
      expect(v2).toBeGreaterThan(v1);
      expect(await pausesA(v2)).toBe(true); // the version moved: read again, the breakpoint is seen
      expect(reads).toHaveLength(2);
      expect(await pausesA(v2)).toBe(true);
      expect(reads).toHaveLength(2);

      await store.transact((tx) => tx.setTagPermit('gpu', 1));
      expect(await rulesVersion()).toBeGreaterThan(v2);
    } finally {
      await store.close();
    }
  });
});
