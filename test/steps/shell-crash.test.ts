// A Shell step's processes die with the Baton process that started them, even when it is killed with SIGKILL and
// has no chance to end them (ARCHITECTURE invariant 7): its grandchildren too, not only the shell it started.
// Runs the built `bin/baton.js` (`npm run build` first).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';
import { eventually, liveMembers } from './shell-fixture.js';

const leftovers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of leftovers.splice(0)) await cleanup();
});

/** Starts `baton run` on a one-step workflow whose Shell step starts two long-running background processes. */
async function runLongStep(): Promise<{ baton: ChildProcess; pgid: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-crash-'));
  leftovers.push(() => rm(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'step.sh');
  await writeFile(
    script,
    [
      'sleep 1000 & sleep 1000 &',
      `ps -o pgid= -p $$ > ${dir}/pgid.tmp && mv ${dir}/pgid.tmp ${dir}/pgid`,
      'wait',
      '',
    ].join('\n'),
  );
  const workflow = path.join(dir, 'wf.yaml');
  await writeFile(
    workflow,
    [
      'properties: { owner: tester }',
      'workflow:',
      '  id: crash',
      '  steps:',
      `    - step: { id: long, type: Shell, params: { command: { type: STRING, value: "sh ${script}" } } }`,
      '',
    ].join('\n'),
  );
  const baton = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/baton.js'), 'run', workflow, '--db', path.join(dir, 'baton.db')],
    { cwd: dir, stdio: 'ignore' },
  );
  leftovers.push(async () => {
    if (baton.exitCode === null && baton.signalCode === null) baton.kill('SIGKILL');
  });
  const pgid = await eventually(async () => {
    const text = (await readFile(path.join(dir, 'pgid'), 'utf8').catch(() => '')).trim();
    return text === '' ? undefined : Number(text);
  }, 20_000);
  leftovers.unshift(async () => {
    try {
      process.kill(-pgid, 'SIGKILL'); // only when the test failed: the group should be gone
    } catch {
      // gone, as it should be
    }
  });
  // the step's shell, the script's shell and both sleeps
  await eventually(async () => ((await liveMembers(pgid)).length >= 3 ? true : undefined));
  return { baton, pgid };
}

describe('Shell step processes when Baton dies', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'end, grandchildren included, when `baton run` gets %s',
    async (signal) => {
      const { baton, pgid } = await runLongStep();
      baton.kill(signal);
      await eventually(async () => (baton.signalCode !== null || baton.exitCode !== null ? true : undefined));
      // Zombies are left out: where PID 1 does not reap the orphans it inherits (many containers), the killed
      // processes stay in the table as zombies, but nothing runs any more.
      await eventually(async () => ((await liveMembers(pgid)).length === 0 ? true : undefined), 20_000);
      expect(await liveMembers(pgid)).toEqual([]);
    },
    40_000,
  );
});
