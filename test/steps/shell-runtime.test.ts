import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useShellFixture } from './shell-fixture.js';

describe('Shell runtime: running', () => {
  const { execute, tempDir } = useShellFixture();

  it('is done when the command exits 0, with stdout and stderr in the attempt logs', async () => {
    const { result, logDir, scratch, stdout } = await execute({ command: 'echo hello; echo warn >&2' });
    expect(result).toEqual({ state: 'done' });
    expect(await stdout()).toBe('hello\n');
    expect(await readFile(path.join(logDir, 'stderr.log'), 'utf8')).toBe('warn\n');
    expect(await readdir(scratch)).toEqual([]); // the scratch folder with $BATON_OUTPUT is gone
  });

  it('fails with user_error quoting the exit code and the end of stderr', async () => {
    const command = 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i" >&2; done; exit 3';
    const { result } = await execute({ command });
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('exited with code 3');
    expect(result.message).toContain('line 12');
    expect(result.message).toContain('line 3');
    expect(result.message).not.toContain('line 2\n');
  });

  it('names the signal that killed the process', async () => {
    const { result } = await execute({ command: 'kill -9 $$' });
    expect(result.state).toBe('user_error');
    expect(result.message).toContain('killed by signal SIGKILL');
    expect(result.message).toContain('stderr was empty');
  });

  it('exports scalar params, the env map and the BATON_* variables', async () => {
    const { result, stdout } = await execute({
      command:
        'echo "$rows|$flag|$name|$GREETING|$BATON_WORKFLOW_ID|$BATON_INSTANCE_ID|$BATON_RUN_ID|$BATON_STEP_ID|$BATON_ATTEMPT"',
      rows: 3,
      flag: true,
      name: 'param',
      env: { GREETING: 'hello world', name: 'env map wins' },
      BATON_STEP_ID: 'a param cannot fake this',
    });
    expect(result.state).toBe('done');
    expect(await stdout()).toBe('3|true|env map wins|hello world|wf_shell|7|2|job|3\n');
  });

  it('runs in cwd, resolving a relative cwd against the runtime option', async () => {
    const base = await tempDir();
    const absolute = await execute({ command: 'pwd', cwd: base });
    expect(await absolute.stdout()).toBe(`${await realpath(base)}\n`);
    const relative = await execute({ command: 'pwd', cwd: '.' }, { options: { cwd: base } });
    expect(await relative.stdout()).toBe(`${await realpath(base)}\n`);
  });

  it('treats a missing cwd as the definition’s mistake (user_error)', async () => {
    const { result } = await execute({ command: 'true', cwd: '/no/such/dir' });
    expect(result).toEqual({ state: 'user_error', message: 'cwd /no/such/dir is not an existing directory' });
  });

  it('runs a multi-line script, kept in the log folder', async () => {
    const script = 'set -e\nx=2\necho "x is $x"\nif [ "$x" = 2 ]; then echo two; fi\n';
    const { result, logDir, stdout } = await execute({ script });
    expect(result).toEqual({ state: 'done' });
    expect(await stdout()).toBe('x is 2\ntwo\n');
    expect(await readFile(path.join(logDir, 'script.sh'), 'utf8')).toBe(script);
  });

  it('runs without a log folder', async () => {
    const { result } = await execute({ script: 'echo fine; exit 0' }, { logs: false });
    expect(result).toEqual({ state: 'done' });
  });

  it('rejects a step with neither command nor script', async () => {
    const { result } = await execute({ other: 1 });
    expect(result).toEqual({
      state: 'user_error',
      message: "a Shell step needs a 'command' or a 'script' param",
    });
  });

  it('caps each log file and notes how much was dropped, without losing the exit status', async () => {
    const command = "head -c 5000 /dev/zero | tr '\\0' a; head -c 300 /dev/zero | tr '\\0' e >&2; exit 4";
    const { result, logDir, stdout } = await execute({ command }, { options: { maxLogBytes: 1000 } });
    expect(result.state).toBe('user_error');
    expect(await stdout()).toBe(`${'a'.repeat(1000)}\n[truncated 4000 bytes]\n`);
    expect(await readFile(path.join(logDir, 'stderr.log'), 'utf8')).toBe('e'.repeat(300));
  });

  it('reports a process that cannot start as a platform_error', async () => {
    const { result } = await execute({ command: 'true' }, { options: { shell: '/no/such/shell' } });
    expect(result.state).toBe('platform_error');
    expect(result.message).toContain('ENOENT');
  });
});
