// A pipelined statement may fail while nobody awaits it (the committer's prefetch of rules and permit counts
// swallows its own failure and meets it again only if the transition needs that read). PostgreSQL then answers
// every later statement with "current transaction is aborted" (25P02) and a COMMIT with ROLLBACK, without an error.
// The store must raise the first failure (so a serialization failure is retried) and never report a commit.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON, pgTestUrl } from '../support/postgres.js';
import { conformanceClock, newItem, T0 } from './fixtures.js';

/** An item a text column refuses (a NUL byte): its insert fails on the server. */
const refused = newItem({ workflow_id: 'bad\u0000id' });

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('postgres store: a pipelined statement that fails unawaited', () => {
    let store: Store & { readonly schema: string };
    beforeEach(async () => {
      store = await openTestPgStore(conformanceClock);
    });
    afterEach(async () => {
      await store.close();
    });

    it('is not reported as committed when nothing after it asks the server', async () => {
      const done = store.transact(async (tx) => {
        await tx.enqueue([newItem({ step_id: 'kept?' })]);
        tx.enqueue([refused]).catch(() => undefined);
        return 'committed';
      });
      await expect(done).rejects.toThrow(/0x00/);
      expect(await store.transact((tx) => tx.claim('w', T0, 1000, 10))).toEqual([]);
    });

    it('is the error a later statement raises, not "current transaction is aborted"', async () => {
      const done = store.transact(async (tx) => {
        tx.enqueue([refused]).catch(() => undefined);
        return tx.getWorkflow('wf');
      });
      await expect(done).rejects.toThrow(/0x00/);
    });

    it('is retried when it was a serialization failure', async () => {
      // The first insert into work_item fails with 40001 (a sequence is not rolled back, so only the first does).
      const admin = new pg.Client({ connectionString: pgTestUrl });
      await admin.connect();
      try {
        await admin.query(`SET search_path = ${admin.escapeIdentifier(store.schema)}`);
        await admin.query(`CREATE SEQUENCE tries;
          CREATE FUNCTION fail_first() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('tries') = 1 THEN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END IF;
              RETURN NEW;
            END $$;
          CREATE TRIGGER fail_first BEFORE INSERT ON work_item FOR EACH ROW EXECUTE FUNCTION fail_first();`);
      } finally {
        await admin.end();
      }
      let tries = 0;
      const done = store.transact(async (tx) => {
        tries += 1;
        tx.enqueue([newItem()]).catch(() => undefined);
        return tx.getWorkflow('wf');
      });
      await expect(done).resolves.toBeUndefined();
      expect(tries).toBe(2);
      expect(await store.transact((tx) => tx.claim('w', T0, 1000, 10))).toHaveLength(1);
    });
  });
}
