// Kill -9 of one of three schedulers during the cron second that 2,000 workflows share (issue #13): the others take
// its trigger items over when their leases expire, fire them again, and the deterministic request ids make every
// start it had already committed DUPLICATED. Exactly 2,000 instances. Run on its own:
//   npm run build && npx vitest run --config vitest.faults.config.ts test/faults/time-trigger-kill.test.ts
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, hasPg, PG_SKIP_REASON, pgSchemaUrl } from '../support/postgres.js';
import { runStorm } from '../support/trigger-storm.js';

const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

describe.skipIf(!hasPg)('a scheduler killed -9 during the storm', () => {
  it('three schedulers, one killed 300 ms into the fire second: still exactly 2,000 instances', async () => {
    const schema = freshSchema('stormkill');
    schemas.push(schema);
    const result = await runStorm({
      db: pgSchemaUrl(schema),
      workflows: 2000,
      schedulers: 3,
      killAfterMs: 300,
      leaseMs: 2000,
      timeoutMs: 400_000, // a test of exactly-once, not of speed (bench/triggers measures that)
    });
    expect(result).toMatchObject({ instances: 2000, workflowsFired: 2000, duplicates: 0 });
  }, 900_000);
});
describe.skipIf(hasPg)(PG_SKIP_REASON, () => {
  it('needs BATON_TEST_PG_URL', () => undefined);
});
