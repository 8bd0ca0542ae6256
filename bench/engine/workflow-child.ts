// One round of bench:workflow for one system, in a process of its own (forked by workflow-bench.ts): argv is
// `baton|dbos <database url> <chains> <workflows>`. It runs the concurrent shape (a warm-up of half as many, then one
// round of `workflows` runs), then the chain shape (warm-ups, then `chains` measured runs: after the concurrent shape,
// as in a long-running server, the code they run is compiled), and sends the result to the runner over IPC. Nothing
// else runs in this process: no other system's pool, pollers or timers.
import { performance } from 'node:perf_hooks';
import { launchDbos } from '../peers/dbos.js';
import { batonChain, batonConcurrent, SHAPE, withBatonEngine, type StepPath } from './baton-shapes.js';

/** Measured chain runs (ms), their hops (Baton), the Node CPU they took per step (ms), one concurrent round's rate. */
export interface ChainShape {
  readonly runMs: number[];
  readonly hops: number[];
  readonly cpuPerStepMs: number;
  readonly stepsPerSecond: number;
}

export type ChildResult =
  | { readonly system: 'baton'; readonly paths: Record<StepPath, ChainShape> }
  | { readonly system: 'dbos'; readonly version: string; readonly shape: ChainShape };

/** Node CPU (user + system) in ms that `f` took, beside its result. */
async function withCpu<T>(f: () => Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await f();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}

async function baton(url: string, chains: number, workflows: number): Promise<ChildResult> {
  const paths = {} as Record<StepPath, ChainShape>;
  for (const path of ['queued', 'inline'] as const)
    paths[path] = await withBatonEngine(url, `wf_${path}`, async (engine, marks) => {
      const [stepsPerSecond] = await batonConcurrent(engine, path, workflows, 1);
      const chain = await batonChain(engine, marks, path, SHAPE.steps, chains);
      const cpuPerStepMs = chain.cpuMs / chains / SHAPE.steps;
      return { runMs: chain.runMs, hops: chain.hops, cpuPerStepMs, stepsPerSecond: stepsPerSecond! };
    });
  return { system: 'baton', paths };
}

async function dbos(url: string, chains: number, workflows: number): Promise<ChildResult> {
  const peer = await launchDbos(url, SHAPE.steps);
  try {
    const [stepsPerSecond] = await peer.concurrent(workflows, 1);
    for (let i = 0; i < SHAPE.warmups; i++) await peer.chain();
    const runMs: number[] = [];
    const { cpuMs } = await withCpu(async () => {
      for (let i = 0; i < chains; i++) runMs.push(await peer.chain());
    });
    const shape = {
      runMs,
      hops: [],
      cpuPerStepMs: cpuMs / chains / SHAPE.steps,
      stepsPerSecond: stepsPerSecond!,
    };
    return { system: 'dbos', version: peer.version, shape };
  } finally {
    await peer.shutdown();
  }
}

async function main(): Promise<void> {
  const [system, url, chains, workflows] = process.argv.slice(2);
  if (process.send === undefined)
    throw new Error('workflow-child: run it through bench/engine/workflow-bench.ts');
  if ((system !== 'baton' && system !== 'dbos') || url === undefined)
    throw new Error(
      `workflow-child: expected 'baton|dbos <url> <chains> <workflows>', got ${process.argv.slice(2).join(' ')}`,
    );
  const t0 = performance.now();
  const result = await (system === 'baton' ? baton : dbos)(url, Number(chains), Number(workflows));
  await new Promise<void>((resolve, reject) =>
    process.send!({ ...result, wallMs: performance.now() - t0 }, (error: Error | null) =>
      error ? reject(error) : resolve(),
    ),
  );
  process.disconnect();
}

await main();
