// The engine workloads of bench/engine (40-step chain, 10,000 NoOp steps) on SQLite and PostgreSQL only, without the
// cluster and peer rows: the part of `npm run bench:engine` that moves when what the engine writes to the outbox
// changes (issue #12: one outbox row per run transition instead of one per step event). Run:
// `npx tsx bench/events/outbox-rows-bench.ts`; PostgreSQL from BATON_BENCH_PG_URL as in bench/engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/engine/clock.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/port.js';
import { benchChain, benchFanout, type NoOpPath } from '../engine/engine-bench.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

const ROUNDS = 3;
const fmt = (n: number) => n.toFixed(2);

async function measure(open: () => Promise<Store>, noop: NoOpPath): Promise<string> {
  const chain = await benchChain(open, noop);
  const rates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) rates.push((await benchFanout(open, noop)).stepsPerSecond);
  rates.sort((a, b) => a - b);
  return `${fmt(chain.totalMs)} | ${fmt(chain.hopP50)} | ${fmt(chain.hopP99)} | ${Math.round(rates[1]!)} | ${Math.round(rates[0]!)}–${Math.round(rates[2]!)}`;
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`,
);
console.log('| store | NoOp path | chain total (ms) | hop p50 | hop p99 | steps/s median | min–max |');
console.log('|---|---|---|---|---|---|---|');
const dir = mkdtempSync(path.join(tmpdir(), 'baton-outbox-bench-'));
let n = 0;
try {
  for (const noop of ['inline', 'queued'] as const) {
    const open = () => openSqliteStore({ clock: systemClock }, { path: path.join(dir, `b${++n}.db`) });
    console.log(`| SQLite | ${noop} | ${await measure(open, noop)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if (await reachable(adminUrl))
  await withScratchDatabase(adminUrl, 'baton_bench_outbox', async (url) => {
    let schema = 0;
    for (const noop of ['inline', 'queued'] as const) {
      const open = () => openPostgresStore({ clock: systemClock }, { url, schema: `b${++schema}` });
      console.log(`| PostgreSQL | ${noop} | ${await measure(open, noop)} |`);
    }
  });
else console.log(`PostgreSQL skipped: nothing answers at ${adminUrl}`);

// The outbox write alone: 300 transactions that each append what one decision of the 100-step fan-out appends, as
// 100 step events (one row each) or as one row holding the 100 (the alternative measured for issue #12).
const stepEvents = (k: number) =>
  Array.from({ length: 100 }, (_, i) => ({
    type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
    step_id: `s${i}`,
    step_attempt_id: 1,
    status_change_records: [
      { old_status: 'NOT_CREATED', new_status: 'CREATED', event_time: k },
      { old_status: 'CREATED', new_status: 'SUCCEEDED', event_time: k },
    ],
  }));
async function outboxOnly(store: Store, grouped: boolean): Promise<number> {
  const key = { workflow_id: 'wf', workflow_instance_id: 1, workflow_run_id: 1 };
  const started = performance.now();
  for (let k = 0; k < 300; k++) {
    const events = stepEvents(k);
    await store.transact((tx) =>
      tx.appendOutbox(
        grouped
          ? [{ type: 'RUN_EVENTS', payload: { ...key, events }, create_time: k }]
          : events.map(({ type, ...rest }) => ({ type, payload: { ...key, ...rest }, create_time: k })),
      ),
    );
  }
  return (performance.now() - started) / 300;
}
console.log(
  '\n| store | outbox write per transition of 100 step events | per event rows (ms) | one row (ms) |',
);
console.log('|---|---|---|---|');
const dir2 = mkdtempSync(path.join(tmpdir(), 'baton-outbox-bench-'));
try {
  const store = await openSqliteStore({ clock: systemClock }, { path: path.join(dir2, 'o.db') });
  const [a, b, c, d] = [
    await outboxOnly(store, false),
    await outboxOnly(store, true),
    await outboxOnly(store, false),
    await outboxOnly(store, true),
  ];
  console.log(`| SQLite | mean of 300 transactions, twice | ${fmt(a)}, ${fmt(c)} | ${fmt(b)}, ${fmt(d)} |`);
  await store.close();
} finally {
  rmSync(dir2, { recursive: true, force: true });
}
if (await reachable(adminUrl))
  await withScratchDatabase(adminUrl, 'baton_bench_outbox_only', async (url) => {
    const store = await openPostgresStore({ clock: systemClock }, { url });
    const [a, b, c, d] = [
      await outboxOnly(store, false),
      await outboxOnly(store, true),
      await outboxOnly(store, false),
      await outboxOnly(store, true),
    ];
    console.log(
      `| PostgreSQL | mean of 300 transactions, twice | ${fmt(a)}, ${fmt(c)} | ${fmt(b)}, ${fmt(d)} |`,
    );
    await store.close();
  });
