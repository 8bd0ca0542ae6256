// bench/api: starts 10,000 runs through the HTTP API with autocannon, then lists them, on SQLite (1 server) and on
// PostgreSQL with 1 and 3 servers (`baton server` processes on one database). Reports requests per second, p50/p99
// latency, and how long the engine took to finish the runs. Usage:
//   npm run bench:api [-- --runs 10000] ; PostgreSQL configurations need BATON_BENCH_PG_URL (any database on the
//   server; scratch databases are made and dropped) and are skipped without it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { withScratchDatabase } from '../peers/scratch-db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10_000;
const CONNECTIONS = 30;
const WORKFLOW = JSON.stringify({
  // Runs in parallel (Maestro's default, SEQUENTIAL, would run the 10,000 one after another).
  properties: { owner: 'bench', run_strategy: { rule: 'PARALLEL', workflow_concurrency: 1000 } },
  workflow: { id: 'api-bench', steps: [{ step: { id: 'only', type: 'NoOp' } }] },
});

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Starts `baton server` on `db` and resolves with its URL once it serves. */
function startServer(db: string, roles: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin/baton.js'), 'server', '--db', db, '--port', '0', '--roles', roles],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /Baton is serving (http:\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', () => undefined);
    child.once('exit', (code) => reject(new Error(`baton server exited ${code}: ${out}`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

/** How many runs have SUCCEEDED, from the workflow's overview. */
async function runsEnded(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v3/workflows/api-bench/overview`);
  const overview = (await res.json()) as { instance_status_counts?: { SUCCEEDED?: number } };
  return overview.instance_status_counts?.SUCCEEDED ?? 0;
}

interface Row {
  config: string;
  startRps: number;
  startP50: number;
  startP99: number;
  errors: number;
  drainMs: number;
  listRps: number;
  listP99: number;
}

async function measure(config: string, db: string, servers: number): Promise<Row> {
  // The first server runs every role; the others serve the API and run workers too (engine roles on all: any may admit).
  const started: Server[] = [];
  for (let i = 0; i < servers; i++) started.push(await startServer(db, 'engine,worker,api'));
  try {
    const urls = started.map((s) => s.url);
    const push = await fetch(`${urls[0]}/api/v3/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user: 'bench' },
      body: WORKFLOW,
    });
    if (!push.ok) throw new Error(`push failed: ${push.status} ${await push.text()}`);
    const t0 = performance.now();
    const starts = await cannon({
      // autocannon takes several URLs (connections spread over them); its types only say one.
      url: urls.map(
        (u) => `${u}/api/v3/workflows/api-bench/versions/latest/actions/start`,
      ) as unknown as string,
      method: 'POST',
      headers: { 'content-type': 'application/json', user: 'bench' },
      body: '{"initiator": {"type": "manual"}}',
      connections: CONNECTIONS - (CONNECTIONS % servers),
      amount: RUNS,
    });
    // Drain: every run has SUCCEEDED.
    for (;;) {
      if ((await runsEnded(urls[0]!)) >= RUNS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const drainMs = performance.now() - t0;
    const lists = await cannon({
      url: urls.map((u) => `${u}/api/v3/workflows/api-bench/instances?first=100`) as unknown as string,
      connections: 10 - (10 % servers),
      amount: 2_000,
    });
    return {
      config,
      startRps: starts.requests.average,
      startP50: starts.latency.p50,
      startP99: starts.latency.p99,
      errors: starts.errors + starts.non2xx + lists.errors + lists.non2xx,
      drainMs,
      listRps: lists.requests.average,
      listP99: lists.latency.p99,
    };
  } finally {
    for (const s of started) await stopServer(s);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-api-bench-'));
  try {
    rows.push(await measure('SQLite, 1 server', path.join(dir, 'bench.db'), 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pg = process.env['BATON_BENCH_PG_URL'];
  if (pg) {
    for (const servers of [1, 3]) {
      rows.push(
        await withScratchDatabase(pg, `baton_api_bench_${servers}`, (url) =>
          measure(`PostgreSQL, ${servers} server${servers > 1 ? 's' : ''}`, url, servers),
        ),
      );
    }
  } else {
    console.log(
      'PostgreSQL configurations skipped: set BATON_BENCH_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  }
  console.log(
    `\n${RUNS} starts with ${CONNECTIONS} connections, then 2,000 lists of 100 instances; load ${loadavg()[0]!.toFixed(1)}\n`,
  );
  console.log(
    '| configuration | starts/s | start p50 (ms) | start p99 (ms) | all runs ended after (s) | lists/s | list p99 (ms) | errors |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.config} | ${r.startRps.toFixed(0)} | ${r.startP50} | ${r.startP99} | ${(r.drainMs / 1000).toFixed(1)} | ${r.listRps.toFixed(0)} | ${r.listP99} | ${r.errors} |`,
    );
}

await main();
