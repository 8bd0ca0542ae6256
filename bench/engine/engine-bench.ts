// Engine overhead (issues #4 and #5): a 40-step NoOp chain (total, and per hop: from the end of one step's runtime
// to the start of the next one's), and 10,000 independent NoOp steps (100 runs of a 100-step fan-out) in steps per
// second, on the embedded SQLite store and on PostgreSQL, each two ways: NoOp `inline` (as Baton runs it: completed
// inside the transition that starts it) and `queued` (the path of every step with real work: a work item handed to
// a worker, its result committed in a second transaction). In the same run on the same PostgreSQL server:
// graphile-worker draining 10,000 no-op jobs and `pgbench -N` (the commit ceiling). Run: `npm run build && npm run
// bench:engine` (prints Markdown tables; the cluster rows start the built CLI). PostgreSQL: `BATON_BENCH_PG_URL`
// (default postgres://postgres@127.0.0.1:5432/postgres; scratch databases are created and dropped there); skipped
// with a line when it does not answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { StepRuntime } from '../../src/engine/step-runtime.js';
import type { WorkflowCreateRequest } from '../../src/model/definition.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/port.js';
import { benchGraphileWorker } from '../peers/graphile-worker.js';
import { benchCluster } from './cluster-bench.js';
import { benchPgbench } from '../peers/pgbench.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

interface Marks {
  starts: Map<string, number>;
  ends: Map<string, number>;
}

/**
 * How NoOp steps run: `inline` as Baton's NoOp does (completed inside the transition that starts it), or `queued`
 * on a worker, the path of every step that does real work (Shell, Sleep, …): a work item handed to a worker, the
 * result committed in a second transaction.
 */
export type NoOpPath = 'inline' | 'queued';

/** NoOp that records when each step's runtime starts and ends, to measure the engine between them. */
function timedNoOp(marks: Marks, path: NoOpPath): StepRuntime {
  const mark = (id: string) => {
    marks.starts.set(id, performance.now());
    marks.ends.set(id, performance.now());
  };
  const queued: StepRuntime = {
    execute(ctx) {
      mark(`${ctx.workflow_id}/${ctx.instance_id}/${ctx.step_id}`);
      return Promise.resolve({ state: 'done' });
    },
  };
  if (path === 'queued') return queued;
  return {
    ...queued,
    inline(ctx) {
      mark(`${ctx.workflow_id}/${ctx.instance_id}/${ctx.step_id}`);
      return { state: 'done' };
    },
  };
}

function definition(json: unknown): WorkflowCreateRequest {
  const parsed = parseDefinition(json);
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.workflow;
}

const chain = (n: number) =>
  definition({
    properties: { owner: 'bench' },
    workflow: {
      id: 'chain',
      steps: Array.from({ length: n }, (_, i) => ({
        step: {
          id: `s${i}`,
          type: 'NoOp',
          transition: { successors: i + 1 < n ? { [`s${i + 1}`]: 'true' } : {} },
        },
      })),
    },
  });

export const fanout = (n: number) =>
  definition({
    properties: {
      owner: 'bench',
      run_strategy: { rule: 'parallel', workflow_concurrency: 1000 },
      step_concurrency: 1000,
    },
    workflow: {
      id: 'fanout',
      steps: Array.from({ length: n }, (_, i) => ({ step: { id: `s${i}`, type: 'NoOp' } })),
    },
  });

async function withEngine<T>(
  open: () => Promise<Store>,
  path: NoOpPath,
  workers: number,
  f: (engine: Engine, marks: Marks) => Promise<T>,
): Promise<T> {
  const marks: Marks = { starts: new Map(), ends: new Map() };
  const store = await open();
  const runtimes = { ...createStepRuntimes(), NoOp: timedNoOp(marks, path) };
  const engine = createEngine(
    { store, clock: systemClock, runtimes, evaluator: createEngineEvaluator() },
    { workers },
  );
  engine.start();
  try {
    return await f(engine, marks);
  } finally {
    await engine.stop();
    await store.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchChain(open: () => Promise<Store>, path: NoOpPath, n = 40) {
  return withEngine(open, path, 8, async (engine, marks) => {
    await engine.createWorkflow(chain(n));
    // One warm-up run so JIT and statement caches are hot, as in a long-running server.
    await engine.waitForEnd((await engine.startRun({ workflow_id: 'chain' })).run);
    marks.starts.clear();
    marks.ends.clear();
    const t0 = performance.now();
    const started = await engine.startRun({ workflow_id: 'chain' });
    const ended = await engine.waitForEnd(started.run);
    const total = performance.now() - t0;
    if (ended.run.status !== 'SUCCEEDED') throw new Error(`chain ended ${ended.run.status}`);
    const key = (i: number) => `chain/${started.run.instance_id}/s${i}`;
    const hops = Array.from(
      { length: n - 1 },
      (_, i) => marks.starts.get(key(i + 1))! - marks.ends.get(key(i))!,
    );
    return { totalMs: total, hopP50: percentile(hops, 50), hopP99: percentile(hops, 99) };
  });
}

export async function benchFanout(open: () => Promise<Store>, path: NoOpPath, runs = 100, width = 100) {
  return withEngine(open, path, 256, async (engine) => {
    await engine.createWorkflow(fanout(width));
    // Warm-up, as in a long-running server: half the workload, so the JIT has compiled the hot path.
    const warm = await Promise.all(
      Array.from({ length: Math.ceil(runs / 2) }, () => engine.startRun({ workflow_id: 'fanout' })),
    );
    await Promise.all(warm.map((s) => engine.waitForEnd(s.run)));
    // A run ends when the transaction that ends it commits: the engine reports it then. Reading the runs back
    // afterwards (to check them) is the client's cost, not the engine's, and stays out of the timing.
    let ended = 0;
    let lastEnd = 0;
    const off = engine.onRunChange((loaded) => {
      if (loaded.run.status === 'SUCCEEDED' || loaded.run.status === 'FAILED') {
        ended += 1;
        lastEnd = performance.now();
      }
    });
    const t0 = performance.now();
    const started = await Promise.all(
      Array.from({ length: runs }, () => engine.startRun({ workflow_id: 'fanout' })),
    );
    const final = await Promise.all(started.map((s) => engine.waitForEnd(s.run)));
    off();
    const total = lastEnd - t0;
    if (ended !== runs || final.some((r) => r.run.status !== 'SUCCEEDED'))
      throw new Error('a fan-out run did not succeed');
    return { steps: runs * width, totalMs: total, stepsPerSecond: (runs * width * 1000) / total };
  });
}

export function sqliteOpener(): { open: () => Promise<Store>; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-bench-'));
  let n = 0;
  return {
    open: () => openSqliteStore({ clock: systemClock }, { path: path.join(dir, `bench-${n++}.db`) }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresOpener(url: string): { open: () => Promise<Store> } {
  let n = 0;
  return { open: () => openPostgresStore({ clock: systemClock }, { url, schema: `bench_${n++}` }) };
}

const fmt = (x: number) => x.toFixed(2);
const ROUNDS = 3;

/** The chain once, and the fan-out ROUNDS times (the machine is shared: one round can be far off). */
async function measure(open: () => Promise<Store>, path: NoOpPath) {
  const chain = await benchChain(open, path);
  const fans: Awaited<ReturnType<typeof benchFanout>>[] = [];
  for (let i = 0; i < ROUNDS; i++) fans.push(await benchFanout(open, path));
  const rates = fans.map((f) => f.stepsPerSecond).sort((a, b) => a - b);
  return { chain, median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates.at(-1)! };
}

const row = (store: string, path: NoOpPath, m: Awaited<ReturnType<typeof measure>>) =>
  `| ${store} | ${path} | ${fmt(m.chain.totalMs)} | ${fmt(m.chain.hopP50)} | ${fmt(m.chain.hopP99)} | ${Math.round(m.median)} | ${Math.round(m.min)}–${Math.round(m.max)} |`;

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(
    `| store | NoOp path | 40-step chain total (ms) | hop p50 (ms) | hop p99 (ms) | 10,000 steps: steps/s (median of ${ROUNDS}) | min–max |`,
  );
  console.log('|---|---|---|---|---|---|---|');
  const sqlite = sqliteOpener();
  try {
    for (const path of ['inline', 'queued'] as const)
      console.log(row('SQLite (file, WAL)', path, await measure(sqlite.open, path)));
  } finally {
    sqlite.cleanup();
  }

  const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl))) {
    console.log(`\nPostgreSQL workloads skipped: nothing answers at ${adminUrl} (set BATON_BENCH_PG_URL)`);
    return;
  }
  const baton = await withScratchDatabase(adminUrl, 'baton_bench', async (url) => {
    const pgStore = postgresOpener(url);
    const inline = await measure(pgStore.open, 'inline');
    console.log(row('PostgreSQL (one process)', 'inline', inline));
    console.log(row('PostgreSQL (one process)', 'queued', await measure(pgStore.open, 'queued')));
    // The same 10,000 steps run by `baton server` processes sharing the database (the built CLI).
    for (const processes of [1, 3]) {
      const r = await benchCluster(url, processes);
      console.log(
        `| PostgreSQL, ${processes} \`baton server\` process${processes > 1 ? 'es' : ''} | inline | | | | ${Math.round(r.stepsPerSecond)} | |`,
      );
    }
    return { stepsPerSecond: inline.median };
  });
  const graphile = await withScratchDatabase(adminUrl, 'baton_bench_graphile', (url) =>
    benchGraphileWorker({ connectionString: url, jobs: 10_000 }),
  );
  const pgbench = await withScratchDatabase(adminUrl, 'baton_bench_pgbench', (url) =>
    benchPgbench({ connectionString: url }),
  );
  console.log('\n| on the same PostgreSQL | per second | Baton NoOp steps/s ÷ this |');
  console.log('|---|---|---|');
  console.log(`| Baton: NoOp steps | ${Math.round(baton.stepsPerSecond)} | 1.00 |`);
  console.log(
    `| graphile-worker ${graphile.version}: no-op jobs (${JSON.stringify(graphile.settings)}) | ${Math.round(graphile.jobsPerSecond)} | ${(baton.stepsPerSecond / graphile.jobsPerSecond).toFixed(2)} |`,
  );
  if ('skipped' in pgbench) console.log(`| pgbench -N | ${pgbench.skipped} | |`);
  else
    console.log(
      `| \`${pgbench.command}\` (commits) | ${Math.round(pgbench.tps)} | ${(baton.stepsPerSecond / pgbench.tps).toFixed(2)} |`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
