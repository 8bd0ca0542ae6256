// Three `baton server --roles scheduler,engine,worker` processes on one PostgreSQL schema, on the real clock, fire
// 2,000 workflows whose time triggers share one cron second: exactly one instance each (issue #13). The same with
// one of the three killed -9 during that second is in test/faults/time-trigger-kill.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, hasPg, PG_SKIP_REASON, pgSchemaUrl } from '../support/postgres.js';
import { runStorm } from '../support/trigger-storm.js';

const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.skipIf(!hasPg)('time triggers on a cluster of schedulers', () => {
  it('three schedulers fire 2,000 workflows sharing one cron second: exactly 2,000 instances', async () => {
    const schema = freshSchema('storm');
    schemas.push(schema);
    const result = await runStorm({
      db: pgSchemaUrl(schema),
      workflows: 2000,
      schedulers: 3,
      timeoutMs: 400_000, // a test of exactly-once, not of speed (bench/triggers measures that)
    });
    expect(result).toMatchObject({ instances: 2000, workflowsFired: 2000, duplicates: 0 });
  }, 900_000);
});
describe.skipIf(hasPg)(PG_SKIP_REASON, () => {
  it('needs BATON_TEST_PG_URL', () => undefined);
});
