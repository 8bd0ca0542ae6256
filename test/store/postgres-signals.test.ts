// PostgreSQL-only behaviour of signals: the name lock really serialises, concurrent announcements of one name are
// numbered without gaps or doubles, and the param search reads the index.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { NewSignal } from '../../src/store/port.js';
import { SIGNAL_SQL } from '../../src/store/postgres/sql-signals.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON, pgTestUrl, untilBlocked } from '../support/postgres.js';
import { conformanceClock } from './conformance.js';
import { deferred, T0 } from './fixtures.js';

const signal = (instance_id: string, params: NewSignal['params'] = {}): NewSignal => ({
  name: 'sig',
  instance_id,
  params,
  payload: {},
  request_time: T0,
  create_time: T0,
});

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('postgres signals', () => {
    it('makes an announcement wait for a transaction that locked its name, and numbers it after', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 4 });
      try {
        const gate = deferred();
        const locked = deferred<Record<string, number>>();
        const reader = store.transact(async (tx) => {
          locked.resolve(await tx.lockSignalNames(['sig']));
          await gate.promise;
          return tx.latestSignalSeq('sig');
        });
        expect(await locked.promise).toEqual({ sig: 0 });
        const announce = store.transact((tx) => tx.announceSignal(signal('a')));
        try {
          await untilBlocked(store.schema, 'the announcement waiting for the name lock');
        } finally {
          gate.resolve();
        }
        expect(await reader).toBe(0); // nothing slipped in while the reader held the name
        expect((await announce).signal.seq_id).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('numbers concurrent announcements of a name 1..n and stores one instance per id', async () => {
      const store = await openTestPgStore(conformanceClock, { poolSize: 4 });
      try {
        const distinct = await Promise.all(
          Array.from({ length: 8 }, (_, n) => store.transact((tx) => tx.announceSignal(signal(`d${n}`)))),
        );
        expect(distinct.map((r) => r.signal.seq_id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        const same = await Promise.all(
          Array.from({ length: 4 }, () => store.transact((tx) => tx.announceSignal(signal('same')))),
        );
        expect(same.filter((r) => r.status === 'CREATED')).toHaveLength(1);
        expect(new Set(same.map((r) => r.signal.seq_id))).toEqual(new Set([9]));
      } finally {
        await store.close();
      }
    });

    it('finds by an `=` param through the param index', async () => {
      const store = await openTestPgStore(conformanceClock);
      const client = new pg.Client({ connectionString: pgTestUrl });
      try {
        await store.transact(async (tx) => {
          for (let n = 0; n < 2000; n += 1)
            await tx.announceSignal(signal(`s${n}`, { key: `k${n % 500}`, n }));
        });
        await client.connect();
        await client.query(`SET search_path TO ${client.escapeIdentifier(store.schema)}`);
        await client.query('ANALYZE signal_param');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN ${SIGNAL_SQL.findSignalByString}`,
          ['sig', 0, ['n'], ['>='], [null], [10], 'key', 'k7'],
        );
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/Index (Only )?Scan using signal_param_str on signal_param d/);
        const found = await store.transact((tx) =>
          tx.findSignal(
            'sig',
            [
              { param: 'key', operator: '=', value: 'k7' },
              { param: 'n', operator: '>=', value: 10 },
            ],
            0,
          ),
        );
        expect(found?.seq_id).toBe(508);
      } finally {
        await client.end();
        await store.close();
      }
    });
  });
}
