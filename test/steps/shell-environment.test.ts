// What docs/steps.md says about a Shell step's environment and its end states, checked against the runtime and,
// through `baton run`, against what the engine hands the runtime.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { useShellFixture } from './shell-fixture.js';

describe('Shell runtime: the environment', () => {
  const { execute } = useShellFixture();

  it('renders each kind of value, leaves out nulls, bad names and the control params', async () => {
    const { result, stdout } = await execute({
      command:
        'printf "%s\\n" "$text" "[$empty]" "$long" "$big" "$double" "$yes" "$list" "$map" ' +
        '"${nothing-unset}" "${command-unset}" "${cwd-unset}" "${env-unset}"',
      cwd: '.',
      text: 'a "quoted" $(word)',
      empty: '',
      long: 42,
      big: '9007199254740993', // a LONG beyond 2^53 arrives as its decimal text
      double: 0.25,
      yes: false,
      list: ['a', 'b c'],
      map: { rows: 5, table: 'orders' },
      nothing: null,
      'my-flag': 'skipped: not a variable name',
    });
    expect(result.state).toBe('done');
    expect((await stdout()).split('\n')).toEqual([
      'a "quoted" $(word)',
      '[]',
      '42',
      '9007199254740993',
      '0.25',
      'false',
      '["a","b c"]',
      '{"rows":5,"table":"orders"}',
      'unset',
      'unset',
      'unset',
      'unset',
      '',
    ]);
  });

  it('lets a step param replace an inherited variable, but never a BATON_* one', async () => {
    const { result, stdout } = await execute({
      command: 'echo "$HOME|$BATON_OUTPUT"',
      HOME: '/from/a/param',
      BATON_OUTPUT: '/elsewhere',
    });
    expect(result.state).toBe('done');
    expect(await stdout()).toMatch(/^\/from\/a\/param\|\/.+\/output\.json\n$/);
  });

  it('fails as a platform error when a value is too large for the environment', async () => {
    const { result } = await execute({ command: 'true', huge: 'x'.repeat(200 * 1024) });
    expect(result.state).toBe('platform_error');
    expect(result.message).toMatch(/Shell step could not run: .*E2BIG/);
  });

  it('gives each attempt a fresh $BATON_OUTPUT path in a folder that is removed afterwards', async () => {
    const { result, stdout, scratch } = await execute({
      command: 'test ! -e "$BATON_OUTPUT" && dirname "$BATON_OUTPUT" && echo "{}" > "$BATON_OUTPUT"',
    });
    expect(result.state).toBe('done');
    expect(path.dirname((await stdout()).trim())).toBe(scratch);
    expect(await readdir(scratch)).toEqual([]);
  });
});

/** Runs `yaml` with `baton run --json` on a SQLite file in a temp folder; returns the view and the log folder. */
async function runWorkflow(yaml: string, args: readonly string[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-shell-env-'));
  dirs.push(dir);
  const file = path.join(dir, 'wf.yaml');
  writeFileSync(file, yaml);
  const { code, stdout, stderr } = await runCli([
    'run',
    file,
    '--db',
    path.join(dir, 'baton.db'),
    '--json',
    ...args,
  ]);
  if (stdout === '') throw new Error(`baton run printed nothing (exit ${code}): ${stderr}`);
  const view = JSON.parse(stdout) as {
    status: string;
    steps: Record<string, { status: string; step_attempt_id: number; message?: string }>;
  };
  const log = (step: string, attempt = 1, name = 'stdout.log') =>
    readFileSync(path.join(dir, 'baton.db.logs', 'env', '1', '1', step, String(attempt), name), 'utf8');
  return { code, view, log };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Shell steps in a run: what the engine exports', () => {
  it('exports step params only, typed as the engine evaluated them; workflow params are not exported', async () => {
    const { code, log } = await runWorkflow(`properties: { owner: tester }
workflow:
  id: env
  params:
    region: { type: STRING, value: eu }
    day: { type: LONG, value: 20240101 }
  steps:
    - step:
        id: show
        type: Shell
        params:
          day_here: { type: LONG, expression: day + 1 }
          rate: { type: DOUBLE, value: 2.0 }
          ratio: { type: DOUBLE, value: 0.25 }
          flag: { type: BOOLEAN, value: true }
          tables: { type: STRING_ARRAY, value: [a, b c] }
          hours: { type: LONG_ARRAY, value: [0, 12] }
          labels: { type: STRING_MAP, value: { env: prod } }
          limits: { type: MAP, value: { rows: { type: LONG, value: 5 } } }
          command:
            type: STRING
            value: >-
              printf '%s\\n' "$\${region-unset}" "$\${day-unset}" "$$day_here" "$$rate" "$$ratio" "$$flag"
              "$$tables" "$$hours" "$$labels" "$$limits"
`);
    expect(code).toBe(0);
    expect(log('show').split('\n')).toEqual([
      'unset',
      'unset',
      '20240102',
      '2', // a DOUBLE is written as JavaScript writes the number: 2.0 reads "2"
      '0.25',
      'true',
      '["a","b c"]',
      '[0,12]',
      '{"env":"prod"}',
      '{"rows":5}',
      '',
    ]);
  });
});

describe('Shell steps in a run: end states', () => {
  it('maps exit codes, signals, bad settings and time limits to the end states docs/steps.md lists', async () => {
    const { view, log } = await runWorkflow(
      `properties: { owner: tester }
workflow:
  id: env
  steps:
    - step:
        id: ok
        type: Shell
        params: { command: { type: STRING, value: 'echo out; echo err >&2' } }
    - step:
        id: fails
        type: Shell
        retry_policy: { error_retry_limit: 1, backoff: { type: FIXED_BACKOFF, error_retry_backoff_in_secs: 1 } }
        params: { command: { type: STRING, value: 'echo "attempt $$BATON_ATTEMPT" >&2; exit 3' } }
    - step:
        id: ignored
        type: Shell
        failure_mode: ignore_failure
        retry_policy: { error_retry_limit: 0 }
        params: { command: { type: STRING, value: 'exit 1' } }
    - step:
        id: killed
        type: Shell
        retry_policy: { error_retry_limit: 0 }
        params: { command: { type: STRING, value: 'kill -9 $$$$' } }
    - step:
        id: no_dir
        type: Shell
        retry_policy: { error_retry_limit: 0 }
        params:
          cwd: { type: STRING, value: /no/such/dir }
          command: { type: STRING, value: 'true' }
    - step:
        id: slow
        type: Shell
        timeout: 20
        params: { command: { type: STRING, value: 'sleep 60' } }
`,
      ['--time-scale', '0.05'],
    );
    const ended = Object.fromEntries(
      Object.entries(view.steps).map(([id, s]) => [id, [s.status, s.step_attempt_id]]),
    );
    expect(ended).toEqual({
      ok: ['SUCCEEDED', 1],
      fails: ['FATALLY_FAILED', 2],
      ignored: ['COMPLETED_WITH_ERROR', 1],
      killed: ['FATALLY_FAILED', 1],
      no_dir: ['FATALLY_FAILED', 1],
      slow: ['TIMED_OUT', 1],
    });
    expect([log('ok'), log('ok', 1, 'stderr.log')]).toEqual(['out\n', 'err\n']);
    expect(view.steps['fails']!.message).toMatch(/exited with code 3; last lines of stderr:\n {2}attempt 2/);
    expect(log('fails', 1, 'stderr.log')).toBe('attempt 1\n');
    expect(view.steps['killed']!.message).toContain('was killed by signal SIGKILL');
    expect(view.steps['no_dir']!.message).toContain('/no/such/dir is not an existing directory');
    expect(view.status).toBe('FAILED');
  });
});
