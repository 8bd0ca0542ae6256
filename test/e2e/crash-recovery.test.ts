// kill -9 in the middle of a run loses nothing: a new process picks the run up, counts the lost attempt as a
// platform failure, retries it under the step's policy, and the run finishes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { stateOf } from '../../src/engine/run-record.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { baton, exitOf, killLeftovers, until } from './processes.js';

const WORKFLOW = `
properties: { owner: tester }
workflow:
  id: crash-me
  steps:
    - step: { id: first, type: Shell, params: { command: { type: STRING, value: "echo first" } }, transition: { successors: { slow: "true" } } }
    - step:
        id: slow
        type: Shell
        params: { command: { type: STRING, value: "sleep 1.5 && echo slow" } }
        retry_policy: { platform_retry_limit: 3, backoff: { type: FIXED_BACKOFF, platform_retry_backoff_in_secs: 1 } }
        transition: { successors: { last: "true" } }
    - step: { id: last, type: NoOp }
`;

afterEach(killLeftovers);

describe('crash recovery', () => {
  it('finishes a run after its process is killed with SIGKILL mid-step', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-crash-'));
    try {
      const file = path.join(dir, 'crash.yaml');
      const db = path.join(dir, 'baton.db');
      writeFileSync(file, WORKFLOW);
      const first = baton(['run', file, '--db', db, '--lease-ms', '1000']);
      await until('the slow step to start', () =>
        first.stdout().includes('slow RUNNING') ? true : undefined,
      );
      first.child.kill('SIGKILL');
      await until('the killed process to exit', () => (first.child.signalCode ? true : undefined));

      const server = baton(['server', '--db', db, '--lease-ms', '1000', '--port', '0']);
      const store = await openSqliteStore({ clock: systemClock }, { path: db });
      try {
        const key = { workflow_id: 'crash-me', instance_id: 1, run_id: 1 };
        const run = await until('the run to end', async () => {
          const r = await store.transact((tx) => tx.getRun(key));
          return r?.end_time !== undefined ? r : undefined;
        });
        const state = stateOf(run, await store.transact((tx) => tx.getSteps(key)));
        expect(run.status).toBe('SUCCEEDED');
        expect(state.steps['first']).toMatchObject({ status: 'SUCCEEDED', attempt: 1 });
        expect(state.steps['slow']).toMatchObject({
          status: 'SUCCEEDED',
          attempt: 2,
          retries: { platform: 1 },
        });
        expect(state.steps['slow']!.history).toEqual([
          expect.objectContaining({
            attempt: 1,
            status: 'PLATFORM_FAILED',
            message: expect.stringMatching(/lease expired/),
          }),
        ]);
        expect(state.steps['last']).toMatchObject({ status: 'SUCCEEDED' });
      } finally {
        await store.close();
      }
      server.child.kill('SIGTERM');
      expect(await exitOf(server)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
