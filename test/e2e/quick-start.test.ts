// Maestro's README quick start against what `npm start` runs (`baton server --examples examples`, on a free port
// here): push sample-dag-test-1.json, start it with `{"initiator": {"type": "manual"}}`, and read run 1 of instance 1,
// which SUCCEEDED. The requests are the README's curl commands, sent as curl sends them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

if (!hasShared) console.log(`quick-start.test.ts (e2e) ${SHARED_SKIP_REASON}`);
afterEach(killLeftovers);

describe.skipIf(!hasShared)("Maestro's README quick start against npm start", () => {
  it('pushes, starts and reads run 1 of instance 1 as SUCCEEDED', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-quick-'));
    try {
      const server = baton([
        'server',
        '--examples',
        'examples',
        '--db',
        path.join(dir, 'baton.db'),
        '--port',
        '0',
      ]);
      const url = await until(
        'the server to serve',
        () => /Baton is serving (http:\S+)/.exec(server.stdout())?.[1],
      );
      const sample = readFileSync(path.join(samplesDir, 'sample-dag-test-1.json'), 'utf8');
      const push = await fetch(`${url}/api/v3/workflows`, {
        method: 'POST',
        headers: { user: 'tester', 'Content-Type': 'application/json' },
        body: sample,
      });
      expect(push.status).toBe(200);
      const start = await fetch(`${url}/api/v3/workflows/sample-dag-test-1/versions/latest/actions/start`, {
        method: 'POST',
        headers: { user: 'tester', 'Content-Type': 'application/json' },
        body: '{"initiator": {"type": "manual"}}',
      });
      expect(start.status).toBe(201);
      const run = await until('run 1 to succeed', async () => {
        const body = (await (
          await fetch(`${url}/api/v3/workflows/sample-dag-test-1/instances/1/runs/1`)
        ).json()) as {
          status: string;
        };
        return body.status === 'SUCCEEDED' ? body : undefined;
      });
      expect(run).toMatchObject({
        workflow_id: 'sample-dag-test-1',
        workflow_instance_id: 1,
        workflow_run_id: 1,
      });
      server.child.kill('SIGINT');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
