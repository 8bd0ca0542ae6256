// Baton against a workflow engine (issue #11): DBOS Transact and Baton on the same PostgreSQL server, in one run,
// with two shapes:
// - chain: one run of a 40-step sequential workflow of no-op steps, started and awaited, repeated; latency per run
//   (p50, p90), and for Baton the hop (from one step's runtime returning to the next one's being called);
// - concurrent: 100 such runs at once (4,000 steps); steps per second, median of the rounds.
// Baton runs each shape two ways: `queued`, real Sleep steps with sleep_seconds 0 (the path of every step with real
// work: a work item leased to a local worker, the result committed in a second transaction), and `inline`, NoOp
// steps (completed inside the transition that starts them).
// Each system runs in a child process of its own (workflow-child.ts), one at a time, in alternating rounds (Baton
// then DBOS, DBOS then Baton, ...), so neither shares an event loop with the other's pool, pollers and timers, and
// both meet the same stretches of a shared host. Every child gets a fresh scratch database on BATON_BENCH_PG_URL
// (default postgres://postgres@127.0.0.1:5432/postgres), named after this process, dropped when it ends.
// Run: `npm run bench:workflow` (about a minute). BATON_BENCH_CPU_PROF=<dir> writes a CPU profile of every child.
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';
import { percentile, SHAPE, type StepPath } from './baton-shapes.js';
import type { ChainShape, ChildResult } from './workflow-child.js';

/** Rounds per system; each child runs SHAPE.repeats / ROUNDS measured chains and one concurrent round. */
const ROUNDS = 6;
const CHILD_DEADLINE_MS = 120_000;
const childFile = fileURLToPath(new URL('./workflow-child.ts', import.meta.url));

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const ms = (x: number) => x.toFixed(1);

/** Forks one round of `system` on a fresh database and waits for its result (killed past the deadline). */
async function runChild(adminUrl: string, system: 'baton' | 'dbos', chains: number): Promise<ChildResult> {
  const prof = process.env['BATON_BENCH_CPU_PROF'];
  return withScratchDatabase(adminUrl, `baton_bench_${system}_${process.pid}`, (url) => {
    const child = fork(childFile, [system, url, String(chains), String(SHAPE.workflows)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        ...process.execArgv,
        // DBOS's own code queues a query on a busy pg client: one deprecation warning per child, not ours to fix.
        ...(system === 'dbos' ? ['--no-deprecation'] : []),
        ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
      ],
    });
    return new Promise<ChildResult>((resolve, reject) => {
      let result: ChildResult | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `bench:workflow: the ${system} child (pid ${child.pid}) ran over ${CHILD_DEADLINE_MS} ms`,
          ),
        );
      }, CHILD_DEADLINE_MS);
      child.on('message', (message) => (result = message as ChildResult));
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (result !== undefined && code === 0) resolve(result);
        else
          reject(
            new Error(
              `bench:workflow: the ${system} child ended with ${signal ?? `code ${code}`} before its result`,
            ),
          );
      });
    });
  });
}

/** All rounds of one system (or one Baton path) merged: runs and hops pooled, CPU and rates per round. */
interface Merged {
  runMs: number[];
  hops: number[];
  roundP50s: number[];
  cpu: number[];
  rates: number[];
}
const merged = (): Merged => ({ runMs: [], hops: [], roundP50s: [], cpu: [], rates: [] });
function add(into: Merged, shape: ChainShape): void {
  into.runMs.push(...shape.runMs);
  into.hops.push(...shape.hops);
  into.roundP50s.push(percentile(shape.runMs, 50));
  into.cpu.push(shape.cpuPerStepMs);
  into.rates.push(shape.stepsPerSecond);
}

async function main(): Promise<void> {
  const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl)))
    throw new Error(`nothing answers at ${adminUrl} (set BATON_BENCH_PG_URL)`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(`load average at start: ${load()}`);
  const t0 = performance.now();
  const chains = Math.ceil(SHAPE.repeats / ROUNDS);
  const all = { dbos: merged(), queued: merged(), inline: merged() };
  let version = '?';
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['baton', 'dbos'] as const) : (['dbos', 'baton'] as const);
    for (const system of order) {
      const result = await runChild(adminUrl, system, chains);
      if (result.system === 'dbos') {
        version = result.version;
        add(all.dbos, result.shape);
      } else for (const path of ['queued', 'inline'] as const) add(all[path], result.paths[path]);
    }
    console.log(
      `round ${round + 1}/${ROUNDS} (${order.join(' then ')}): chain p50 DBOS ${ms(all.dbos.roundP50s.at(-1)!)}, Baton queued ${ms(all.queued.roundP50s.at(-1)!)} ms; load ${load()}`,
    );
  }
  console.log(
    `load average at the end: ${load()}; whole run ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  report(version, chains, all);
}

function report(version: string, chains: number, all: Record<'dbos' | StepPath, Merged>): void {
  const median = (xs: readonly number[]) => percentile(xs, 50);
  const range = (xs: readonly number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  const dbosP50 = percentile(all.dbos.runMs, 50);
  console.log(
    `(a) one run of a ${SHAPE.steps}-step sequential workflow of no-op steps, ${chains} runs after ${SHAPE.warmups} warm-ups in each of ${ROUNDS} rounds per system (${chains * ROUNDS} measured), each system in its own process, rounds alternating`,
  );
  console.log(
    '| system | steps | run p50 (ms) | run p90 (ms) | round p50s min–max | hop p50 (ms) | hop p90 (ms) | Node CPU per step (ms) | DBOS p50 ÷ this p50 |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const rows: [string, string, Merged][] = [
    [`DBOS ${version}`, 'DBOS.runStep', all.dbos],
    ['Baton queued', 'Sleep(0)', all.queued],
    ['Baton inline', 'NoOp', all.inline],
  ];
  for (const [name, steps, m] of rows) {
    const p50 = percentile(m.runMs, 50);
    const hops =
      m.hops.length === 0
        ? ' | '
        : `${percentile(m.hops, 50).toFixed(2)} | ${percentile(m.hops, 90).toFixed(2)}`;
    const rounds = `${ms(Math.min(...m.roundP50s))}–${ms(Math.max(...m.roundP50s))}`;
    console.log(
      `| ${name} | ${steps} | ${ms(p50)} | ${ms(percentile(m.runMs, 90))} | ${rounds} | ${hops} | ${median(m.cpu).toFixed(2)} | ${(dbosP50 / p50).toFixed(2)} |`,
    );
  }
  const dbosRate = median(all.dbos.rates);
  console.log(
    `\n(b) ${SHAPE.workflows} such runs at once (${SHAPE.workflows * SHAPE.steps} steps), one round after a warm-up of ${Math.ceil(SHAPE.workflows / 2)} in each child: median of ${ROUNDS} rounds`,
  );
  console.log('| system | steps/s (median) | min–max | this ÷ DBOS |');
  console.log('|---|---|---|---|');
  for (const [name, , m] of rows) {
    const rate = median(m.rates);
    console.log(`| ${name} | ${Math.round(rate)} | ${range(m.rates)} | ${(rate / dbosRate).toFixed(2)} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
