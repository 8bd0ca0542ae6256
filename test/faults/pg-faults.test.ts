// Many stateless processes on one PostgreSQL lose nothing: three `baton server` processes share 500 workflows; one
// of them is killed with SIGKILL every few seconds while they run; PostgreSQL itself is stopped and started again
// mid-run. Run alone (vitest.faults.config.ts), after the other suites, because it restarts the database server.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { STEP_STATUS_TRAITS, type StepInstanceStatus } from '../../src/model/status.js';
import { dropSchema, freshSchema, hasPg, PG_SKIP_REASON } from '../support/postgres.js';
import { alive, Cluster, killHard, pidOf, sleep, until } from './cluster.js';

/**
 * Ten steps: a fan-out of eight between a first and a last. `sleepers` of the eight sleep (polled: between polls no
 * process holds them, so any process resumes them) and `shells` run `sleep 0.5` (a process holds the lease all
 * along, so killing it loses the attempt); the rest are NoOp.
 */
function tenSteps(id: string, sleepers: number, shells = 0): string {
  const retry = `retry_policy: { platform_retry_limit: 20, backoff: { type: FIXED_BACKOFF, platform_retry_backoff_in_secs: 1 } }`;
  const middle = Array.from({ length: 8 }, (_, i) => {
    const kind =
      i < sleepers
        ? `type: Sleep, params: { sleep_seconds: { type: LONG, value: 1 } }`
        : i < sleepers + shells
          ? `type: Shell, params: { command: { type: STRING, value: "sleep 0.5" } }`
          : 'type: NoOp';
    return `    - step: { id: s${i + 2}, ${kind}, ${retry}, transition: { successors: { s10: "true" } } }`;
  });
  const fan = Array.from({ length: 8 }, (_, i) => `s${i + 2}: "true"`).join(', ');
  return `
properties: { owner: tester, run_strategy: { rule: PARALLEL, workflow_concurrency: 1000 }, step_concurrency: 1000 }
workflow:
  id: ${id}
  steps:
    - step: { id: s1, type: NoOp, ${retry}, transition: { successors: { ${fan} } } }
${middle.join('\n')}
    - step: { id: s10, type: NoOp, ${retry} }
`;
}

/** Waits for every run to succeed; on a timeout, says where the runs are and what the servers printed. */
async function allSucceed(c: Cluster, workflowId: string): Promise<void> {
  try {
    await until(
      'every run to succeed',
      async () => (await c.countRuns(workflowId, ['SUCCEEDED'])) === RUNS,
      180_000,
    );
  } catch (error) {
    const runs = await c.runs(workflowId, RUNS);
    const stuck = runs.filter((r) => r.run.status !== 'SUCCEEDED').slice(0, 3);
    const servers = c.servers.map(
      (s) => `[exit ${s.child.exitCode ?? s.child.signalCode}] ${s.output().slice(-2000)}`,
    );
    throw new Error(
      `${(error as Error).message}: ${runs.length} runs stored; first unfinished: ${JSON.stringify(
        stuck.map((r) => ({
          id: r.run.instance_id,
          status: r.run.status,
          steps: Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, `${v.status}#${v.attempt}`])),
          // why each unfinished step's attempts ended, and who ran them
          attempts: Object.fromEntries(
            Object.entries(r.steps)
              .filter(([, v]) => v.status !== 'SUCCEEDED')
              .map(([k, v]) => [
                k,
                [...(v.history ?? []), v].map(
                  (a) => `${a.attempt} ${a.status} ${a.worker ?? '-'}: ${a.message ?? ''}`,
                ),
              ]),
          ),
        })),
      )}\nservers:\n${servers.join('\n')}`,
      { cause: error },
    );
  }
}

const RUNS = 500;
const pgCluster = process.env['BATON_TEST_PG_CLUSTER']; // e.g. "15 main": lets the test restart PostgreSQL

let cluster: Cluster | undefined;
afterEach(async () => {
  if (!cluster) return;
  await cluster.close();
  await dropSchema(cluster.schema);
  cluster = undefined;
});

async function openCluster(): Promise<Cluster> {
  cluster = await Cluster.open(freshSchema('faults'));
  return cluster;
}

/** Every step succeeded exactly once; every attempt before the last was lost to a platform failure. */
async function checkNothingLostOrDoubled(c: Cluster, workflowId: string): Promise<{ retried: number }> {
  const runs = await c.runs(workflowId, RUNS);
  expect(runs).toHaveLength(RUNS);
  expect(runs.filter((r) => r.run.status !== 'SUCCEEDED').map((r) => r.run.instance_id)).toEqual([]);

  let retried = 0;
  for (const { run, steps } of runs) {
    expect(Object.keys(steps).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `s${i + 1}`).sort());
    for (const [id, step] of Object.entries(steps)) {
      expect(step.status, `${run.instance_id}/${id}`).toBe('SUCCEEDED');
      expect(step.retries, `${run.instance_id}/${id}`).toEqual({
        error: 0,
        platform: step.attempt - 1,
        timeout: 0,
      });
      for (const earlier of step.history ?? []) expect(earlier.status).toBe('PLATFORM_FAILED');
      retried += step.attempt - 1;
    }
  }

  // The outbox is written in the same transaction as each transition: an attempt that completed twice would show
  // two ends for the same (run, step, attempt).
  const ends = (statuses: string[]) =>
    statuses.filter((s) => STEP_STATUS_TRAITS[s as StepInstanceStatus].complete || s === 'PLATFORM_FAILED');
  const transitions = await c.stepTransitions();
  let attempts = 0;
  for (const [key, statuses] of transitions) {
    if (!key.startsWith(`${workflowId}/`)) continue;
    attempts += 1;
    expect(ends(statuses), key).toHaveLength(1);
  }
  expect(attempts).toBe(RUNS * 10 + retried);
  return { retried };
}

describe.skipIf(!hasPg)('fault tests on PostgreSQL', () => {
  it('three processes share the work of 500 workflows of 10 steps, and all complete', async () => {
    const c = await openCluster();
    await c.createWorkflow(tenSteps('shared', 1));
    const servers = [c.startServer(), c.startServer(), c.startServer()];
    await c.startRuns('shared', RUNS);
    await allSucceed(c, 'shared');
    await checkNothingLostOrDoubled(c, 'shared');

    const byProcess = new Map<number | undefined, number>();
    for (const { steps } of await c.runs('shared', RUNS))
      for (const step of Object.values(steps))
        byProcess.set(pidOf(step.worker), (byProcess.get(pidOf(step.worker)) ?? 0) + 1);
    for (const server of servers)
      expect(byProcess.get(server.child.pid!) ?? 0, server.output()).toBeGreaterThan(0);
    // Every step ran in a server, except NoOp steps the client completed inline when it admitted a run it started.
    const known = (pid: number | undefined) =>
      pid === process.pid || servers.some((s) => s.child.pid === pid);
    expect([...byProcess.keys()].every(known)).toBe(true);
    await c.stopAll();
  });

  it('loses no instance and completes no attempt twice while a process is killed every few seconds', async () => {
    const c = await openCluster();
    await c.createWorkflow(tenSteps('killed', 4, 2));
    c.startServer();
    c.startServer();
    c.startServer();
    // Kill while the runs are being started and run: a process dies every 1-2 s, and a new one takes its place
    // (its leases are taken over when they run out).
    const starting = c.startRuns('killed', RUNS);
    let kills = 0;
    for (let round = 0; round < 8 && (await c.countRuns('killed', ['SUCCEEDED'])) < RUNS; round++) {
      await sleep(1000 + Math.floor(Math.random() * 1000));
      const live = c.servers.filter(alive);
      await killHard(live[Math.floor(Math.random() * live.length)]!);
      kills += 1;
      c.startServer();
    }
    await starting;
    await allSucceed(c, 'killed');
    expect(kills).toBeGreaterThan(0);
    const { retried } = await checkNothingLostOrDoubled(c, 'killed');
    expect(retried).toBeGreaterThan(0); // the kills did hit running attempts, and each came back as a platform retry
    await c.stopAll();
  });

  it('splits the roles: one engine-only process admits and times, two worker-only processes run every queued step', async () => {
    const c = await openCluster();
    await c.createWorkflow(`
properties: { owner: tester, run_strategy: { rule: PARALLEL, workflow_concurrency: 5 } }
workflow:
  id: roles
  steps:
    - step: { id: a, type: NoOp, transition: { successors: { b: "true" } } }
    - step: { id: b, type: Sleep, params: { sleep_seconds: { type: LONG, value: 1 } }, transition: { successors: { c: "true" } } }
    - step: { id: c, type: NoOp }
`);
    const engine = c.startServer(['--roles', 'engine']);
    const workers = [c.startServer(['--roles', 'worker']), c.startServer(['--roles', 'worker'])];
    const runs = 30;
    await c.startRuns('roles', runs); // 5 run at once; the rest wait for admission, which only the engine claims
    await until(
      'every run to succeed',
      async () => (await c.countRuns('roles', ['SUCCEEDED'])) === runs,
      120_000,
    );
    // Sleep (b) goes to a worker. NoOp completes inline in whichever process decided: `a` where the run was
    // admitted (the client for the first five, then the engine, which alone claims admissions), `c` where b's result
    // was applied (the worker that ran b).
    const ran = {
      a: new Set<number | undefined>(),
      b: new Set<number | undefined>(),
      c: new Set<number | undefined>(),
    };
    for (const { steps } of await c.runs('roles', runs))
      for (const id of ['a', 'b', 'c'] as const) ran[id].add(pidOf(steps[id]!.worker));
    const workerPids = workers.map((w) => w.child.pid);
    expect([...ran.b].sort()).toEqual([...workerPids].sort());
    expect([...ran.a].every((pid) => pid === engine.child.pid || pid === process.pid)).toBe(true);
    expect(ran.a.has(engine.child.pid)).toBe(true);
    expect([...ran.c].every((pid) => workerPids.includes(pid))).toBe(true);
    await c.stopAll();
  });

  it.skipIf(pgCluster === undefined)(
    'finishes the runs when PostgreSQL is stopped and started again mid-run',
    async () => {
      const [version, name] = pgCluster!.split(' ');
      const ctl = (action: string) =>
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version!, name!, action], {
          stdio: 'pipe',
        });
      const c = await openCluster();
      await c.createWorkflow(tenSteps('restarted', 4, 2));
      const servers = [c.startServer(), c.startServer()];
      await c.startRuns('restarted', RUNS);
      await until(
        'some runs to succeed',
        async () => (await c.countRuns('restarted', ['SUCCEEDED'])) > 20,
        120_000,
      );
      try {
        ctl('stop');
        await sleep(3000);
      } finally {
        ctl('start');
      }
      await allSucceed(c, 'restarted');
      for (const server of servers) expect(alive(server), server.output()).toBe(true);
      await checkNothingLostOrDoubled(c, 'restarted');
      await c.stopAll();
    },
  );
});

describe.skipIf(hasPg)('fault tests', () => {
  it.skip(PG_SKIP_REASON, () => {});
});
