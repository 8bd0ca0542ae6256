// Where a 40-step queued chain's time goes, stage by stage (issue #11): start → startRun answered → first step's
// runtime called → the 39 hops → last step's runtime returned → waitForEnd answered; plus the runtimes' own time.
// Run: `npx tsx bench/engine/chain-stages.ts [runs]` (PostgreSQL as for bench:workflow).
import { performance } from 'node:perf_hooks';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';
import { batonChain, percentile, withBatonEngine } from './baton-shapes.js';

const f = (x: number) => x.toFixed(2);

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 30);
  const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl))) throw new Error(`nothing answers at ${adminUrl}`);
  await withScratchDatabase(adminUrl, 'baton_bench_stages', async (url) => {
    await withBatonEngine(url, 'stages', async (engine, marks) => {
      const n = 40;
      await batonChain(engine, marks, 'queued', n); // warm-up
      const id = 'chain_queued';
      const stages = new Map<string, number[]>();
      const add = (k: string, v: number) => stages.set(k, [...(stages.get(k) ?? []), v]);
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const started = await engine.startRun({ workflow_id: id });
        const t1 = performance.now();
        const ended = await engine.waitForEnd(started.run);
        const t2 = performance.now();
        if (ended.run.status !== 'SUCCEEDED') throw new Error(ended.run.status);
        const at = (i: number) => marks.get(`${id}/${started.run.instance_id}/s${i}`)!;
        let hops = 0;
        let exec = 0;
        for (let i = 0; i < n; i++) exec += at(i).end - at(i).start;
        for (let i = 1; i < n; i++) hops += at(i).start - at(i - 1).end;
        add('total', t2 - t0);
        add('startRun (start transaction)', t1 - t0);
        add('startRun answered → s0 called (admission, first dispatch)', at(0).start - t1);
        add('39 hops (sum)', hops);
        add('40 runtimes (sum)', exec);
        add('s39 returned → waitForEnd answered (last commit, run end)', t2 - at(n - 1).end);
      }
      const cpu = process.cpuUsage(cpu0);
      const wall = performance.now() - wall0;
      console.log(
        `Node CPU: ${f((cpu.user + cpu.system) / 1000 / runs)} ms per run (${f(wall / runs)} ms wall per run), ${f((cpu.user + cpu.system) / 1000 / runs / n)} ms per step`,
      );
      console.log('| stage | p10 | p50 | p90 | mean |');
      console.log('|---|---|---|---|---|');
      for (const [k, v] of stages)
        console.log(
          `| ${k} | ${f(percentile(v, 10))} | ${f(percentile(v, 50))} | ${f(percentile(v, 90))} | ${f(v.reduce((a, b) => a + b, 0) / v.length)} |`,
        );
    });
  });
}

await main();
