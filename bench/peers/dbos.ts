// Peer benchmark: DBOS Transact (durable workflows on PostgreSQL, in TypeScript) on the same PostgreSQL server as
// Baton's workloads, with the same two shapes as bench/engine/workflow-bench.ts:
// - chain: one workflow of `steps` sequential no-op steps (`DBOS.runStep`), called and awaited, `repeats` times
//   after `warmups`; the latency of each workflow from the call to its result (the workflow's status row is written
//   SUCCESS before the call returns);
// - concurrent: `workflows` such workflows called at once, steps per second from the first call to the last result.
// Each step is checkpointed (its output row committed) before the next one runs; that is what makes the workflow
// durable, and what Baton's step transitions are measured against. DBOS runs with its defaults (system database
// pool of 10, LISTEN/NOTIFY on), as Baton's PostgreSQL store does (pool of 10).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DBOS } from '@dbos-inc/dbos-sdk';

export interface DbosBenchOptions {
  /** An empty scratch database; DBOS installs its system schema there. */
  readonly connectionString: string;
  readonly steps: number;
  readonly warmups: number;
  readonly repeats: number;
  /** Workflows run at once in the concurrent shape, and how many rounds of them (the median is reported). */
  readonly workflows: number;
  readonly rounds: number;
}

export interface DbosBenchResult {
  readonly version: string;
  /** Milliseconds per workflow of the chain shape, in the order they ran. */
  readonly chainMs: readonly number[];
  /** Steps per second of each round of the concurrent shape. */
  readonly stepsPerSecond: readonly number[];
  readonly settings: Record<string, unknown>;
}

/** The installed version: its package.json is not exported, so it is found from the entry point upwards. */
function installedVersion(name: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (json.name === name && json.version !== undefined) return json.version;
  }
  throw new Error(`no package.json of ${name} above its entry point`);
}
const version = installedVersion('@dbos-inc/dbos-sdk');

const noop = (): Promise<number> => Promise.resolve(0);

/** A workflow of `n` sequential no-op steps, each checkpointed by DBOS before the next. */
async function chainWorkflow(n: number): Promise<number> {
  let done = 0;
  for (let i = 0; i < n; i++) done += 1 + (await DBOS.runStep(noop, { name: `s${i}` }));
  return done;
}

/** DBOS launched on a scratch database, with one chain workflow registered: run it alone or many at once. */
export interface DbosChain {
  readonly version: string;
  readonly settings: Record<string, unknown>;
  /** One chain workflow, called and awaited; its latency in milliseconds. */
  chain(): Promise<number>;
  /** `workflows` chains at once, `rounds` times after a warm-up of half as many: steps per second of each round. */
  concurrent(workflows: number, rounds: number): Promise<number[]>;
  shutdown(): Promise<void>;
}

/**
 * Launches DBOS on `connectionString` with a chain of `steps` no-op steps. DBOS is a process-wide singleton: launch
 * it once per process, and shut it down at the end.
 */
export async function launchDbos(connectionString: string, steps: number): Promise<DbosChain> {
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`dbos bench: steps must be a positive integer, got ${steps}`);
  const workflow = DBOS.registerWorkflow(chainWorkflow, { name: 'baton_bench_chain' });
  DBOS.setConfig({ name: 'baton-bench', systemDatabaseUrl: connectionString, logLevel: 'error' });
  await DBOS.launch();
  const run = async (): Promise<void> => {
    const done = await workflow(steps);
    if (done !== steps) throw new Error(`a DBOS workflow ran ${done} of ${steps} steps`);
  };
  return {
    version,
    settings: { invocation: 'direct (await the workflow function)', pool: 'default (10)', logLevel: 'error' },
    async chain() {
      const t0 = performance.now();
      await run();
      return performance.now() - t0;
    },
    async concurrent(workflows, rounds) {
      await Promise.all(Array.from({ length: Math.ceil(workflows / 2) }, run)); // warm-up
      const stepsPerSecond: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        await Promise.all(Array.from({ length: workflows }, run));
        stepsPerSecond.push((workflows * steps * 1000) / (performance.now() - t0));
      }
      return stepsPerSecond;
    },
    shutdown: () => DBOS.shutdown(),
  };
}

/** Launches DBOS, runs both shapes (the chains one after another), and shuts it down. */
export async function benchDbos(options: DbosBenchOptions): Promise<DbosBenchResult> {
  const { steps, warmups, repeats, workflows, rounds } = options;
  for (const [name, value] of Object.entries({ steps, warmups, repeats, workflows, rounds }))
    if (!Number.isInteger(value) || value < (name === 'warmups' ? 0 : 1))
      throw new Error(`dbos bench: ${name} must be a positive integer, got ${value}`);
  const dbos = await launchDbos(options.connectionString, steps);
  try {
    for (let i = 0; i < warmups; i++) await dbos.chain();
    const chainMs: number[] = [];
    for (let i = 0; i < repeats; i++) chainMs.push(await dbos.chain());
    const stepsPerSecond = await dbos.concurrent(workflows, rounds);
    return { version, chainMs, stepsPerSecond, settings: dbos.settings };
  } finally {
    await dbos.shutdown();
  }
}
