// `baton server --trigger-catch-up` and the scheduler role as a user meets them on the command line.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliUntil } from '../cli/run-cli.js';
import { tempDir } from './harness.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

describe('baton server and time triggers', () => {
  it('refuses a catch-up policy that is not one, naming those there are, and opens nothing', async () => {
    const db = path.join(dir.dir, 'baton.db');
    const { code, stderr } = await runCli([
      'server',
      '--db',
      db,
      '--port',
      '0',
      '--trigger-catch-up',
      'sometimes',
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "baton server: --trigger-catch-up: the trigger catch-up policy is one of latest, all, none, not 'sometimes'\n",
    );
    expect(existsSync(db)).toBe(false);
  });

  it('runs the scheduler role with a policy, and no longer says it has nothing to run', async () => {
    const db = path.join(dir.dir, 'baton.db');
    const { code, stderr } = await runCliUntil(
      ['server', '--db', db, '--port', '0', '--roles', 'scheduler,engine,api', '--trigger-catch-up', 'all'],
      (out) => out.includes('Baton is serving'),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/roles scheduler,engine,api/);
    expect(stderr).not.toMatch(/nothing to run/);
  });
});
