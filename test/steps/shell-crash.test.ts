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

/** Spawns `bin/baton.js` with `args` in `dir`; it is killed after the test if still running. */
function baton(dir: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/baton.js'), ...args], {
    cwd: dir,
    stdio: 'ignore',
  });
  leftovers.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/**
 * A folder with a one-step workflow whose Shell step records its process group in `pgid` and starts two
 * long-running background processes. Lost attempts are retried after a second.
 */
async function longStepWorkflow(): Promise<{ dir: string; workflow: string }> {
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
      '    - step:',
      '        id: long',
      '        type: Shell',
      `        params: { command: { type: STRING, value: "sh ${script}" } }`,
      '        retry_policy: { platform_retry_limit: 5, backoff: { type: FIXED_BACKOFF, platform_retry_backoff_in_secs: 1 } }',
      '',
    ].join('\n'),
  );
  return { dir, workflow };
}

/** Waits for the step to record a process group and start both sleeps in it; takes the record away. */
async function runningGroup(dir: string): Promise<number> {
  const file = path.join(dir, 'pgid');
  const pgid = await eventually(async () => {
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    return text === '' ? undefined : Number(text);
  }, 20_000);
  await rm(file);
  leftovers.unshift(async () => {
    try {
      process.kill(-pgid, 'SIGKILL'); // only when the test failed: the group should be gone
    } catch {
      // gone, as it should be
    }
  });
  // the step's shell, the script's shell and both sleeps
  await eventually(async () => ((await liveMembers(pgid)).length >= 3 ? true : undefined));
  return pgid;
}

/** Kills `child` with `signal` and waits until no live (not zombie) process of the group is left. */
async function killAndWatch(child: ChildProcess, signal: NodeJS.Signals, pgid: number): Promise<void> {
  child.kill(signal);
  await eventually(async () => (child.signalCode !== null || child.exitCode !== null ? true : undefined));
  // Zombies are left out: where PID 1 does not reap the orphans it inherits (many containers), the killed
  // processes stay in the table as zombies, but nothing runs any more.
  await eventually(async () => ((await liveMembers(pgid)).length === 0 ? true : undefined), 20_000);
  expect(await liveMembers(pgid)).toEqual([]);
}

describe('Shell step processes when Baton dies', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'end, grandchildren included, when `baton run` gets %s',
    async (signal) => {
      const { dir, workflow } = await longStepWorkflow();
      const run = baton(dir, ['run', workflow, '--db', path.join(dir, 'baton.db')]);
      await killAndWatch(run, signal, await runningGroup(dir));
    },
    40_000,
  );

  it('end when `baton server` gets SIGKILL while running a step it took over', async () => {
    const { dir, workflow } = await longStepWorkflow();
    const db = path.join(dir, 'baton.db');
    const run = baton(dir, ['run', workflow, '--db', db, '--lease-ms', '1000']);
    await killAndWatch(run, 'SIGKILL', await runningGroup(dir));
    // the server takes the lost attempt over once its lease runs out, and runs it again
    const server = baton(dir, ['server', '--db', db, '--lease-ms', '1000', '--port', '0']);
    await killAndWatch(server, 'SIGKILL', await runningGroup(dir));
  }, 60_000);
});
