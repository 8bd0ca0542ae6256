// Baton's side of bench:workflow (issue #11): a 40-step chain of no-op steps on one engine over PostgreSQL, run
// one at a time (latency, and every hop between two steps) or many at once (steps per second). Used by the child
// processes of workflow-bench.ts and by chain-stages.ts and hop-profile.ts.
import { performance } from 'node:perf_hooks';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { StepRuntime } from '../../src/engine/step-runtime.js';
import type { WorkflowCreateRequest } from '../../src/model/definition.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';

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
 * The chain shape: latency of each of `repeats` runs after warm-ups, every hop between two steps of those runs, and
 * the Node CPU (user + system, ms) the process spent over them.
 */
export async function batonChain(
  engine: Engine,
  marks: Marks,
  path: StepPath,
  n: number = SHAPE.steps,
  repeats: number = SHAPE.repeats,
) {
  const id = `chain_${path}`;
  await engine.createWorkflow(chainDefinition(id, path, n));
  for (let i = 0; i < SHAPE.warmups; i++) await runToEnd(engine, id);
  const runMs: number[] = [];
  const hops: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const instance = await runToEnd(engine, id);
    runMs.push(performance.now() - t0);
    for (let i = 1; i < n; i++)
      hops.push(marks.get(`${id}/${instance}/s${i}`)!.start - marks.get(`${id}/${instance}/s${i - 1}`)!.end);
  }
  const cpu = process.cpuUsage(cpu0);
  return { runMs, hops, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * The concurrent shape: `workflows` runs of the chain started together, `rounds` times after a warm-up of half as
 * many (as in a long-running server); steps/s of each round, to the commit ending its last run.
 */
export async function batonConcurrent(
  engine: Engine,
  path: StepPath,
  workflows: number = SHAPE.workflows,
  rounds: number = SHAPE.rounds,
) {
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
  await round(Math.ceil(workflows / 2));
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) rates.push(await round(workflows));
  return rates;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
