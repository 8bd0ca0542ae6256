import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { IllegalStateError, NotFoundError } from '../../src/model/errors.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations/index.js';
import {
  dropSchema,
  freshSchema,
  hasPg,
  openTestPgStore,
  PG_SKIP_REASON,
  pgTestUrl,
  untilBlocked,
} from '../support/postgres.js';
import { conformanceClock, describeStoreConformance } from './conformance.js';
import { deferred, newItem, newRun, simpleDefinition, T0 } from './fixtures.js';

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describeStoreConformance('postgres', () => openTestPgStore(conformanceClock), 'concurrent');

  describe('postgres store', () => {
    it('keeps everything across a reopen, applies migrations once, and refuses a newer schema', async () => {
      const schema = freshSchema();
      const url = pgTestUrl!;
      try {
        const first = await openPostgresStore({ clock: conformanceClock }, { url, schema });
        const request = simpleDefinition('wf', { owner: 'alice', step_concurrency: 3 });
        const written = await first.transact(async (tx) => {
          const version = await tx.insertWorkflowVersion({ request, author: 'alice', now: 1 });
          await tx.nextInstanceId('wf');
          const run = await tx.insertRun(newRun());
          const [item] = await tx.enqueue([newItem({ dedup_key: 'k' })]);
          return { version, run, item };
        });
        await first.close();

        const second = await openPostgresStore({ clock: conformanceClock }, { url, schema });
        await second.transact(async (tx) => {
          expect(await tx.getWorkflowVersion('wf', 1)).toEqual(written.version);
          expect(await tx.nextInstanceId('wf')).toBe(2);
          expect(await tx.getRun(newRun())).toEqual(written.run);
          expect(await tx.claim('w', T0, 1000, 10)).toEqual([
            { ...written.item, lease_owner: 'w', lease_until: T0 + 1000 },
          ]);
        });
        await second.close();

        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const table = `${client.escapeIdentifier(schema)}.schema_migrations`;
          expect((await client.query(`SELECT version, name FROM ${table} ORDER BY version`)).rows).toEqual(
            MIGRATIONS.map(({ version, name }) => ({ version, name })),
          );
          await client.query(
            `INSERT INTO ${table} (version, name, applied_at) VALUES (99, '0099-future', 0)`,
          );
        } finally {
          await client.end();
        }
        const opening = openPostgresStore({ clock: conformanceClock }, { url, schema });
        await expect(opening).rejects.toBeInstanceOf(IllegalStateError);
        await expect(opening).rejects.toThrow(/version 99/);
      } finally {
        await dropSchema(schema);
      }
    });

    it('migrates once when several processes open a new schema at the same moment', async () => {
      const schema = freshSchema();
      try {
        const stores = await Promise.all(
          [1, 2, 3].map(() => openPostgresStore({ clock: conformanceClock }, { url: pgTestUrl!, schema })),
        );
        await stores[0]!.transact((tx) => tx.enqueue([newItem()]));
        expect(await stores[2]!.transact((tx) => tx.claim('w', T0, 1000, 10))).toHaveLength(1);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await dropSchema(schema);
      }
    });

    it('wakes a store in another process (another pool) when work is added', async () => {
      const a = await openTestPgStore(conformanceClock);
      const b = await openPostgresStore({ clock: conformanceClock }, { url: pgTestUrl!, schema: a.schema });
      try {
        let woken = 0;
        b.onWork(() => (woken += 1));
        // b's listening connection opens in the background: add work until a wake-up arrives
        for (let i = 0; woken === 0 && i < 50; i++) {
          await a.transact((tx) => tx.enqueue([newItem()]));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(woken).toBeGreaterThan(0);
      } finally {
        await b.close();
        await a.close();
      }
    });

    it('listens again after its listening connection is dropped, and wakes its listeners then', async () => {
      const a = await openTestPgStore(conformanceClock);
      const b = await openPostgresStore({ clock: conformanceClock }, { url: pgTestUrl!, schema: a.schema });
      const admin = new pg.Client({ connectionString: pgTestUrl });
      await admin.connect();
      try {
        let woken = 0;
        b.onWork(() => (woken += 1));
        const wokenBy = async (poke: () => Promise<unknown>): Promise<void> => {
          const before = woken;
          for (let i = 0; woken === before && i < 50; i++) {
            await poke();
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          expect(woken).toBeGreaterThan(before);
        };
        await wokenBy(() => a.transact((tx) => tx.enqueue([newItem()])));
        // drop the LISTEN connections of both stores, as a server restart or a proxy would
        const dropped = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`,
          [`LISTEN "baton_work_${a.schema}"`],
        );
        expect(dropped.rowCount).toBe(2);
        // it wakes its listeners when it listens again (what was sent meanwhile is lost), then hears new work
        await wokenBy(async () => undefined);
        await wokenBy(() => a.transact((tx) => tx.enqueue([newItem()])));
      } finally {
        await admin.end();
        await b.close();
        await a.close();
      }
    });

    it('never lets two claimers lease the same item', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 8 });
      try {
        await store.transact((tx) =>
          tx.enqueue(Array.from({ length: 200 }, (_, i) => newItem({ step_id: `s${i}`, attempt: 1 }))),
        );
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.transact((tx) => tx.claim(`w${i}`, T0, 1000, 40))),
        );
        const ids = claims.flat().map((item) => item.id);
        expect(ids).toHaveLength(200);
        expect(new Set(ids).size).toBe(200);
      } finally {
        await store.close();
      }
    });

    it('never grants more permits than the limit to concurrent transactions', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 8 });
      try {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.transact((tx) =>
              tx.acquirePermits(
                { workflow_id: 'wf', instance_id: 1, run_id: 1, step_id: `s${i}`, attempt: 1 },
                [
                  { key: 'k1', limit: 3 },
                  { key: 'k2', limit: 5 },
                ],
                T0,
              ),
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(3);
        const state = await store.transact((tx) => tx.permitState(['k1', 'k2']));
        expect(state).toEqual({ k1: { held: 3, waiting: true }, k2: { held: 3, waiting: true } });
      } finally {
        await store.close();
      }
    });

    it('reads the permit line after the lock it waited for, not before', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 4 });
      try {
        const holder = (step_id: string) => ({
          workflow_id: 'wf',
          instance_id: 1,
          run_id: 1,
          step_id,
          attempt: 1,
        });
        const k = [{ key: 'K', limit: 1 }];
        await store.transact((tx) => tx.holdPermits([{ holder: holder('h'), permits: k }], T0));
        const gate = deferred();
        const queued = deferred();
        // one process queues a waiter and stays open; another reads the key's state meanwhile (it must wait)
        const first = store.transact(async (tx) => {
          await tx.queueForPermits([{ holder: holder('w'), permits: k }], T0);
          queued.resolve();
          await gate.promise;
        });
        await queued.promise;
        const second = store.transact((tx) => tx.permitState(['K']));
        try {
          await untilBlocked(store.schema, "the state read waiting for the queueing transaction's lock");
        } finally {
          gate.resolve();
          await Promise.allSettled([first, second]);
        }
        await first;
        expect(await second).toEqual({ K: { held: 1, waiting: true } });
      } finally {
        await store.close();
      }
    });

    it('runs a transaction again after a serialization failure, with a fresh tx', async () => {
      const store = await openTestPgStore(conformanceClock);
      try {
        let calls = 0;
        const result = await store.transact(async (tx) => {
          calls += 1;
          await tx.enqueue([newItem({ dedup_key: `k${calls}` })]);
          if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
          return calls;
        });
        expect(result).toBe(2);
        expect((await store.transact((tx) => tx.claim('w', T0, 1000, 10))).map((i) => i.dedup_key)).toEqual([
          'k2',
        ]);
      } finally {
        await store.close();
      }
    });

    it('refuses a schema name that is not a plain SQL name', async () => {
      await expect(
        openPostgresStore({ clock: conformanceClock }, { url: pgTestUrl!, schema: 'x; drop table run' }),
      ).rejects.toThrow(/not a plain lower-case SQL name/);
    });

    it('gives a transaction waiting on a row lock the committed row', async () => {
      const store = await openTestPgStore(conformanceClock);
      try {
        await store.transact((tx) =>
          tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 }),
        );
        const gate = deferred();
        const locked = deferred();
        const first = store.transact(async (tx) => {
          const id = await tx.nextInstanceId('wf');
          locked.resolve();
          await gate.promise;
          return id;
        });
        await locked.promise;
        const second = store.transact((tx) => tx.nextInstanceId('wf'));
        try {
          await untilBlocked(store.schema, "the second instance id waiting for the first one's row lock");
        } finally {
          gate.resolve();
          await Promise.allSettled([first, second]);
        }
        expect([await first, await second]).toEqual([1, 2]);
      } finally {
        await store.close();
      }
    });

    it('fails a start that waited for the row lock of a workflow being marked deleted', async () => {
      const store = await openTestPgStore(conformanceClock);
      try {
        await store.transact((tx) =>
          tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 }),
        );
        const gate = deferred();
        const locked = deferred();
        const marking = store.transact(async (tx) => {
          await tx.markWorkflowDeleted('wf', 2);
          locked.resolve();
          await gate.promise;
        });
        await locked.promise;
        const start = store.transact((tx) => tx.nextInstanceId('wf'));
        try {
          await untilBlocked(store.schema, 'the start waiting for the marking transaction');
        } finally {
          gate.resolve();
          await Promise.allSettled([marking, start]);
        }
        await expect(start).rejects.toBeInstanceOf(NotFoundError);
      } finally {
        await store.close();
      }
    });
  });
}
