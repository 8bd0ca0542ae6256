import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';
import { runCli } from './run-cli.js';

async function evalJson(...args: string[]) {
  const r = await runCli(['eval', ...args]);
  return { code: r.code, out: JSON.parse(r.stdout) as Record<string, unknown>, stderr: r.stderr };
}

describe('baton eval', () => {
  it('prints the type and value of an expression (the final ; is optional)', async () => {
    expect(await evalJson('8 + 9')).toMatchObject({ code: 0, out: { type: 'LONG', value: 17 } });
    expect(await evalJson("'a' + 1;")).toMatchObject({ code: 0, out: { type: 'STRING', value: 'a1' } });
    expect(await evalJson('Util.dateIntsBetween(20200226, 20200303, 1)')).toMatchObject({
      out: { type: 'LONG_ARRAY', value: [20200226, 20200227, 20200228, 20200229, 20200301, 20200302] },
    });
  });

  it('takes variables as plain values or as param definitions evaluated in dependency order', async () => {
    expect(await evalJson('x * 2 + y.length', '--params', '{"x": 4, "y": ["a", "b"]}')).toMatchObject({
      out: { type: 'LONG', value: 10 },
    });
    const defs = JSON.stringify({
      total: { type: 'LONG', expression: 'a[0] + a[1] + b' },
      a: { type: 'LONG_ARRAY', value: [1, 2] },
      b: { type: 'LONG', value: '3' },
      s: { type: 'STRING', value: '${total}-$$x' },
    });
    expect(await evalJson('s', '--params', defs)).toMatchObject({
      code: 0,
      out: { type: 'STRING', value: '6-$x' },
    });
  });

  it('reads a fixed clock with --now', async () => {
    const r = await evalJson(
      "new DateTime(System.currentTimeMillis()).withZone(DateTimeZone.forID('UTC')).toString('yyyyMMdd HH:mm')",
      '--now',
      '1569018000000',
    );
    expect(r.out).toEqual({ type: 'STRING', value: '20190920 22:20' });
  });

  it('reports syntax errors with their line and column, exit code 2', async () => {
    const r = await evalJson('1 +\n  * 2');
    expect(r.code).toBe(2);
    expect(r.out).toMatchObject({ error: { code: 'PARSE_ERROR', line: 2, column: 3 } });
  });

  it('reports a thrown value as THROWN with its message', async () => {
    expect(await evalJson('if (1 > 0) throw "no luck"; return 1;')).toMatchObject({
      code: 2,
      out: { error: { code: 'THROWN', message: 'no luck', line: 1 } },
    });
  });

  it('applies --limits', async () => {
    const r = await evalJson('long i = 0; while (i < 100) { i += 1; } return i;', '--limits', '{"loop": 10}');
    expect(r).toMatchObject({ code: 2, out: { error: { code: 'LIMIT_LOOP' } } });
    expect(await evalJson('long i = 0; while (i < 100) { i += 1; } return i;')).toMatchObject({
      out: { value: 100 },
    });
  });

  it('reports bad params and bad options as errors naming the problem', async () => {
    const cycle = await evalJson(
      'a',
      '--params',
      '{"a": {"type": "LONG", "expression": "b"}, "b": {"type": "LONG", "expression": "a"}}',
    );
    expect(cycle).toMatchObject({ code: 2, out: { error: { code: 'PARAM_CYCLE' } } });
    expect((cycle.out['error'] as { message: string }).message).toContain('a → b → a');
    const typed = await evalJson('x', '--params', '{"x": {"type": "LONG", "value": "ten"}}');
    expect(typed).toMatchObject({ code: 2, out: { error: { code: 'PARAM_TYPE_MISMATCH' } } });
    expect((typed.out['error'] as { message: string }).message).toMatch(/'x' is of type LONG but got STRING/);
    expect(await evalJson('1', '--params', '{oops')).toMatchObject({
      code: 2,
      out: { error: { code: 'INVALID_ARGUMENT' } },
    });
    expect(await evalJson('1', '--now', 'soon')).toMatchObject({
      code: 2,
      out: { error: { code: 'INVALID_ARGUMENT' } },
    });
  });
});

describe('baton eval positions', () => {
  it('reports an expression that ends too early at its end, not at the appended ;', async () => {
    const r = await evalJson('1 +');
    expect(r.out).toEqual({
      error: {
        code: 'PARSE_ERROR',
        message: 'Expected an expression but found the end of the expression at line 1, column 4',
        line: 1,
        column: 4,
      },
    });
  });
});

describe('baton eval arguments and limits', () => {
  it('takes an expression that begins with -, with options before or after it', async () => {
    expect(await evalJson('-7 / 2')).toMatchObject({ code: 0, out: { type: 'LONG', value: -3 } });
    expect(await evalJson('-x;', '--params', '{"x": 5}')).toMatchObject({ out: { type: 'LONG', value: -5 } });
    expect(await evalJson('--params', '{"x": 5}', '-x * 2')).toMatchObject({ out: { value: -10 } });
    expect(await evalJson('--now=0', '-System.currentTimeMillis()')).toMatchObject({ out: { value: 0 } });
    expect(await evalJson('--', '-1')).toMatchObject({ out: { value: -1 } });
    const unknown = await runCli(['eval', '--bogus', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    expect((await runCli(['eval', '-x', '-y'])).stderr).toContain("unknown option '-y'");
    expect((await runCli(['eval', '-x', 'y'])).stderr).toContain('too many arguments');
  });

  it('takes the limits by their snake_case names (timeout_ms as in Maestro), and the older timeMs', async () => {
    const spin = 'while (true) {}';
    for (const name of ['timeout_ms', 'time_ms', 'timeMs']) {
      const limits = JSON.stringify({ [name]: 50, loop: 1e9, visit: 1e9 });
      expect(await evalJson(spin, '--limits', limits)).toMatchObject({
        code: 2,
        out: {
          error: { code: 'LIMIT_TIME', message: expect.stringContaining('time limit 50 ms') as unknown },
        },
      });
    }
    const bad = await evalJson('1', '--limits', '{"timeout": 5, "timeMs": 1, "timeout_ms": 2, "loop": 0}');
    expect(bad.out).toEqual({
      error: {
        code: 'INVALID_ARGUMENT',
        message:
          "--limits: unknown limit 'timeout' (known: stack, loop, array, length, visit, memory, timeout_ms); " +
          "'timeout_ms' and 'timeMs' are the same limit; give it once; 'loop' must be a positive whole number, not 0",
      },
    });
  });

  it('lists the limit names and presets in its help', async () => {
    const help = await runCli(['eval', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('names: stack, loop, array, length, visit, memory, timeout_ms');
    expect(text).toContain('preset: prod, pev, jail, thread, engine_test');
  });

  // The built executable, in a child process with a deadline: the old regex engine ran this for minutes and could
  // not be interrupted, so an in-process test would hang instead of failing. Needs `npm run build`.
  it(
    'ends a catastrophically backtracking regex at once, and a quadratic one at its time limit',
    { timeout: 60_000 },
    () => {
      const bin = path.join(repoRoot, 'bin/baton.js');
      const baton = (...args: string[]) => {
        const r = spawnSync(process.execPath, [bin, 'eval', ...args], {
          cwd: repoRoot,
          encoding: 'utf8',
          timeout: 20_000,
        });
        expect(r.signal, `baton eval ${args.join(' ')} was killed after 20 s`).toBeNull();
        return JSON.parse(r.stdout) as unknown;
      };
      const s = `'${'a'.repeat(40)}!'`;
      expect(baton(`${s}.replaceAll("(.*a){30}$", "")`)).toEqual({
        type: 'STRING',
        value: `${'a'.repeat(40)}!`,
      });
      // As a param expression (what `baton run` evaluates before the first step).
      const param = { x: { type: 'STRING', expression: `${s}.replaceAll("(.*a){30}$", "x")` } };
      expect(baton('x', '--params', JSON.stringify(param))).toEqual({
        type: 'STRING',
        value: `${'a'.repeat(40)}!`,
      });
      const quadratic =
        "s = 'a'; for (i = 0; i < 15; i += 1) { s += s; } return s.replaceAll('a.*b|a', 'x');";
      expect(baton(quadratic, '--limits', '{"timeout_ms": 1000}')).toMatchObject({
        error: { code: 'LIMIT_TIME' },
      });
    },
  );
});
