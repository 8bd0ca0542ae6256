// `baton run` with subworkflows: the child runs in the same process, and a run that fires a child without waiting
// for it (sync: false) is not left behind half-done when `baton run` ends: the command waits for it too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { runCli } from './run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('waits for the runs it fired and did not wait for before it exits', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-run-sub-'));
  dirs.push(dir);
  const child = {
    properties: { owner: 'tester' },
    workflow: {
      id: 'slow-child',
      steps: [
        { step: { id: 'nap', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 0.5' } } } },
      ],
    },
  };
  const parent = {
    properties: { owner: 'tester' },
    workflow: {
      id: 'fires',
      steps: [
        {
          subworkflow: {
            id: 'fire',
            sync: false,
            params: { subworkflow_id: { type: 'STRING', value: 'slow-child' } },
          },
        },
      ],
    },
  };
  writeFileSync(path.join(dir, 'child.json'), JSON.stringify(child));
  writeFileSync(path.join(dir, 'parent.json'), JSON.stringify(parent));
  const db = path.join(dir, 'runs.db');
  const { code, stdout } = await runCli(
    ['run', 'parent.json', '--with', 'child.json', '--db', db, '--json'],
    dir,
  );
  expect(code).toBe(0);
  const view = JSON.parse(stdout) as { steps: Record<string, { status: string; artifacts?: object }> };
  // the step succeeded as soon as its child was started
  expect(view.steps['fire']).toMatchObject({
    status: 'SUCCEEDED',
    artifacts: { maestro_subworkflow: { subworkflow_id: 'slow-child', subworkflow_instance_id: 1 } },
  });
  const store = await openSqliteStore({ clock: systemClock }, { path: db });
  try {
    const run = await store.transact((tx) => tx.getLatestRun('slow-child', 1));
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.initiator).toMatchObject({
      type: 'SUBWORKFLOW',
      ancestors: [{ workflow_id: 'fires', sync: false }],
    });
  } finally {
    await store.close();
  }
});
