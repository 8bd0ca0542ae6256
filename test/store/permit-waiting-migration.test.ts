// PostgreSQL counts the holders waiting for each permit key in its count row (migrations 5 and 6), so a key's state
// is one locking statement: places taken in line before the column existed are counted by the backfill, and every
// way of joining or leaving the line keeps the count.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { PermitHolder } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { dropSchema, freshSchema, hasPg, pgTestUrl } from '../support/postgres.js';
import { conformanceClock } from './conformance.js';
import { T0 } from './fixtures.js';

const h = (step: string): PermitHolder => ({
  workflow_id: 'wf',
  instance_id: 1,
  run_id: 1,
  step_id: step,
  attempt: 1,
});

describe.skipIf(!hasPg)('postgres: waiting counts of permit keys', () => {
  it('counts places in line taken before migration 5 (migration 6), and keeps the count as the line moves', async () => {
    const schema = freshSchema();
    const url = pgTestUrl!;
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    try {
      const first = await openPostgresStore({ clock: conformanceClock }, { url, schema });
      await first.transact(async (tx) => {
        await tx.holdPermits([{ holder: h('a'), permits: [{ key: 'k', limit: 1 }] }], T0);
        await tx.queueForPermits(
          [
            { holder: h('b'), permits: [{ key: 'k', limit: 1 }] },
            { holder: h('c'), permits: [{ key: 'k', limit: 1 }] },
          ],
          T0,
        );
      });
      await first.close();
      await client.connect();
      expect(
        (await client.query('SELECT held, waiting FROM permit_count WHERE permit_key = $1', ['k'])).rows,
      ).toEqual([{ held: 1, waiting: 2 }]);
      // As an older Baton left them: no waiting counts. Then migration 6 runs (again) on them.
      await client.query('UPDATE permit_count SET waiting = 0');
      await client.query("DELETE FROM schema_migrations WHERE name = '0006-permit-waiting-backfill'");
      const store = await openPostgresStore({ clock: conformanceClock }, { url, schema });
      try {
        await store.transact(async (tx) => {
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 1, waiting: true } });
          await tx.releasePermits([h('a')]);
          expect(await tx.grantWaiting(['k'])).toEqual([h('b')]); // b leaves the line, c still waits
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 1, waiting: true } });
          await tx.releasePermits([h('c')]); // a place in line given up
          expect(await tx.permitState(['k'])).toEqual({ k: { held: 1, waiting: false } });
        });
      } finally {
        await store.close();
      }
      expect(
        (await client.query('SELECT held, waiting FROM permit_count WHERE permit_key = $1', ['k'])).rows,
      ).toEqual([{ held: 1, waiting: 0 }]);
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });
});
