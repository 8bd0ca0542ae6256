import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseDefinitionText } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import type { StepState } from '../../src/engine/state.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import type { RunRecord, Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { pgSchemaUrl, pgTestUrl } from '../support/postgres.js';
import { repoRoot } from '../support/shared.js';

/** One `baton server` process of the cluster under test. */
export interface Server {
  readonly child: ChildProcess;
  output(): string;
}

/**
 * Baton processes sharing one PostgreSQL schema, started with `bin/baton.js server` (the built CLI, as users run
 * it), and a client in the test process that stores workflows and starts runs without running anything itself.
 */
export class Cluster {
  readonly servers: Server[] = [];
  private constructor(
    readonly schema: string,
    readonly store: Store,
    readonly client: Engine,
  ) {}

  static async open(schema: string): Promise<Cluster> {
    const store = await openPostgresStore({ clock: systemClock }, { url: pgTestUrl!, schema, poolSize: 4 });
    // Never started: it claims nothing, so every step is run by the servers.
    const client = createEngine({
      store,
      clock: systemClock,
      runtimes: createStepRuntimes(),
      evaluator: createEngineEvaluator(),
    });
    return new Cluster(schema, store, client);
  }

  startServer(extra: readonly string[] = []): Server {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/baton.js'),
        'server',
        '--db',
        pgSchemaUrl(this.schema),
        '--lease-ms',
        '1500',
        '--time-scale',
        '0.2',
        '--port',
        '0',
        ...extra,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BATON_DB: '' } },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const server = { child, output: () => out };
    this.servers.push(server);
    return server;
  }

  async createWorkflow(yaml: string): Promise<void> {
    const parsed = parseDefinitionText(yaml, { file: 'fault.yaml' });
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await this.client.createWorkflow(parsed.workflow);
  }

  /** Starts `count` runs, a few at a time (as several API callers would). */
  async startRuns(workflowId: string, count: number): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        next += 1;
        await this.client.startRun({ workflow_id: workflowId });
      }
    };
    await Promise.all(Array.from({ length: 4 }, lane));
  }

  async countRuns(workflowId: string, statuses: RunRecord['status'][]): Promise<number> {
    return this.store.transact((tx) => tx.countRunsByStatus(workflowId, statuses));
  }

  /** Every run of a workflow with its steps, as stored. */
  async runs(
    workflowId: string,
    count: number,
  ): Promise<{ run: RunRecord; steps: Record<string, StepState> }[]> {
    const out: { run: RunRecord; steps: Record<string, StepState> }[] = [];
    for (let instance = 1; instance <= count; instance++) {
      const loaded = await this.client.getRun({ workflow_id: workflowId, instance_id: instance, run_id: 1 });
      if (loaded) out.push({ run: loaded.run, steps: loaded.state.steps as Record<string, StepState> });
    }
    return out;
  }

  /** The outbox's step status changes: (run, step, attempt) → the statuses it went through, in order. */
  async stepTransitions(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    let after = 0;
    for (;;) {
      const events = await this.store.transact((tx) => tx.readOutbox(after, 5000));
      if (events.length === 0) return out;
      for (const e of events) {
        after = e.id;
        if (e.type !== 'STEP_INSTANCE_STATUS_CHANGE_EVENT') continue;
        const p = e.payload as Record<string, string | number> & {
          status_change_records: { new_status: string }[];
        };
        const key = `${p['workflow_id']}/${p['workflow_instance_id']}/${p['workflow_run_id']}/${p['step_id']}#${p['step_attempt_id']}`;
        out.set(key, [...(out.get(key) ?? []), ...p.status_change_records.map((r) => r.new_status)]);
      }
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.servers.map((s) => stop(s)));
  }

  async close(): Promise<void> {
    for (const s of this.servers) if (alive(s)) s.child.kill('SIGKILL');
    await this.store.close();
  }
}

export function alive(server: Server): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** SIGTERM, then wait for the process to exit. */
export async function stop(server: Server): Promise<void> {
  if (!alive(server)) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

export async function killHard(server: Server): Promise<void> {
  if (!alive(server)) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

export async function until(what: string, probe: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The pid inside an engine owner name (`host:pid:random`). */
export function pidOf(worker: string | undefined): number | undefined {
  const pid = worker?.split(':')[1];
  return pid === undefined ? undefined : Number(pid);
}
