// The `baton` binary as a client of a `baton server` process: push, start --wait and status over HTTP between two
// processes, and Ctrl-C on a wait leaves the run going on the server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BAD, GOOD, SLOW } from '../cli-client/client-server.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

afterEach(() => killLeftovers());

describe('baton client commands against baton server', () => {
  it('pushes, starts with --wait (exit 0 and 1), draws status, and stops waiting on Ctrl-C', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-e2e-client-'));
    try {
      writeFileSync(path.join(dir, 'good.yaml'), GOOD);
      writeFileSync(path.join(dir, 'bad.yaml'), BAD);
      writeFileSync(path.join(dir, 'slow.yaml'), SLOW);
      const server = baton(['server', '--db', path.join(dir, 'baton.db'), '--port', '0']);
      const url = await until(
        'the server to listen',
        () => /Baton is serving (http:\/\/\S+) /.exec(server.stdout())?.[1],
      );
      const client = (...args: string[]) => baton([...args, '--url', url], dir);

      const push = client('push', '.');
      expect(await exitOf(push)).toBe(0);
      expect(push.stdout()).toContain('good.yaml: good version 1');

      const good = client('start', 'good', '--wait');
      expect(await exitOf(good)).toBe(0);
      expect(good.stdout()).toMatch(/run good\/1\/1 SUCCEEDED/);
      const bad = client('start', 'bad', '--wait');
      expect(await exitOf(bad)).toBe(1);

      const status = client('status', 'good', '1');
      expect(await exitOf(status)).toBe(0);
      expect(status.stdout()).toMatch(/^ {2}second +SUCCEEDED +1 /m);

      const slow = client('start', 'slow', '--wait');
      await until('the nap step to run', () => (slow.stdout().includes('nap RUNNING') ? true : undefined));
      slow.child.kill('SIGINT');
      expect(await exitOf(slow)).toBe(130);
      expect(slow.stderr()).toContain(
        'baton start: stopped waiting; the run goes on on the server (see: baton status slow 1)',
      );
      const still = client('status', 'slow', '1', '--json');
      expect(await exitOf(still)).toBe(0);
      expect(JSON.parse(still.stdout())).toMatchObject({ status: 'IN_PROGRESS' });
      expect(await exitOf(client('kill', 'slow', '1'))).toBe(0);

      server.child.kill('SIGTERM');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
