import { describe, expect, it } from 'vitest';
import { readShellParams } from './shell-params.js';

describe('readShellParams', () => {
  it('reads a command, exporting params and the env map', () => {
    const result = readShellParams({
      command: 'echo hi',
      cwd: '/tmp',
      rows: 3,
      flag: true,
      name: 'x',
      'not-a-name': 'skipped',
      list: ['a', 'b'],
      nothing: null,
      env: { GREETING: 'hello', name: 'from env map' },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        program: { kind: 'command', text: 'echo hi' },
        cwd: '/tmp',
        env: { rows: '3', flag: 'true', name: 'from env map', list: '["a","b"]', GREETING: 'hello' },
      },
    });
  });

  it('reads a script', () => {
    expect(readShellParams({ script: 'echo a\necho b\n' })).toMatchObject({
      ok: true,
      value: { program: { kind: 'script', text: 'echo a\necho b\n' } },
    });
  });

  it.each([[{}], [{ command: '  ' }], [{ script: null }]])('needs a command or a script: %j', (params) => {
    expect(readShellParams(params)).toEqual({
      ok: false,
      message: "a Shell step needs a 'command' or a 'script' param",
    });
  });

  it('reports every problem at once', () => {
    const result = readShellParams({
      command: 'x',
      script: 'y',
      cwd: 3,
      env: { 'BAD-NAME': 'v', OK: { a: 1 } },
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain("'cwd' must be a string");
    expect(message).toContain("env: 'BAD-NAME' is not a valid environment variable name");
    expect(message).toContain('env.OK must be a string');
    expect(message).toContain("either 'command' or 'script', not both");
  });
});
