// Baton against a workflow engine (issue #11): DBOS Transact and Baton on the same PostgreSQL server, in one run,
// with two shapes:
// - chain: one run of a 40-step sequential workflow of no-op steps, started and awaited, repeated; latency per run
//   (p50, p90), and for Baton the hop (from one step's runtime returning to the next one's being called);
// - concurrent: 100 such runs at once (4,000 steps); steps per second, median of 3 rounds after a warm-up.
// Baton runs each shape two ways: `queued`, real Sleep steps with sleep_seconds 0 (the path of every step with real
// work: a work item leased to a local worker, the result committed in a second transaction), and `inline`, NoOp
// steps (completed inside the transition that starts them). Run: `npm run bench:workflow`; each system gets a
// scratch database of its own on BATON_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), created
// and dropped by the run. It takes 20–40 s.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { StepRuntime } from '../../src/engine/step-runtime.js';
import type { WorkflowCreateRequest } from '../../src/model/definition.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { launchDbos } from '../peers/dbos.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

/** `queued`: real Sleep(0) steps on workers; `inline`: NoOp steps completed inside their transition. */
export type StepPath = 'queued' | 'inline';

export const SHAPE = { steps: 40, warmups: 3, repeats: 30, workflows: 100, rounds: 3 } as const;

/** When each step's runtime was called and returned, by `workflow/instance/step`. */
type Marks = Map<string, { start: number; end: number }>;

/** The runtime, unchanged, with the times its calls start and end recorded. */
function timed(runtime: StepRuntime, marks: Marks): StepRuntime {
  const key = (ctx: { workflow_id: string; instance_id: number; step_id: string }) =>
    `${ctx.workflow_id}/${ctx.instance_id}/${ctx.step_id}`;
  const inline = runtime.inline;
  return {
    ...runtime,
    async execute(ctx) {
      const start = performance.now();
      const result = await runtime.execute(ctx);
      marks.set(key(ctx), { start, end: performance.now() });
      return result;
    },
    ...(inline === undefined
      ? {}
      : {
          inline(ctx) {
            const start = performance.now();
            const result = inline(ctx);
            marks.set(key(ctx), { start, end: performance.now() });
            return result;
          },
        }),
  };
}

/** A chain of `n` steps: Sleep with sleep_seconds 0 (queued) or NoOp (inline); runs of it may run in parallel. */
export function chainDefinition(id: string, path: StepPath, n: number): WorkflowCreateRequest {
  const parsed = parseDefinition({
    properties: {
      owner: 'bench',
      run_strategy: { rule: 'parallel', workflow_concurrency: 1000 },
      step_concurrency: 1000,
    },
    workflow: {
      id,
      steps: Array.from({ length: n }, (_, i) => ({
        step: {
          id: `s${i}`,
          type: path === 'queued' ? 'Sleep' : 'NoOp',
          ...(path === 'queued' ? { params: { sleep_seconds: { type: 'LONG', value: 0 } } } : {}),
          transition: { successors: i + 1 < n ? { [`s${i + 1}`]: 'true' } : {} },
        },
      })),
    },
  });
  if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
  return parsed.workflow;
}

export async function withBatonEngine<T>(
  url: string,
  schema: string,
  f: (engine: Engine, marks: Marks) => Promise<T>,
): Promise<T> {
  const marks: Marks = new Map();
  const store = await openPostgresStore({ clock: systemClock }, { url, schema });
  const real = createStepRuntimes();
  const runtimes = { ...real, Sleep: timed(real.Sleep, marks), NoOp: timed(real.NoOp, marks) };
  const engine = createEngine(
    { store, clock: systemClock, runtimes, evaluator: createEngineEvaluator() },
    { workers: 256 },
  );
  engine.start();
  try {
    return await f(engine, marks);
  } finally {
    await engine.stop();
    await store.close();
  }
}

async function runToEnd(engine: Engine, workflowId: string): Promise<number> {
  const started = await engine.startRun({ workflow_id: workflowId });
  const ended = await engine.waitForEnd(started.run);
  if (ended.run.status !== 'SUCCEEDED') throw new Error(`${workflowId} ended ${ended.run.status}`);
  return started.run.instance_id;
}

/**
 * The chain shape: latency of each run after warm-ups, and every hop between two steps of the measured runs.
 * `between`, when given, runs after each run (a peer's run, so both see the same moments of a shared machine).
 */
export async function batonChain(
  engine: Engine,
  marks: Marks,
  path: StepPath,
  n: number = SHAPE.steps,
  between?: (measured: boolean) => Promise<void>,
) {
  const id = `chain_${path}`;
  await engine.createWorkflow(chainDefinition(id, path, n));
  for (let i = 0; i < SHAPE.warmups; i++) {
    await runToEnd(engine, id);
    await between?.(false);
  }
  const runMs: number[] = [];
  const hops: number[] = [];
  for (let r = 0; r < SHAPE.repeats; r++) {
    const t0 = performance.now();
    const instance = await runToEnd(engine, id);
    runMs.push(performance.now() - t0);
    await between?.(true);
    for (let i = 1; i < n; i++)
      hops.push(marks.get(`${id}/${instance}/s${i}`)!.start - marks.get(`${id}/${instance}/s${i - 1}`)!.end);
  }
  return { runMs, hops };
}

/** The concurrent shape: `workflows` runs of the chain started together; steps/s to the commit ending the last. */
async function batonConcurrent(engine: Engine, path: StepPath) {
  const id = `many_${path}`;
  await engine.createWorkflow(chainDefinition(id, path, SHAPE.steps));
  const round = async (runs: number): Promise<number> => {
    let lastEnd = 0;
    const off = engine.onRunChange((loaded) => {
      if (loaded.run.workflow_id === id && loaded.run.status === 'SUCCEEDED') lastEnd = performance.now();
    });
    const t0 = performance.now();
    try {
      await Promise.all(Array.from({ length: runs }, () => runToEnd(engine, id)));
    } finally {
      off();
    }
    return (runs * SHAPE.steps * 1000) / (lastEnd - t0);
  };
  await round(Math.ceil(SHAPE.workflows / 2)); // warm-up, as in a long-running server
  const rates: number[] = [];
  for (let r = 0; r < SHAPE.rounds; r++) rates.push(await round(SHAPE.workflows));
  return rates;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const ms = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl)))
    throw new Error(`nothing answers at ${adminUrl} (set BATON_BENCH_PG_URL)`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(`load average at start: ${load()}`);
  const t0 = performance.now();
  // Both systems are up at once, each on a scratch database of its own. The chains take turns, one Baton queued run
  // then one DBOS run, so both meet the same moments of a shared host (commit latency there moves 2× in seconds);
  // the concurrent shapes run one system at a time.
  const { baton, dbos } = await withScratchDatabase(adminUrl, 'baton_bench_wf', (url) =>
    withScratchDatabase(adminUrl, 'baton_bench_dbos', async (dbosUrl) => {
      const peer = await launchDbos(dbosUrl, SHAPE.steps);
      try {
        const chainMs: number[] = [];
        const out: Record<StepPath, { runMs: number[]; hops: number[]; rates: number[] }> = {} as never;
        for (const path of ['queued', 'inline'] as const)
          out[path] = await withBatonEngine(url, `wf_${path}`, async (engine, marks) => ({
            ...(await batonChain(engine, marks, path, SHAPE.steps, async (measured) => {
              if (path !== 'queued') return;
              const took = await peer.chain();
              if (measured) chainMs.push(took);
            })),
            rates: await batonConcurrent(engine, path),
          }));
        console.log(`load average after Baton: ${load()}`);
        const stepsPerSecond = await peer.concurrent(SHAPE.workflows, SHAPE.rounds);
        return { baton: out, dbos: { version: peer.version, chainMs, stepsPerSecond } };
      } finally {
        await peer.shutdown();
      }
    }),
  );
  console.log(
    `load average after DBOS: ${load()}; whole run ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );

  const dbosP50 = percentile(dbos.chainMs, 50);
  console.log(
    `(a) one run of a ${SHAPE.steps}-step sequential workflow of no-op steps, ${SHAPE.repeats} times after ${SHAPE.warmups} warm-ups (DBOS and Baton queued taking turns)`,
  );
  console.log(
    '| system | steps | run p50 (ms) | run p90 (ms) | hop p50 (ms) | hop p90 (ms) | DBOS p50 ÷ this p50 |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| DBOS ${dbos.version} | DBOS.runStep | ${ms(dbosP50)} | ${ms(percentile(dbos.chainMs, 90))} | | | 1.00 |`,
  );
  for (const path of ['queued', 'inline'] as const) {
    const b = baton[path];
    const p50 = percentile(b.runMs, 50);
    console.log(
      `| Baton ${path} | ${path === 'queued' ? 'Sleep(0)' : 'NoOp'} | ${ms(p50)} | ${ms(percentile(b.runMs, 90))} | ${percentile(b.hops, 50).toFixed(2)} | ${percentile(b.hops, 90).toFixed(2)} | ${(dbosP50 / p50).toFixed(2)} |`,
    );
  }
  const median = (xs: readonly number[]) => percentile(xs, 50);
  const range = (xs: readonly number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  const dbosRate = median(dbos.stepsPerSecond);
  console.log(
    `\n(b) ${SHAPE.workflows} such runs at once (${SHAPE.workflows * SHAPE.steps} steps), median of ${SHAPE.rounds} rounds after a warm-up`,
  );
  console.log('| system | steps/s (median) | min–max | this ÷ DBOS |');
  console.log('|---|---|---|---|');
  console.log(`| DBOS ${dbos.version} | ${Math.round(dbosRate)} | ${range(dbos.stepsPerSecond)} | 1.00 |`);
  for (const path of ['queued', 'inline'] as const) {
    const rate = median(baton[path].rates);
    console.log(
      `| Baton ${path} | ${Math.round(rate)} | ${range(baton[path].rates)} | ${(rate / dbosRate).toFixed(2)} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
