// Ctrl-C on `baton run` says what it leaves: the unfinished run, the database it is in (a temporary one is kept),
// and how to finish it; `restart` of that run says the same; a run queued behind it says why it waits; and
// `baton server` on that database does finish it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baton, exitOf, killLeftovers, until } from './processes.js';

const WORKFLOW = `
properties: { owner: tester }
workflow:
  id: napping
  steps:
    - step: { id: hello, type: Shell, params: { command: { type: STRING, value: "echo hello" } }, transition: { successors: { nap: "true" } } }
    - step:
        id: nap
        type: Shell
        params: { command: { type: STRING, value: "sleep 1" } }
        retry_policy: { platform_retry_limit: 3, backoff: { type: FIXED_BACKOFF, platform_retry_backoff_in_secs: 1 } }
`;

afterEach(killLeftovers);

describe('baton run interrupted', () => {
  it('prints the run it leaves and where, keeps the temporary database, and a server finishes the run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-int-'));
    let db: string | undefined;
    try {
      const file = path.join(dir, 'napping.yaml');
      writeFileSync(file, WORKFLOW);
      const run = baton(['run', file, '--lease-ms', '500']);
      await until('the nap step to start', () => (run.stdout().includes('nap RUNNING') ? true : undefined));
      run.child.kill('SIGINT');
      expect(await exitOf(run)).toBe(130);
      const said = run.stderr();
      expect(said).toMatch(
        /interrupted; run napping\/1\/1 is left IN_PROGRESS in \S+baton\.db \(a temporary database, kept for it\)/,
      );
      db = /in (\S+baton\.db) \(a temporary/.exec(said)![1]!;
      expect(existsSync(db)).toBe(true);
      expect(said).toContain(`to finish it, run: baton server --db ${db}`);

      const restart = baton(['restart', 'napping', '1', '--db', db]);
      expect(await exitOf(restart)).toBe(2);
      expect(restart.stderr()).toMatch(
        /run napping\/1\/1 has not ended \(it is IN_PROGRESS\).*finish it with: baton server --db /,
      );

      // Another run of the workflow waits behind the unfinished one (SEQUENTIAL), and says why.
      const next = baton(['run', file, '--db', db]);
      await until('the queued run to say what it waits for', () =>
        next
          .stderr()
          .includes('queued behind 1 other run(s) of napping (run strategy SEQUENTIAL, 1 at a time)')
          ? true
          : undefined,
      );
      expect(next.stderr()).toContain(`finished only by: baton server --db ${db}`);

      const server = baton(['server', '--db', db, '--lease-ms', '500', '--port', '0']);
      await until('the server to finish the run', () =>
        server.stdout().includes('run napping/1/1 SUCCEEDED') ? true : undefined,
      );
      expect(await exitOf(next)).toBe(0);
      expect(next.stdout()).toContain('run napping/2/1 SUCCEEDED');
      server.child.kill('SIGTERM');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (db !== undefined) rmSync(path.dirname(db), { recursive: true, force: true });
    }
  }, 60_000);

  it('baton server --examples stopped while an example runs exits 0, and the next server finishes the run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-int-server-'));
    try {
      writeFileSync(path.join(dir, 'napping.yaml'), WORKFLOW);
      const db = path.join(dir, 'baton.db');
      const first = baton(['server', '--examples', dir, '--db', db, '--port', '0']);
      await until('the nap step to start', () => (first.stdout().includes('nap RUNNING') ? true : undefined));
      first.child.kill('SIGINT');
      expect(await exitOf(first)).toBe(0);
      const second = baton(['server', '--db', db, '--port', '0']);
      await until('the run to end', () =>
        /run napping\/1\/1 SUCCEEDED/.test(second.stdout()) ? true : undefined,
      );
      second.child.kill('SIGTERM');
      expect(await exitOf(second)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
