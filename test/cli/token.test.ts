import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/server/app.js';
import { openBaton } from '../../src/server/compose.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshDb = () => path.join(dir, `t${++files}.db`);

const savedToken = process.env['BATON_TOKEN'];
afterEach(() => {
  if (savedToken === undefined) delete process.env['BATON_TOKEN'];
  else process.env['BATON_TOKEN'] = savedToken;
});

describe('baton token with --db (on the store itself)', () => {
  it('makes a token, prints it once, lists it without its secret and revokes it', async () => {
    const db = freshDb();
    const made = await runCli(['token', 'create', 'ada', '--role', 'admin', '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^baton\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).toContain('it is shown only this once');
    const id = token.split('.')[1]!;

    const listed = await runCli(['token', 'ls', '--db', db]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^ID\\s+NAME\\s+ROLE.*\\n${id}\\s+ada\\s+admin\\s`));
    expect(listed.stdout).not.toContain(token.split('.')[2]!);

    const revoked = await runCli(['token', 'revoke', id, '--db', db]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`token ${id} revoked\n`);
    const json = await runCli(['token', 'ls', '--db', db, '--json']);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id, revoked: true })]);
  });

  it('refuses a bad role or name, and an unknown id, saying why, and stores nothing', async () => {
    const db = freshDb();
    const role = await runCli(['token', 'create', 'x', '--role', 'root', '--db', db]);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("a token's role is one of viewer, operator, admin, not 'root'");
    const name = await runCli(['token', 'create', ' ', '--role', 'viewer', '--db', db]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('a token name is the caller it stands for');
    const unknown = await runCli(['token', 'revoke', 'nope', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("there is no token 'nope'");
    expect(JSON.parse((await runCli(['token', 'ls', '--db', db, '--json'])).stdout)).toEqual([]);
  });
});

describe('baton token through a server with BATON_AUTH=on', () => {
  it('makes, lists and revokes tokens with the admin token made with --db, and is refused without one', async () => {
    const db = freshDb();
    const first = await runCli(['token', 'create', 'ada', '--role', 'admin', '--db', db]);
    const baton = await openBaton({ db });
    const app = await buildApi(
      { engine: baton.engine, store: baton.store, clock: baton.clock },
      { auth: { mode: 'on' } },
    );
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      delete process.env['BATON_TOKEN'];
      const denied = await runCli(['token', 'ls', '--url', url]);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('401');

      process.env['BATON_TOKEN'] = first.stdout.trim();
      const made = await runCli(['token', 'create', 'ci', '--role', 'operator', '--url', url, '--json']);
      expect(made.code, made.stderr).toBe(0);
      const { id, token } = JSON.parse(made.stdout) as { id: string; token: string };
      expect(token.split('.')[1]).toBe(id);
      const listed = await runCli(['token', 'ls', '--url', url]);
      expect(listed.stdout).toMatch(new RegExp(`^${id} +ci +operator`, 'm'));
      expect((await runCli(['token', 'revoke', id, '--url', url])).code).toBe(0);

      process.env['BATON_TOKEN'] = token;
      const revoked = await runCli(['token', 'ls', '--url', url]);
      expect(revoked.code).not.toBe(0);
      expect(revoked.stderr).toContain('the bearer token is not valid');
    } finally {
      await app.close();
      await baton.close();
    }
  });
});
