// The midnight storm (issue #13): N workflows whose time triggers share one cron second, fired on the real clock by
// `baton server --roles scheduler,engine,worker` processes. Reports, per store and scheduler count, the time from
// the fire time until every instance was created and until every one had its first step started, and duplicates.
//
//   npm run build && npx tsx bench/triggers/storm-bench.ts [workflows=10000] [configs=sqlite:1,postgres:1,postgres:3]
//
// PostgreSQL needs BATON_TEST_PG_URL (a schema of its own is made per run and dropped after).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropSchema, freshSchema, pgSchemaUrl, pgTestUrl } from '../../test/support/postgres.js';
import { runStorm } from '../../test/support/trigger-storm.js';

const workflows = Number(process.argv[2] ?? 10_000);
const configs = (process.argv[3] ?? 'sqlite:1,postgres:1,postgres:3').split(',');

async function one(store: string, schedulers: number): Promise<void> {
  let db: string;
  let cleanup: () => Promise<void>;
  if (store === 'postgres') {
    if (!pgTestUrl) return console.log('postgres: skipped (no BATON_TEST_PG_URL)');
    const schema = freshSchema('storm');
    db = pgSchemaUrl(schema);
    cleanup = () => dropSchema(schema);
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-storm-'));
    db = path.join(dir, 'storm.db');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    const r = await runStorm({
      db,
      workflows,
      schedulers,
      timeoutMs: 600_000,
      log: (l) => console.log(`  ${l}`),
    });
    console.log(
      `| ${store} | ${schedulers} | ${workflows} | ${r.instances} | ${(r.allCreatedMs / 1000).toFixed(2)} | ` +
        `${(r.allStartedMs / 1000).toFixed(2)} | ${r.duplicates} |`,
    );
  } finally {
    await cleanup();
  }
}

console.log(
  '| store | schedulers | workflows | instances | all created (s) | all first steps started (s) | duplicates |',
);
console.log('|---|---|---|---|---|---|---|');
for (const config of configs) {
  const [store, n] = config.split(':');
  await one(store!, Number(n ?? 1));
}
