// Peer benchmark: graphile-worker (a PostgreSQL job queue for Node.js) on the same PostgreSQL server as Baton's
// PostgreSQL workloads, so the engine benchmark can print both side by side.
//
// Measured, on an empty database of its own:
// - enqueueMs: `jobs` no-op jobs added with the batch API (`addJobs`, one `add_jobs` call per chunk of
//   ENQUEUE_CHUNK jobs) while no worker runs;
// - drainMs: from calling `run()` (worker start-up included; the schema is already migrated) until
//   graphile-worker's jobs table is empty, i.e. every job has run and its completion has been committed.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import pg from 'pg';
import type { AddJobsJobSpec, Runner, Task, WorkerUtils } from 'graphile-worker';

export interface GraphileWorkerBenchOptions {
  /** An empty scratch database; graphile-worker installs its schema there. */
  connectionString: string;
  /** How many no-op jobs to enqueue and drain. */
  jobs: number;
  /** Jobs run at once by the one worker pool (graphile-worker's `concurrentJobs`); default 10. */
  concurrency?: number;
}

export interface GraphileWorkerBenchResult {
  version: string;
  jobs: number;
  enqueueMs: number;
  drainMs: number;
  jobsPerSecond: number;
  settings: Record<string, unknown>;
}

/** The installed graphile-worker's version (the package exports no constant for it). */
const version = (createRequire(import.meta.url)('graphile-worker/package.json') as { version: string })
  .version;

/** graphile-worker's schema; its jobs live in `_private_jobs` since migration 000016 (0.16). */
const SCHEMA = 'graphile_worker';
const JOBS_TABLE = `${SCHEMA}._private_jobs`;
const TASK = 'baton_bench_noop';
/** Jobs per `add_jobs` call, to keep one statement's parameter bounded when `jobs` is large. */
const ENQUEUE_CHUNK = 10_000;
/** How often the jobs table is counted once every job has reported success. */
const EMPTY_POLL_MS = 2;

/** graphile-worker logs every completed job at info level; a benchmark wants none of it. */
const silentLogger = new Logger(() => () => {});

/**
 * Enqueues `jobs` no-op jobs in bulk, then drains them with one graphile-worker pool, using the batching
 * options graphile-worker documents for high throughput (see `settings` for the exact values).
 */
export async function benchGraphileWorker(
  options: GraphileWorkerBenchOptions,
): Promise<GraphileWorkerBenchResult> {
  const { connectionString, jobs } = options;
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a positive integer, got ${jobs}`);
  const concurrentJobs = options.concurrency ?? 10;
  // https://worker.graphile.org/docs/performance: the published numbers use a local queue of 500,
  // completeJobBatchDelay 0 and failJobBatchDelay 0, with maxPoolSize = concurrentJobs + 1. The option docs
  // (interfaces.d.ts) suggest maxPoolSize max(10, concurrentJobs + 2) and a local queue of at least
  // concurrentJobs + 1, "much higher" for very fast tasks.
  const worker = {
    schema: SCHEMA,
    concurrentJobs,
    maxPoolSize: Math.max(10, concurrentJobs + 2),
    localQueue: { size: Math.max(500, concurrentJobs + 1) },
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
    pollInterval: 2000,
    preparedStatements: true,
  } satisfies GraphileConfig.WorkerOptions;
  const preset: GraphileConfig.Preset = { worker: { ...worker, logger: silentLogger } };

  // One pool of our own for the utils and the runner: graphile-worker ends a pool it made without waiting for
  // its connections to close, and drops its error handler first, so a caller dropping the database right
  // after (DROP DATABASE ... WITH (FORCE)) could crash the process with an unhandled 57P01.
  const pool = new OwnedPool(connectionString, worker.maxPoolSize);
  let utils: WorkerUtils | undefined;
  let runner: Runner | undefined;
  try {
    utils = await makeWorkerUtils({ pgPool: pool.pool, preset });
    await utils.migrate();

    const enqueueStart = performance.now();
    for (let done = 0; done < jobs; done += ENQUEUE_CHUNK) {
      const specs: AddJobsJobSpec[] = [];
      for (let i = done; i < Math.min(jobs, done + ENQUEUE_CHUNK); i++)
        specs.push({ identifier: TASK, payload: {} });
      await utils.addJobs(specs);
    }
    const enqueueMs = performance.now() - enqueueStart;
    const queued = await countJobs(utils);
    if (queued !== jobs) throw new Error(`expected ${jobs} queued jobs, found ${queued}`);

    let succeeded = 0;
    let allSucceeded!: () => void;
    const allDone = new Promise<void>((resolve) => (allSucceeded = resolve));
    const noop: Task = () => {
      if (++succeeded === jobs) allSucceeded();
    };

    const drainStart = performance.now();
    const started = await run({
      pgPool: pool.pool,
      preset,
      taskList: { [TASK]: noop },
      crontab: '',
      noHandleSignals: true,
    });
    runner = started;
    const failed = new Promise<never>((_, reject) => {
      started.events.once('job:failed', ({ error }) =>
        reject(new Error(`a no-op job failed: ${String(error)}`)),
      );
      started.promise.then(
        () => reject(new Error('the graphile-worker runner stopped before the jobs were drained')),
        reject,
      );
    });
    failed.catch(() => {}); // only observed through the race below
    const timeout = new AbortController();
    const limitMs = Math.max(60_000, jobs * 5);
    const timedOut = sleep(limitMs, undefined, { signal: timeout.signal }).then(() => {
      throw new Error(`graphile-worker did not run ${jobs} jobs within ${limitMs} ms (${succeeded} ran)`);
    });
    timedOut.catch(() => {}); // rejects with AbortError once the race is over
    try {
      await Promise.race([allDone, failed, timedOut]);
    } finally {
      timeout.abort();
    }
    // Completions are batched (completeJobBatchDelay), so the last ones may still be on their way.
    while ((await countJobs(utils)) > 0) await sleep(EMPTY_POLL_MS);
    const drainMs = performance.now() - drainStart;

    return {
      version,
      jobs,
      enqueueMs: round(enqueueMs),
      drainMs: round(drainMs),
      jobsPerSecond: Math.round(jobs / (drainMs / 1000)),
      settings: {
        ...worker,
        workerPools: 1,
        enqueue: `WorkerUtils.addJobs, ${ENQUEUE_CHUNK} jobs per call`,
        drainMeasuredFrom: 'run() called (start-up included) to jobs table empty',
        NO_LOG_SUCCESS: Boolean(process.env.NO_LOG_SUCCESS),
      },
    };
  } finally {
    try {
      if (runner) await runner.stop('benchmark finished');
      await utils?.release();
    } finally {
      await pool.close();
    }
  }
}

/** A pg pool whose `close()` resolves only once every connection it opened has closed. */
class OwnedPool {
  readonly pool: pg.Pool;
  private readonly closed: Promise<void>[] = [];
  private ending = false;

  constructor(connectionString: string, max: number) {
    this.pool = new pg.Pool({ connectionString, max });
    // Errors on idle clients surface here; once closing, a terminated connection is expected.
    this.pool.on('error', (err) => {
      if (!this.ending) console.error(`graphile-worker bench: idle connection error: ${err.message}`);
    });
    this.pool.on('connect', (client) => {
      client.on('error', () => {}); // a checked-out client's error also rejects the query that is running
      this.closed.push(new Promise((resolve) => client.once('end', () => resolve())));
    });
  }

  async close(): Promise<void> {
    this.ending = true;
    await this.pool.end();
    await Promise.all(this.closed);
  }
}

async function countJobs(utils: WorkerUtils): Promise<number> {
  const { rows } = await utils.withPgClient((client) =>
    client.query<{ n: number }>(`select count(*)::int as n from ${JOBS_TABLE}`),
  );
  return rows[0]?.n ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
