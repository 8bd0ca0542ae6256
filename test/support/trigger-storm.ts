import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDefinition } from '../../src/dsl/parse.js';
import { isDatabaseUrl } from '../../src/server/open-store.js';
import { syncTimeTriggers } from '../../src/triggers/sync.js';
import { openBaton, type Baton } from '../../src/server/compose.js';
import { repoRoot } from './shared.js';

/**
 * The midnight storm (issue #13): many workflows whose time triggers share one cron second, fired by `baton server`
 * processes with the scheduler role on one store (the built CLI, `npm run build` first), on the real clock. Used by
 * the cluster tests (test/e2e, test/faults) and by bench/triggers.
 */
export interface StormOptions {
  /** A SQLite file or a postgres:// URL (with `?schema=`). */
  readonly db: string;
  readonly workflows: number;
  readonly schedulers: number;
  /** Seconds from the end of the set-up to the fire time (the processes start meanwhile). */
  readonly leadSeconds?: number;
  /** Kill -9 one scheduler this long after the fire time. */
  readonly killAfterMs?: number;
  /** Give up waiting this long after the fire time. */
  readonly timeoutMs?: number;
  readonly leaseMs?: number;
  readonly log?: (line: string) => void;
}

export interface StormResult {
  readonly fireTime: number;
  readonly instances: number;
  readonly workflowsFired: number;
  /** Instances beyond one per workflow. */
  readonly duplicates: number;
  /** From the fire time until the last instance was created / had its first step started, ms. */
  readonly allCreatedMs: number;
  readonly allStartedMs: number;
  readonly setupMs: number;
}

/** A workflow with one Quartz trigger at the given UTC second of every day, and one NoOp step. */
function stormDefinition(id: string, fire: Date): unknown {
  const cron = `${fire.getUTCSeconds()} ${fire.getUTCMinutes()} ${fire.getUTCHours()} * * ? *`;
  return {
    properties: { owner: 'storm', run_strategy: 'PARALLEL' },
    workflow: {
      id,
      time_triggers: [{ type: 'CRON', cron, timezone: 'UTC' }],
      steps: [{ step: { id: 'first', type: 'NoOp' } }],
    },
  };
}

/**
 * Stores `count` storm workflows firing at `fire`, 25 to a transaction, as `engine.createWorkflow` stores each (the
 * version, then the trigger subscription in the same transaction), a few transactions at a time.
 */
async function createWorkflows(baton: Baton, count: number, fire: Date, prefix: string): Promise<void> {
  const requests = Array.from({ length: count }, (_, i) => {
    const parsed = parseDefinition(stormDefinition(`${prefix}-${String(i).padStart(5, '0')}`, fire));
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    return parsed.workflow;
  });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < requests.length) {
      const chunk = requests.slice(next, next + 25);
      next += 25;
      await baton.store.transact(async (tx) => {
        for (const request of chunk) {
          await tx.insertWorkflowVersion({ request, author: 'storm', now: Date.now() });
          await syncTimeTriggers(tx, request.workflow.id, Date.now());
        }
      });
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
}

/** Resolves once a `baton server` has said it runs (its first line on stderr). */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      if (d.toString().includes('baton server: ')) resolve();
    });
    child.once('close', (code) => reject(new Error(`a scheduler exited (${code}) before it ran`)));
  });
}

export function startScheduler(db: string, leaseMs: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      // e.g. BATON_STORM_NODE_ARGS=--cpu-prof to profile the schedulers
      ...(process.env['BATON_STORM_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      path.join(repoRoot, 'bin/baton.js'),
      'server',
      '--db',
      db,
      '--roles',
      'scheduler,engine,worker',
      '--lease-ms',
      String(leaseMs),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BATON_DB: '' } },
  );
  child.stderr!.resume();
  return child;
}

interface Counts {
  instances: number;
  workflows: number;
  started: number;
  lastCreate: number;
  lastStart: number;
}

const COUNT_SQL = `SELECT count(*) AS instances, count(DISTINCT workflow_id) AS workflows, count(start_time) AS started,
  coalesce(max(create_time), 0) AS last_create, coalesce(max(start_time), 0) AS last_start
  FROM run WHERE workflow_id LIKE 'storm-%'`;

/** Runs created and first steps started in each second after the fire time: where a storm spends its time. */
const PROFILE_SQL = (fire: number) => `SELECT s, sum(c) AS created, sum(st) AS started FROM (
  SELECT (create_time - ${fire}) / 1000 AS s, count(*) AS c, 0 AS st FROM run WHERE workflow_id LIKE 'storm-%' GROUP BY 1
  UNION ALL
  SELECT (start_time - ${fire}) / 1000, 0, count(*) FROM run WHERE workflow_id LIKE 'storm-%' AND start_time IS NOT NULL
  GROUP BY 1) x GROUP BY s ORDER BY s`;

interface Counter {
  count(): Promise<Counts>;
  /** Brings the set-up's tables to a steady state: statistics gathered, writes checkpointed. */
  settle(): Promise<void>;
  /** `second: created/started` per second after `fire`. */
  profile(fire: number): Promise<string>;
  close(): Promise<void>;
}

const profileText = (rows: Record<string, unknown>[]): string =>
  rows.map((r) => `${Number(r['s'])}s: ${Number(r['created'])}/${Number(r['started'])}`).join(', ');

/** Reads the storm's runs in one aggregate query (a check must not load the processes it watches). */
async function openCounter(db: string): Promise<Counter> {
  const toCounts = (r: Record<string, unknown>): Counts => ({
    instances: Number(r['instances']),
    workflows: Number(r['workflows']),
    started: Number(r['started']),
    lastCreate: Number(r['last_create']),
    lastStart: Number(r['last_start']),
  });
  if (isDatabaseUrl(db)) {
    const url = new URL(db);
    const schema = url.searchParams.get('schema') ?? 'public';
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`SET search_path TO ${client.escapeIdentifier(schema)}`);
    return {
      count: async () => toCounts((await client.query(COUNT_SQL)).rows[0] as Record<string, unknown>),
      settle: async () => {
        await client.query('ANALYZE');
        await client.query('CHECKPOINT');
      },
      profile: async (fire) => profileText((await client.query(PROFILE_SQL(fire))).rows),
      close: () => client.end(),
    };
  }
  const file = new Database(db, { readonly: true });
  return {
    count: async () => toCounts(file.prepare(COUNT_SQL).get() as Record<string, unknown>),
    settle: async () => undefined, // a read-only handle; SQLite's checkpoints are the writer's
    profile: async (fire) => profileText(file.prepare(PROFILE_SQL(fire)).all() as Record<string, unknown>[]),
    close: async () => void file.close(),
  };
}

/**
 * Runs one storm: stores the workflows (fire time `leadSeconds` after the set-up is done, rounded to the second),
 * starts the schedulers, optionally kills one -9, waits until every workflow has an instance whose first step
 * started (or the timeout), waits one lease longer for late duplicates, and stops the schedulers.
 */
export async function runStorm(options: StormOptions): Promise<StormResult> {
  const log = options.log ?? (() => undefined);
  const leaseMs = options.leaseMs ?? 3000;
  const setup = await openBaton({ db: options.db, claims: [] }); // never started: it claims nothing
  const children: ChildProcess[] = [];
  try {
    // The schedulers start first, so the storm meets them warm (as at midnight); they idle until the fire time.
    for (let i = 0; i < options.schedulers; i++) children.push(startScheduler(options.db, leaseMs));
    await Promise.all(children.map((c) => ready(c)));
    const began = Date.now();
    // The fire time is in the definitions, so it is fixed before they are stored: from the rate of a first few.
    const probe = Date.now();
    await createWorkflows(setup, 200, new Date(Date.now() + 86_400_000), 'probe');
    const perWorkflow = (Date.now() - probe) / 200;
    const lead = (options.leadSeconds ?? 5) * 1000;
    const fireTime = Math.ceil((Date.now() + perWorkflow * options.workflows * 1.25 + lead) / 1000) * 1000;
    await createWorkflows(setup, options.workflows, new Date(fireTime), 'storm');
    const setupMs = Date.now() - began;
    log(
      `stored ${options.workflows} workflows in ${setupMs} ms; fire at ${new Date(fireTime).toISOString()}`,
    );
    if (Date.now() > fireTime - 1000)
      throw new Error('the set-up took longer than the lead before the fire time');
    if (options.killAfterMs !== undefined) {
      const victim = children[0]!;
      setTimeout(() => victim.kill('SIGKILL'), Math.max(0, fireTime + options.killAfterMs - Date.now()));
    }
    const deadline = fireTime + (options.timeoutMs ?? 120_000);
    const counter = await openCounter(options.db);
    // A database that has run a while has statistics of its tables and no write-back owed; a set-up that has just
    // stored thousands of workflows has neither, and the storm would pay for the set-up (an ANALYZE, a checkpoint).
    await counter.settle();
    if (Date.now() > fireTime - 500) throw new Error('settling the database took longer than the lead');
    let counts = await counter.count();
    try {
      while (counts.started < options.workflows && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        counts = await counter.count();
      }
      // A scheduler that took a dead one's items over might still start something twice: give it a lease to show.
      await new Promise((r) => setTimeout(r, leaseMs + 1000));
      counts = await counter.count();
      log(`created/started per second after the fire time: ${await counter.profile(fireTime)}`);
    } finally {
      await counter.close();
    }
    return {
      fireTime,
      instances: counts.instances,
      workflowsFired: counts.workflows,
      duplicates: counts.instances - counts.workflows,
      allCreatedMs: counts.lastCreate - fireTime,
      allStartedMs: counts.lastStart - fireTime,
      setupMs,
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await setup.close({ keepDatabase: true });
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
