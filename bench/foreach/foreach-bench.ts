// Foreach at scale (issue #14): one run of a workflow whose only step is a foreach of N NoOp iterations at
// concurrency 500, on the embedded SQLite store and on PostgreSQL, in one process (one child process per case, so
// each peak RSS is its own). Reports time from the start to the end of the run, iterations per second and the
// process's peak RSS. Run: `npx tsx bench/foreach/foreach-bench.ts [N,N...] [sqlite,postgres]` (default
// 100000,1000000 on both). PostgreSQL: `BATON_BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432/postgres; a
// scratch database is created and dropped there); skipped with a line when it does not answer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/port.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

const CONCURRENCY = 500;

/** A foreach of `n` iterations as the cross product of two LONG arrays (small arrays: the params stay small). */
function loopWorkflow(n: number) {
  const inner = Math.min(n, 1000);
  if (n % inner !== 0) throw new Error(`${n} is not a multiple of ${inner}`);
  const ints = (count: number) => ({ type: 'LONG_ARRAY', expression: `Util.intsBetween(0, ${count}, 1)` });
  const parsed = parseDefinition({
    properties: { owner: 'bench', step_concurrency: 1000 },
    workflow: {
      id: 'fan',
      instance_step_concurrency: CONCURRENCY,
      steps: [
        {
          foreach: {
            id: 'each',
            concurrency: CONCURRENCY,
            params: { loop_params: { type: 'MAP', value: { i: ints(inner), j: ints(n / inner) } } },
            steps: [{ step: { id: 'body', type: 'NoOp' } }],
          },
        },
      ],
    },
  });
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.workflow;
}

/** One case in this process: prints one JSON line with the figures. */
async function runCase(n: number, open: () => Promise<Store>): Promise<void> {
  const store = await open();
  const engine = createEngine(
    { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
    { loopIterations: n },
  );
  await engine.createWorkflow(loopWorkflow(n));
  engine.start();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const began = performance.now();
  const { run } = await engine.startRun({ workflow_id: 'fan' });
  const ended = await engine.waitForEnd(run);
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  const each = ended.state.steps['each']!;
  await engine.stop();
  await store.close();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({
      status: ended.run.status,
      iterations: each.children,
      seconds,
      per_second: n / seconds,
      peak_rss_mb: Math.max(peak, maxRss) / 2 ** 20,
    }),
  );
}

/** Runs a case in a child process (its own heap and RSS); answers its figures. */
function child(n: number, store: string, url?: string): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', String(n), store, ...(url ? [url] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--case') {
    const n = Number(args[1]);
    if (args[2] === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'baton-foreach-bench-'));
      try {
        await runCase(n, () => openSqliteStore({ clock: systemClock }, { path: path.join(dir, 'bench.db') }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else await runCase(n, () => openPostgresStore({ clock: systemClock }, { url: args[3]! }));
    return;
  }
  const counts = (args[0] ?? '100000,1000000').split(',').map(Number);
  const stores = (args[1] ?? 'sqlite,postgres').split(',');
  const rows: string[] = [];
  const row = (store: string, n: number, r: Record<string, unknown>) =>
    rows.push(
      `| ${store} | ${n.toLocaleString('en')} | ${String(r['status'])} | ${(r['seconds'] as number).toFixed(1)} | ` +
        `${Math.round(r['per_second'] as number).toLocaleString('en')} | ${Math.round(r['peak_rss_mb'] as number)} |`,
    );
  for (const n of counts) {
    if (stores.includes('sqlite')) row('SQLite', n, child(n, 'sqlite'));
    if (stores.includes('postgres')) {
      const admin = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
      if (!(await reachable(admin))) console.error(`PostgreSQL at ${admin} does not answer: skipped`);
      else
        await withScratchDatabase(admin, 'baton_foreach_bench', (url) => {
          row('PostgreSQL', n, child(n, 'postgres', url));
          return Promise.resolve();
        });
    }
  }
  console.log(
    [
      `foreach of N NoOp iterations, concurrency ${CONCURRENCY}, one process:`,
      '',
      '| store | iterations | status | seconds | iterations/s | peak RSS (MB) |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

await main();
