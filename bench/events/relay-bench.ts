// The relay (issue #12): how fast it drains the outbox to a sink, and what running it beside the engine costs the
// engine. Run: `npx tsx bench/events/relay-bench.ts`; PostgreSQL from BATON_BENCH_PG_URL as in bench/engine, Redis
// from BATON_BENCH_REDIS_URL (default redis://127.0.0.1:6379).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { systemClock } from '../../src/engine/clock.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay } from '../../src/events/relay.js';
import type { Store } from '../../src/store/port.js';
import { benchFanout, postgresOpener, sqliteOpener } from '../engine/engine-bench.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

const EVENTS = 5000;
const redisUrl = process.env['BATON_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function receiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    count: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const sinkConfig = (sink: Record<string, unknown>) =>
  parseEventsConfig(JSON.stringify({ sinks: [{ name: 'bench', ...sink }] }), 'bench.json', {});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the relay did not drain within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Appends EVENTS events (100 per transaction, 50 runs), then times the relay from start to the last delivery. */
async function drain(
  open: () => Promise<Store>,
  sink: Record<string, unknown>,
  delivered: () => Promise<number>,
) {
  const store = await open();
  for (let t = 0; t < EVENTS / 100; t++)
    await store.transact((tx) =>
      tx.appendOutbox(
        Array.from({ length: 100 }, (_, i) => ({
          type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
          payload: {
            workflow_id: 'wf',
            workflow_instance_id: (t % 50) + 1,
            workflow_run_id: 1,
            step_id: `s${t}-${i}`,
          },
          create_time: t,
        })),
      ),
    );
  const t0 = performance.now();
  const relay = startRelay({ store, clock: systemClock }, { config: sinkConfig(sink), pollMs: 5 });
  await until(async () => (await delivered()) >= EVENTS);
  const ms = performance.now() - t0;
  await relay.stop();
  await store.close();
  return Math.round((EVENTS * 1000) / ms);
}

/** The 10,000-step fan-out with a relay sending every event to a webhook on the same store, and without. */
async function engineWithRelay(open: () => Promise<Store>, url: string): Promise<[number, number]> {
  const withRelay = async (): Promise<Store> => {
    const store = await open();
    const relay = startRelay(
      { store, clock: systemClock },
      { config: sinkConfig({ type: 'webhook', url, secret: 'a-secret-for-the-bench' }) },
    );
    return {
      ...store,
      transact: (fn) => store.transact(fn),
      close: async () => (await relay.stop(), store.close()),
    };
  };
  const without = (await benchFanout(open, 'inline')).stepsPerSecond;
  const relayed = (await benchFanout(withRelay, 'inline')).stepsPerSecond;
  return [Math.round(without), Math.round(relayed)];
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString()}`,
);
const hook = await receiver();
const redis = new Redis(redisUrl, { lazyConnect: true });
await redis.connect();
const stream = `baton-relay-bench-${process.pid}`;
const stores: [string, () => Promise<Store>, () => void][] = [];
const sqlite = sqliteOpener();
stores.push(['SQLite (file, WAL)', sqlite.open, sqlite.cleanup]);
const adminUrl = process.env['BATON_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows: string[] = [];
const run = async (name: string, open: () => Promise<Store>) => {
  let before = hook.count();
  const webhook = await drain(
    open,
    { type: 'webhook', url: hook.url, secret: 'a-secret-for-the-bench' },
    async () => hook.count() - before,
  );
  await redis.del(stream);
  const viaRedis = await drain(open, { type: 'redis', url: redisUrl, stream }, async () =>
    redis.xlen(stream),
  );
  await redis.del(stream);
  before = hook.count();
  const [without, relayed] = await engineWithRelay(open, hook.url);
  rows.push(`| ${name} | ${webhook} | ${viaRedis} | ${without} | ${relayed} |`);
};
try {
  await run(stores[0]![0], stores[0]![1]);
  if (await reachable(adminUrl))
    await withScratchDatabase(adminUrl, 'baton_bench_relay', async (url) =>
      run('PostgreSQL', postgresOpener(url).open),
    );
} finally {
  sqlite.cleanup();
  redis.disconnect();
  await hook.close();
}
console.log(
  `| store | relay drain to webhook (events/s) | to Redis (events/s) | 10,000 NoOp steps/s, no relay | same, relay sending every event to a webhook |`,
);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
