// The watchdog of Shell steps' process groups is replaced when it dies. Only one that keeps dying soon after it
// started is given up on (three times in a row); one that lived a while was killed by something else, and a server
// that runs for months must keep its watchdog through any number of such kills. Real processes; the watchdog's age
// comes from an injected clock; waits are polls with a deadline.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupWatchdog, RESTART_WINDOW_MS, WATCHDOG_NAME } from '../../src/steps/group-watchdog.js';
import { eventually } from './shell-fixture.js';

const run = promisify(execFile);
const started: ChildProcess[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
  for (const pid of await watchdogs()) process.kill(pid, 'SIGKILL');
});

/** The pids of this process's watchdogs now running. */
async function watchdogs(): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]);
  return stdout
    .split('\n')
    .filter((line) => line.includes(WATCHDOG_NAME))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Kills the running watchdog and waits for its replacement, if any comes; returns whether one did. */
async function killAndSeeReplaced(): Promise<boolean> {
  const [pid] = await eventually(async () => {
    const pids = await watchdogs();
    return pids.length === 1 ? pids : undefined;
  });
  process.kill(pid!, 'SIGKILL');
  const next = await eventually(async () => {
    const pids = (await watchdogs()).filter((p) => p !== pid);
    return pids.length > 0 ? pids : undefined;
  }, 3_000).catch(() => undefined);
  return next !== undefined;
}

describe.skipIf(process.platform !== 'linux')('process group watchdog restarts', () => {
  it('keeps replacing a watchdog that lived a while before it was killed, and gives up on one that keeps dying', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      let now = 0;
      const watchdog = createGroupWatchdog(1000, () => now);
      const leader = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
      started.push(leader);
      watchdog.watch(leader.pid!);
      for (let i = 0; i < 5; i++) {
        now += RESTART_WINDOW_MS; // each watchdog lived a minute before it was killed
        expect(await killAndSeeReplaced()).toBe(true);
      }
      // three quick deaths in a row are replaced; the fourth is given up on, with a warning
      for (let i = 0; i < 3; i++) expect(await killAndSeeReplaced()).toBe(true);
      expect(await killAndSeeReplaced()).toBe(false);
      await eventually(async () => (warnings.some((w) => w.includes('keeps ending')) ? true : undefined));
    } finally {
      process.off('warning', onWarning);
    }
  }, 60_000);
});
