// Micro-benchmark of the SQLite store (numbers in docs/decisions/0005-sqlite-store.md). Not a test: run it with
//   npx tsc test/store/sqlite-bench.ts --outDir /tmp/baton-bench --module nodenext --target es2023 --skipLibCheck \
//     --types node --esModuleInterop && node /tmp/baton-bench/test/store/sqlite-bench.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, type RunRecord, type Store } from '../../src/store/index.js';

const N = 10_000;
const clock = { now: () => Date.now() };
const state = {
  params: { day: 20240101, name: 'nightly' },
  steps: { a: { status: 'RUNNING', attempt: 1 }, b: { status: 'NOT_CREATED' } },
};

async function seed(store: Store, runs: number): Promise<RunRecord[]> {
  return store.transact(async (tx) => {
    const out: RunRecord[] = [];
    for (let i = 1; i <= runs; i++) {
      const run = await tx.insertRun({
        workflow_id: 'bench',
        instance_id: i,
        run_id: 1,
        version_id: 1,
        request_id: `r${i}`,
        status: 'IN_PROGRESS',
        correlation_id: `c${i}`,
        initiator: { type: 'MANUAL' },
        state,
        create_time: 0,
      });
      if (run) out.push(run);
    }
    return out;
  });
}

/** One engine transition: write the run, enqueue its next step item, ack the item that triggered it. */
async function transitions(store: Store, perTx: number, concurrency: number): Promise<number> {
  const runs = await seed(store, concurrency * perTx);
  const pending = new Map<number, number>();
  const start = performance.now();
  const worker = async (w: number): Promise<void> => {
    for (let t = 0; t < N / concurrency / perTx; t++) {
      await store.transact(async (tx) => {
        for (let k = 0; k < perTx; k++) {
          const i = w * perTx + k;
          const run = runs[i]!;
          runs[i] = await tx.updateRun({ ...run, state: { ...state, tick: t } }, run.version);
          const [item] = await tx.enqueue([
            {
              kind: 'step',
              workflow_id: 'bench',
              instance_id: i + 1,
              run_id: 1,
              step_id: 'a',
              payload: { t },
              run_at: 0,
            },
          ]);
          const previous = pending.get(i);
          if (previous !== undefined) await tx.ack([previous]);
          pending.set(i, item!.id);
        }
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return performance.now() - start;
}

async function empty(store: Store): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < N; i++) await store.transact(async () => undefined);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-bench-'));
  let n = 0;
  const targets: [string, () => Promise<Store>][] = [
    [':memory:', () => openSqliteStore({ clock }, { path: ':memory:' })],
    ['file, synchronous=NORMAL', () => openSqliteStore({ clock }, { path: path.join(dir, `${++n}.db`) })],
    [
      'file, synchronous=FULL',
      () => openSqliteStore({ clock }, { path: path.join(dir, `${++n}.db`), durability: 'full' }),
    ],
  ];
  const rate = (ms: number, count = N): string =>
    `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
  try {
    for (const [name, open] of targets) {
      const cases: [string, (s: Store) => Promise<number>, number][] = [
        ['empty transact', empty, N],
        ['updateRun+enqueue+ack, 1 caller', (s) => transitions(s, 1, 1), N],
        ['updateRun+enqueue+ack, 16 concurrent callers', (s) => transitions(s, 1, 16), N],
        ['10 transitions per transaction (group commit)', (s) => transitions(s, 10, 1), N / 10],
      ];
      for (const [label, run, commits] of cases) {
        const store = await open();
        const ms = await run(store);
        await store.close();
        console.log(
          `${name.padEnd(26)} ${label.padEnd(48)} ${(ms / 1000).toFixed(2)} s  ${rate(ms, commits)} commits, ${rate(ms)} transitions`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
