// A --db that cannot be a Baton store is one line on stderr that says what is wrong and what to do, exit 2, for
// every command that opens a store; nothing is created or changed on the way.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPg, pgTestUrl } from '../support/postgres.js';
import { repoRoot } from '../support/shared.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flow = path.join(repoRoot, 'examples/retries.yaml');

/** Each command that opens a store, with the --db to try. */
const COMMANDS: [string, (db: string) => string[]][] = [
  ['run', (db) => ['run', flow, '--db', db]],
  ['server', (db) => ['server', '--db', db, '--port', '0']],
  ['restart', (db) => ['restart', 'retries', '1', '--db', db]],
  [
    'server --examples',
    (db) => ['server', '--examples', path.join(repoRoot, 'examples'), '--db', db, '--port', '0'],
  ],
];

async function refused(args: string[], what: RegExp, cwd = repoRoot): Promise<void> {
  const { code, stdout, stderr } = await runCli(args, cwd);
  expect(stderr).toMatch(/^baton( restart)?: [^\n]+\n$/); // one line, no stack trace
  expect(stderr).toMatch(what);
  expect(stdout).not.toMatch(/RUNNING|SUCCEEDED|FAILED/);
  expect(code).toBe(2);
}

const postgresUrl = (change: (url: URL) => void): string => {
  const url = new URL(pgTestUrl!);
  change(url);
  return url.toString();
};

describe.each(COMMANDS)('baton %s with a --db it cannot use', (_name, argsFor) => {
  it('leaves a file that is not SQLite as it is, byte for byte', async () => {
    const file = path.join(dir, `${_name}-notes.db`);
    const text = 'my notes, not a database\n'.repeat(100);
    writeFileSync(file, text);
    await refused(argsFor(file), /is not a SQLite database.*give a new file/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`) || existsSync(`${file}-journal`)).toBe(
      false,
    );
  });

  it('refuses a folder', async () => {
    const folder = path.join(dir, `${_name}-folder`);
    mkdirSync(folder);
    await refused(argsFor(folder), /is a folder, not a SQLite database file.*baton\.db/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a path it cannot write', async () => {
    const blocker = path.join(dir, `${_name}-a-file`);
    writeFileSync(blocker, 'x');
    // restart needs a database that exists: it says so before trying to create one
    await refused(
      argsFor(path.join(blocker, 'sub', 'baton.db')),
      _name === 'restart'
        ? /there is no database at /
        : /cannot create the SQLite database .*a file is in the way/,
    );
  });

  it('refuses an unknown URL scheme and creates nothing', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    await refused(argsFor('mysql://me:secret@db/app'), /does not support mysql:\/\/.*postgres:\/\//, cwd);
    await refused(argsFor('xyz://somewhere'), /does not support xyz:\/\//, cwd);
    expect(readdirSync(cwd)).toEqual([]);
    const { stderr } = await runCli(argsFor('mysql://me:secret@db/app'), cwd);
    expect(stderr).not.toContain('secret');
  });

  it.skipIf(!hasPg)('refuses a PostgreSQL database or role that does not exist', async () => {
    await refused(
      argsFor(postgresUrl((u) => (u.pathname = '/baton_no_such_database'))),
      /database "baton_no_such_database" does not exist .*createdb/,
    );
    await refused(
      argsFor(postgresUrl((u) => (u.username = 'baton_no_such_role'))),
      /refused user "baton_no_such_role".*does not exist.*create the role/,
    );
  });
});

describe('baton restart', () => {
  it('refuses a SQLite file that does not exist, and does not create it', async () => {
    const missing = path.join(dir, 'typo.db');
    await refused(['restart', 'retries', '1', '--db', missing], /no database at .*typo\.db/);
    expect(existsSync(missing)).toBe(false);
  });
});
