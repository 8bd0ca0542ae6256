// The watchdog's script, with `kill` replaced by a shell function that logs each call and answers the probes
// (`kill -s 0`) as a test says: group 100 stays alive, group 200 is gone from the first probe on. Group ids are
// reused, so a group that is gone must get no signal after it was seen gone (200 might be someone else's by then).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { WATCHDOG_SCRIPT } from '../../src/steps/group-watchdog.js';

const FAKE_KILL = `kill() {
  echo "$*" >> "$KILL_LOG"
  case "$*" in "-s 0 -- -200") return 1 ;; esac
  return 0
}
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('sends SIGKILL only to the groups still alive at the end of the grace period', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-watchdog-'));
  const log = path.join(dir, 'kill.log');
  const child = spawn('/bin/sh', ['-c', FAKE_KILL + WATCHDOG_SCRIPT, 'watchdog-test', '1'], {
    env: { ...process.env, KILL_LOG: log },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end('+ 100\n+ 200\n'); // end of file: the process it watched for is gone
  expect(await exited).toBe(0); // the grace period is 1 s: the script ends on its own
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  expect(calls).toContain('-s TERM -- -100');
  expect(calls).toContain('-s TERM -- -200');
  expect(calls).toContain('-s KILL -- -100');
  // 200 was seen gone at the first probe: neither probed again nor killed
  expect(calls.filter((c) => c.endsWith('-- -200'))).toEqual(['-s TERM -- -200', '-s 0 -- -200']);
});
