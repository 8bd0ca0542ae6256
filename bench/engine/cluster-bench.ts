// 10,000 NoOp steps (100 runs of a 100-step fan-out) run by N `baton server` processes sharing one PostgreSQL
// database, as users deploy it: the built CLI (`npm run build` first), started before the runs, and a client in
// this process that only stores the workflow and starts the runs. Steps/s from the first start to the last end.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { fanout } from './engine-bench.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts `processes` servers on `url`, runs `runs` fan-outs of `width` steps, and stops the servers. */
export async function benchCluster(url: string, processes: number, runs = 100, width = 100) {
  const schema = `cluster_${processes}`;
  const store = await openPostgresStore({ clock: systemClock }, { url, schema });
  // Never started: it claims nothing, so the servers run every step.
  const client = createEngine({
    store,
    clock: systemClock,
    runtimes: createStepRuntimes(),
    evaluator: createEngineEvaluator(),
  });
  const dbUrl = new URL(url);
  dbUrl.searchParams.set('schema', schema);
  const servers: ChildProcess[] = [];
  try {
    await client.createWorkflow(fanout(width));
    for (let i = 0; i < processes; i++) {
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'bin/baton.js'), 'server', '--db', dbUrl.toString(), '--port', '0'],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      servers.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          if (d.toString().includes('baton server:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`baton server exited with ${code}`)));
      });
    }
    const t0 = performance.now();
    const started = await Promise.all(
      Array.from({ length: runs }, () => client.startRun({ workflow_id: 'fanout' })),
    );
    // The servers end the runs: look every 20 ms (waitForEnd would poll once a second for another process's runs).
    const count = () =>
      store.transact((tx) => tx.countRunsByStatus('fanout', ['SUCCEEDED', 'FAILED', 'STOPPED']));
    while ((await count()) < started.length) await new Promise((r) => setTimeout(r, 20));
    const totalMs = performance.now() - t0;
    if ((await store.transact((tx) => tx.countRunsByStatus('fanout', ['SUCCEEDED']))) !== started.length)
      throw new Error('a fan-out run did not succeed');
    return { processes, steps: runs * width, totalMs, stepsPerSecond: (runs * width * 1000) / totalMs };
  } finally {
    await Promise.all(
      servers.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(undefined);
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    await store.close();
  }
}
