// STRICT_SEQUENTIAL admission on a real store (SQLite, and PostgreSQL when BATON_TEST_PG_URL is set) with a long
// history of failures: whichever FAILED run still holds the queue is seen, however many came before.
import { afterEach, describe, expect, it } from 'vitest';
import { admitQueued } from '../../src/engine/run-strategy.js';
import type { Properties } from '../../src/model/definition.js';
import type { RunKey, RunRecord, Store, StoreTx } from '../../src/store/port.js';
import { ADAPTERS } from './adapters.js';

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const STRICT = { run_strategy: { rule: 'STRICT_SEQUENTIAL' } } as unknown as Properties;
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
    await admitQueued(tx, 'wf', STRICT, (r) => {
      started = r;
      return Promise.resolve();
    });
  });
  return started.map((r) => r.instance_id);
}

describe.each(ADAPTERS)('STRICT_SEQUENTIAL admission on %s', (_name, openStore) => {
  it('holds the queue for the newest of more than 1,000 failures, and opens it once that one is unblocked', async () => {
    const store = await openStore();
    open.push(store);
    await store.transact(async (tx) => {
      await runs(tx, 1, 1_050, 'FAILED');
      for (let i = 1; i <= 1_050; i++) await tx.unblockRun(key(i));
      await runs(tx, 1_051, 1, 'FAILED'); // the newest failure, neither unblocked nor restarted
      await runs(tx, 1_052, 1, 'CREATED');
    });
    expect(await admitted(store)).toEqual([]);
    await store.transact((tx) => tx.unblockRun(key(1_051)));
    expect(await admitted(store)).toEqual([1_052]);
  });
});
