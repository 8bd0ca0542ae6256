// `BATON_AUTH=on baton server`: a request without a token is refused (401), the first admin token is made on the
// database with `baton token create --db`, and with it the API answers; a viewer's token cannot push (403).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

afterEach(killLeftovers);

describe('BATON_AUTH=on baton server', () => {
  it('needs a token for every request, and a role for what it asks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-auth-'));
    try {
      const db = path.join(dir, 'baton.db');
      const admin = await runCli(['token', 'create', 'ada', '--role', 'admin', '--db', db]);
      expect(admin.code, admin.stderr).toBe(0);
      const viewer = await runCli(['token', 'create', 'vic', '--role', 'viewer', '--db', db]);
      const server = baton(['server', '--db', db, '--port', '0'], undefined, { BATON_AUTH: 'on' });
      const url = await until(
        'the server to serve',
        () => /Baton is serving (http:\S+)/.exec(server.stdout())?.[1],
      );
      expect(server.stdout()).toContain('authentication on');
      expect((await fetch(`${url}/api/v3/workflows`)).status).toBe(401);
      const bearer = (t: string) => ({
        authorization: `Bearer ${t.trim()}`,
        'content-type': 'application/json',
      });
      const definition = JSON.stringify({
        properties: { owner: 'ada' },
        workflow: { id: 'w', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
      });
      const denied = await fetch(`${url}/api/v3/workflows`, {
        method: 'POST',
        headers: bearer(viewer.stdout),
        body: definition,
      });
      expect(denied.status).toBe(403);
      const pushed = await fetch(`${url}/api/v3/workflows`, {
        method: 'POST',
        headers: bearer(admin.stdout),
        body: definition,
      });
      expect(pushed.status).toBe(200);
      const listed = await fetch(`${url}/api/v3/workflows`, { headers: bearer(viewer.stdout) });
      expect(((await listed.json()) as { elements: unknown[] }).elements).toHaveLength(1);
      server.child.kill('SIGTERM');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
