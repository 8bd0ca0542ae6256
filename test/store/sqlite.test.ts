import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { IllegalStateError } from '../../src/model/errors.js';
import { openSqliteStore } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { conformanceClock, describeStoreConformance } from './conformance.js';
import { newItem, newRun, simpleDefinition, T0 } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
// a nested folder, so every file store also checks that missing parent folders are created
const freshFile = (): string => path.join(dir, `store-${++files}`, 'nested', 'baton.db');

describeStoreConformance('sqlite :memory:', () =>
  openSqliteStore({ clock: conformanceClock }, { path: ':memory:' }),
);
describeStoreConformance('sqlite file', () =>
  openSqliteStore({ clock: conformanceClock }, { path: freshFile() }),
);
describeStoreConformance('sqlite file, durability full', () =>
  openSqliteStore({ clock: conformanceClock }, { path: freshFile(), durability: 'full' }),
);

describe('sqlite file store', () => {
  it('opens a new file that another process is switching to WAL at that moment (two baton run at once)', async () => {
    const file = path.join(dir, 'switching.db');
    const other = new Database(file);
    try {
      other.exec('CREATE TABLE t (x INTEGER)');
      // The other connection holds the write lock: SQLite answers the WAL switch SQLITE_BUSY at once, as it does to
      // one of two processes opening a new file together. The open tries again once the lock is gone.
      other.exec('BEGIN IMMEDIATE');
      const opening = openSqliteStore({ clock: conformanceClock }, { path: file });
      other.exec('COMMIT');
      const store = await opening;
      await store.close();
      const check = new Database(file, { readonly: true });
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
      check.close();
    } finally {
      other.close();
    }
  });

  it('keeps everything across a reopen and does not apply migrations again', async () => {
    const file = freshFile();
    const first = await openSqliteStore({ clock: conformanceClock }, { path: file });
    const request = simpleDefinition('wf', { owner: 'alice', step_concurrency: 3 });
    const written = await first.transact(async (tx) => {
      const version = await tx.insertWorkflowVersion({ request, author: 'alice', now: 1 });
      await tx.nextInstanceId('wf');
      const run = await tx.insertRun(newRun());
      const [item] = await tx.enqueue([newItem({ dedup_key: 'k' })]);
      await tx.appendOutbox([{ type: 'created', payload: { id: 1 }, create_time: 1 }]);
      return { version, run, item };
    });
    await first.close();

    const second = await openSqliteStore({ clock: conformanceClock }, { path: file });
    await second.transact(async (tx) => {
      expect(await tx.getWorkflowVersion('wf', 1)).toEqual(written.version);
      expect(await tx.getWorkflow('wf')).toMatchObject({
        latest_version_id: 1,
        latest_instance_id: 1,
        properties: request.properties,
      });
      expect(await tx.nextInstanceId('wf')).toBe(2);
      expect(await tx.getRun(newRun())).toEqual(written.run);
      expect((await tx.enqueue([newItem({ dedup_key: 'k' })])).map((i) => i.id)).toEqual([written.item!.id]); // still queued
      expect(await tx.claim('w', T0, 1000, 10)).toEqual([
        { ...written.item, lease_owner: 'w', lease_until: T0 + 1000 },
      ]);
      expect(await tx.readOutbox(0, 10)).toMatchObject([{ type: 'created', payload: { id: 1 } }]);
    });
    await second.close();

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(
        MIGRATIONS.map(({ version, name }) => ({ version, name })),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const file = freshFile();
    await (await openSqliteStore({ clock: conformanceClock }, { path: file })).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)').run(
      '0099-from-the-future',
    );
    db.close();
    const opening = openSqliteStore({ clock: conformanceClock }, { path: file });
    await expect(opening).rejects.toBeInstanceOf(IllegalStateError);
    await expect(opening).rejects.toThrow(/version 99/);
  });

  it('refuses transactions once closed', async () => {
    const store = await openSqliteStore({ clock: conformanceClock }, { path: ':memory:' });
    await store.close();
    await expect(store.transact(async () => 1)).rejects.toBeInstanceOf(IllegalStateError);
    await store.close(); // closing twice is harmless
  });

  it('lets a transaction waiting on the lock finish before close', async () => {
    const store = await openSqliteStore({ clock: conformanceClock }, { path: ':memory:' });
    const pending = store.transact(async (tx) => tx.enqueue([newItem()]));
    await store.close();
    expect(await pending).toHaveLength(1);
  });
});
