import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createShellRuntime } from '../../src/steps/shell-runtime.js';
import { eventually, liveMembers, shellContext, useShellFixture } from './shell-fixture.js';

describe('Shell runtime: stop, kill and timeout', () => {
  const { tempDir, execute, track } = useShellFixture();

  /** Starts `command` (which must write its shell's pid, the group id, to $PWD/pid) and aborts once it is running. */
  async function startThenAbort(command: string, killGraceMs: number) {
    const dir = await tempDir();
    const controller = new AbortController();
    const runtime = createShellRuntime({ env: process.env }, { killGraceMs, tmpDir: dir });
    const running = runtime.execute(
      shellContext({ params: { command, cwd: dir }, signal: controller.signal }),
    );
    const pgid = await eventually(async () => {
      const text = await readFile(path.join(dir, 'pid'), 'utf8').catch(() => '');
      return text.endsWith('\n') ? track(Number(text.trim())) : undefined;
    });
    await eventually(async () => ((await liveMembers(pgid)).length >= 2 ? true : undefined));
    controller.abort();
    return { result: await running, pgid };
  }

  it('ends the whole process group and returns stopped, leaving no orphans', async () => {
    const { result, pgid } = await startThenAbort('echo $$ > pid; sleep 100 & sleep 100', 5000);
    expect(result.state).toBe('stopped');
    expect(await liveMembers(pgid)).toEqual([]);
  });

  it('uses SIGKILL on processes that ignore SIGTERM, after the grace period', async () => {
    // An ignored signal stays ignored across fork and exec, so both the shell and its sleep shrug off SIGTERM.
    const { result, pgid } = await startThenAbort("trap '' TERM; echo $$ > pid; sleep 100 & sleep 100", 300);
    expect(result.state).toBe('stopped');
    expect(await liveMembers(pgid)).toEqual([]);
  });

  it('does not start anything once already aborted', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    controller.abort();
    const runtime = createShellRuntime({ env: process.env }, { tmpDir: dir });
    const result = await runtime.execute(
      shellContext({ params: { command: 'touch started', cwd: dir }, signal: controller.signal }),
    );
    expect(result.state).toBe('stopped');
    await expect(readFile(path.join(dir, 'started'))).rejects.toThrow();
  });

  it('ends background processes the step left behind when it exits', async () => {
    const dir = await tempDir();
    const { result } = await execute({ command: 'echo $$ > pid; sleep 100 & exit 0', cwd: dir });
    expect(result).toEqual({ state: 'done' });
    const pgid = track(Number((await readFile(path.join(dir, 'pid'), 'utf8')).trim()));
    expect(await liveMembers(pgid)).toEqual([]);
  });
});
