// STRICT_SEQUENTIAL admission on a real store (SQLite, and PostgreSQL when BATON_TEST_PG_URL is set) with a long
// history of failures: whichever FAILED run still holds the queue is seen, however many came before.
import { afterEach, describe, expect, it } from 'vitest';
import { admitWorkflow, admitWorkflows } from '../../src/engine/run-strategy.js';
import { simpleDefinition } from '../store/fixtures.js';
import type { RunKey, RunRecord, Store, StoreTx } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const key = (instance_id: number): RunKey => ({ workflow_id: 'wf', instance_id, run_id: 1 });

/** Instances `from` … `from + count - 1` of `wf`, in `status`. */
async function runs(tx: StoreTx, from: number, count: number, status: 'FAILED' | 'CREATED'): Promise<void> {
  for (let i = 0; i < count; i += 200) {
    await tx.insertRuns(
      Array.from({ length: Math.min(200, count - i) }, (_, j) => ({
        ...key(from + i + j),
        version_id: 1,
        request_id: `r${from + i + j}`,
        status,
        correlation_id: 'c',
        initiator: { type: 'MANUAL' },
        state: { params: {}, steps: {} },
        create_time: from + i + j,
      })),
    );
  }
}

/** The runs one admission lets in. */
async function admitted(store: Store): Promise<number[]> {
  let started: readonly RunRecord[] = [];
  await store.transact(async (tx) => {
    await tx.lockAdmissions(['wf']);
    started = (await admitWorkflow(tx, 'wf')).runs;
  });
  return started.map((r) => r.instance_id);
}

describe.each(ADAPTERS)('STRICT_SEQUENTIAL admission on %s', (_name, openStore) => {
  it('holds the queue for the newest of more than 1,000 failures, and opens it once that one is unblocked', async () => {
    const store = await openStore();
    open.push(store);
    await store.transact(async (tx) => {
      await tx.insertWorkflowVersion({
        request: simpleDefinition('wf', { owner: 'alice', run_strategy: { rule: 'STRICT_SEQUENTIAL' } }),
        author: 'a',
        now: 1,
      });
      await runs(tx, 1, 1_050, 'FAILED');
      for (let i = 1; i <= 1_050; i++) await tx.unblockRun(key(i));
      await runs(tx, 1_051, 1, 'FAILED'); // the newest failure, neither unblocked nor restarted
      await runs(tx, 1_052, 1, 'CREATED');
    });
    expect(await admitted(store)).toEqual([]);
    await store.transact((tx) => tx.unblockRun(key(1_051)));
    expect(await admitted(store)).toEqual([1_052]);
  });

  it('admits several workflows in one go, each as its own run strategy says', async () => {
    const store = await openStore();
    open.push(store);
    const run = (workflow_id: string, instance_id: number, status: 'CREATED' | 'IN_PROGRESS') => ({
      workflow_id,
      instance_id,
      run_id: 1,
      version_id: 1,
      request_id: `${workflow_id}-${instance_id}`,
      status,
      correlation_id: 'c',
      initiator: { type: 'MANUAL' },
      state: { params: {}, steps: {} },
      create_time: instance_id,
    });
    await store.transact(async (tx) => {
      const push = (id: string, run_strategy: unknown) =>
        tx.insertWorkflowVersion({
          request: simpleDefinition(id, { owner: 'a', run_strategy } as never),
          author: 'a',
          now: 1,
        });
      await push('par', { rule: 'PARALLEL', workflow_concurrency: 3 });
      await push('seq', { rule: 'SEQUENTIAL' });
      await push('busy', { rule: 'SEQUENTIAL' });
      await push('paused', { rule: 'PARALLEL', workflow_concurrency: 0 });
      await tx.insertRuns([
        run('par', 1, 'IN_PROGRESS'),
        ...[2, 3, 4, 5].map((i) => run('par', i, 'CREATED')),
        run('seq', 1, 'CREATED'),
        run('seq', 2, 'CREATED'),
        run('busy', 1, 'IN_PROGRESS'),
        run('busy', 2, 'CREATED'),
        run('paused', 1, 'CREATED'),
      ]);
    });
    const admitted = await store.transact((tx) =>
      admitWorkflows(tx, ['seq', 'gone', 'par', 'busy', 'paused']),
    );
    expect(admitted.map((a) => a.runs.map((r) => `${r.workflow_id}/${r.instance_id}`))).toEqual([
      ['seq/1'],
      [],
      ['par/2', 'par/3'],
      [],
      [],
    ]);
    expect(admitted.every((a) => !a.more)).toBe(true);
  });
});
