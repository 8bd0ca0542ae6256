// `baton server` stopped with SIGTERM in the middle of a Shell step hands the attempt back: the next server runs the
// same attempt at once (no lease to wait for, no failure recorded), and the first one's processes are gone.
// Runs the built `bin/baton.js` (`npm run build` first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/dsl/parse.js';
import { systemClock } from '../../src/engine/clock.js';
import { createEngine } from '../../src/engine/engine.js';
import { createEngineEvaluator } from '../../src/engine/param-evaluator.js';
import { stateOf } from '../../src/engine/run-record.js';
import { createStepRuntimes } from '../../src/steps/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { eventually, liveMembers, writeRunsOnceScript } from '../steps/shell-fixture.js';
import { repoRoot } from '../support/shared.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function server(db: string): { child: ChildProcess; exited: Promise<number | null> } {
  // The default lease (30 s) is far longer than this test waits: only a hand-back lets the second server in in time.
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/baton.js'), 'server', '--db', db, '--port', '0'],
    {
      cwd: path.dirname(db),
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited };
}

describe('baton server stopped with SIGTERM', () => {
  it('hands its running step back: the next server runs the same attempt at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-server-stop-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const db = path.join(dir, 'baton.db');
    // The first run records its process group and waits; the second finds the mark and succeeds.
    const script = await writeRunsOnceScript(dir);
    const store = await openSqliteStore({ clock: systemClock }, { path: db });
    cleanups.push(() => store.close());
    // A client that only stores the workflow and starts the run: the servers claim and run it.
    const client = createEngine(
      { store, clock: systemClock, runtimes: createStepRuntimes(), evaluator: createEngineEvaluator() },
      { claims: [] },
    );
    const parsed = parseDefinition({
      properties: { owner: 'tester' },
      workflow: {
        id: 'wf',
        steps: [
          {
            step: { id: 's', type: 'Shell', params: { command: { type: 'STRING', value: `sh ${script}` } } },
          },
        ],
      },
    });
    await client.createWorkflow(parsed.workflow!);
    const first = server(db);
    const { run } = await client.startRun({ workflow_id: 'wf' });
    const pgid = await eventually(async () => {
      const text = (await readFile(path.join(dir, 'pgid'), 'utf8').catch(() => '')).trim();
      return text === '' ? undefined : Number(text);
    }, 20_000);
    cleanups.push(async () => {
      try {
        process.kill(-pgid, 'SIGKILL'); // only when the test failed
      } catch {
        // gone
      }
    });

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await liveMembers(pgid)).toEqual([]);

    server(db);
    const ended = await eventually(async () => {
      const r = await store.transact((tx) => tx.getRun(run));
      return r?.end_time === undefined ? undefined : r;
    }, 20_000);
    const step = stateOf(ended, await store.transact((tx) => tx.getSteps(run))).steps['s'];
    expect(ended.status).toBe('SUCCEEDED');
    expect(step).toMatchObject({
      status: 'SUCCEEDED',
      attempt: 1,
      retries: { error: 0, platform: 0, timeout: 0 },
    });
    expect(step?.history ?? []).toEqual([]);
  }, 60_000);
});
