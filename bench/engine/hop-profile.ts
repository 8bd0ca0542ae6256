// Where a queued step's hop goes on PostgreSQL (issue #11): runs the 40-step Sleep(0) chain of workflow-bench.ts with
// every statement the pg driver sends timed (the driver's Client.query wrapped in this process only), and splits
// each hop — from one step's runtime returning to the next one's being called — into stages:
//   before: runtime returned → the hop's transaction sends BEGIN (report, batcher, pool checkout)
//   each statement of that transaction, by name (send → result in Node)
//   after: COMMIT answered → the next step's runtime called (after-commit work, dispatch to the worker)
// and counts the statements other connections ran meanwhile (claims, wake-ups, heartbeats).
// Run: `npx tsx bench/engine/hop-profile.ts [runs] [one-way delay ms]` (PostgreSQL as for bench:workflow); with a
// delay, the engine talks to the server through a proxy that holds each chunk that long in each direction.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startDelayProxy } from '../peers/delay-proxy.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';
import { batonChain, percentile, withBatonEngine } from './baton-shapes.js';

interface Sent {
  readonly conn: number;
  readonly name: string;
  readonly sent: number;
  done: number;
}

const log: Sent[] = [];
let recording = false;
const connIds = new WeakMap<object, number>();
let nextConn = 1;

/** Wraps Client.query so each statement's send and answer times land in `log` (both the promise and callback forms). */
function instrument(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    if (!recording) return original.apply(this, args);
    let conn = connIds.get(this);
    if (conn === undefined) connIds.set(this, (conn = nextConn++));
    const first = args[0] as string | { name?: string; text?: string };
    const text = typeof first === 'string' ? first : (first.name ?? first.text ?? '?');
    const entry: Sent = { conn, name: text.split(/\s/)[0]!.slice(0, 40), sent: performance.now(), done: NaN };
    log.push(entry);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...r: unknown[]) => void;
      args[last] = (...r: unknown[]) => {
        entry.done = performance.now();
        cb(...r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as Promise<unknown>;
    return result.then(
      (r) => {
        entry.done = performance.now();
        return r;
      },
      (e: unknown) => {
        entry.done = performance.now();
        throw e;
      },
    );
  };
}

const f = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const delayMs = Number(process.argv[3] ?? 0);
  const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl))) throw new Error(`nothing answers at ${adminUrl}`);
  instrument();
  await withScratchDatabase(adminUrl, 'baton_bench_hop', async (direct) => {
    const proxy = delayMs > 0 ? await startDelayProxy(direct, delayMs) : undefined;
    const url = proxy?.via(direct) ?? direct;
    if (proxy) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await client.query('SELECT 1');
      console.log(`through the proxy: SELECT 1 takes ${f((performance.now() - t0) / 20)} ms`);
      await client.end();
    }
    try {
      await withBatonEngine(url, 'hop', async (engine, marks) => {
        await batonChain(engine, marks, 'queued', 40); // warm-up runs and statement caches
        marks.clear();
        log.length = 0;
        recording = true;
        const stages = new Map<string, number[]>();
        const add = (k: string, v: number) => stages.set(k, [...(stages.get(k) ?? []), v]);
        let others = 0;
        const otherNames = new Map<string, number>();
        let hopsSeen = 0;
        const id = 'chain_queued';
        for (let r = 0; r < runs; r++) {
          const started = await engine.startRun({ workflow_id: id });
          await engine.waitForEnd(started.run);
          const at = (i: number) => marks.get(`${id}/${started.run.instance_id}/s${i}`)!;
          for (let i = 1; i < 40; i++) {
            const from = at(i - 1).end;
            const to = at(i).start;
            const inHop = log.filter((q) => q.sent >= from && q.sent <= to);
            const begin = inHop.find((q) => q.name === 'BEGIN');
            if (!begin) continue;
            const tx = inHop.filter((q) => q.conn === begin.conn && q.sent >= begin.sent);
            const commit = tx.find((q) => q.name === 'COMMIT');
            if (!commit) continue;
            hopsSeen += 1;
            add('hop total', to - from);
            add('before BEGIN (report, batcher, checkout)', begin.sent - from);
            for (const q of tx.slice(0, tx.indexOf(commit) + 1)) add(`  ${q.name}`, q.done - q.sent);
            const inTx = tx.slice(0, tx.indexOf(commit) + 1);
            add(
              '  statement time (sum)',
              inTx.reduce((s, q) => s + (q.done - q.sent), 0),
            );
            add(
              '  gaps between statements (Node)',
              commit.done - begin.sent - inTx.reduce((s, q) => s + q.done - q.sent, 0),
            );
            add('after COMMIT (dispatch)', to - commit.done);
            add('statements in the hop transaction', inTx.length);
            // A statement sent before the answer to the one before it shares that round trip (pipelined).
            add(
              'round trips in the hop transaction',
              inTx.filter((q, j) => j === 0 || q.sent >= inTx[j - 1]!.done).length,
            );
            for (const q of inHop.filter((q) => q.conn !== begin.conn)) {
              others += 1;
              otherNames.set(q.name, (otherNames.get(q.name) ?? 0) + 1);
            }
          }
        }
        recording = false;
        console.log(
          `${hopsSeen} hops of ${runs} runs; statements on other connections during them: ${others}`,
        );
        console.log(`other connections: ${JSON.stringify(Object.fromEntries(otherNames))}`);
        console.log('| stage | p10 (ms) | p50 (ms) | p90 (ms) | mean (ms) | n |');
        console.log('|---|---|---|---|---|---|');
        for (const [k, v] of stages)
          console.log(
            `| ${k} | ${f(percentile(v, 10))} | ${f(percentile(v, 50))} | ${f(percentile(v, 90))} | ${f(v.reduce((a, b) => a + b, 0) / v.length)} | ${v.length} |`,
          );
      });
    } finally {
      await proxy?.close();
    }
  });
}

await main();
