import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-validate-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Three unrelated mistakes: a bad enum value, an unknown successor, and a param whose literal is not its type. */
const THREE_MISTAKES = `properties:
  owner: tester
  run_strategy: sometimes
workflow:
  id: three-mistakes
  steps:
    - step:
        id: first
        type: NoOp
        transition:
          successors:
            secnd: "true"
    - step:
        id: second
        type: Sleep
        params:
          sleep_seconds:
            type: LONG
            value: ten
`;

describe('baton validate', () => {
  it('reports a YAML file with three mistakes as exactly three lines, each with its line and column', async () => {
    const file = tempFile('three.yaml', THREE_MISTAKES);
    const { code, stdout } = await runCli(['validate', file]);
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      `${file}:3:17: INVALID_VALUE: run strategy must be one of SEQUENTIAL, STRICT_SEQUENTIAL, FIRST_ONLY, LAST_ONLY, PARALLEL, SERIAL_LATEST_ONLY (any case), not "sometimes" (at properties.run_strategy)`,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${file}:12:13: UNKNOWN_SUCCESSOR: step 'first' has successor 'secnd'`),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${file}:19:20: PARAM_TYPE_MISMATCH: a LONG param's value must be a whole number, not the text "ten"`,
      ),
    );
  });

  it('exits 0 for valid files and says so on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['validate', 'examples']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^\d+ files valid\n$/);
  });

  it('prints the issues as JSON with --json', async () => {
    const file = tempFile('three.yaml', THREE_MISTAKES);
    const { code, stdout } = await runCli(['validate', '--json', file]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as {
      valid: boolean;
      issues: { code: string; line: number; column: number; path: unknown[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => [i.code, i.line, i.column])).toEqual([
      ['INVALID_VALUE', 3, 17],
      ['UNKNOWN_SUCCESSOR', 12, 13],
      ['PARAM_TYPE_MISMATCH', 19, 20],
    ]);
    expect(report.issues[1]!.path).toEqual([
      'workflow',
      'steps',
      0,
      'step',
      'transition',
      'successors',
      'secnd',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = tempFile('broken.yaml', 'workflow:\n  id: x\n  steps: [\n');
    const { code, stdout } = await runCli(['validate', file]);
    expect(code).toBe(2);
    expect(stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: SYNTAX: `));
  });

  it('reports JSON positions too, and a missing file', async () => {
    const file = tempFile(
      'w.json',
      '{\n  "properties": {"owner": "me"},\n  "workflow": {\n    "id": "w",\n    "steps": [{"step": {"id": "a", "type": "NoOp", "retry": 1}}]\n  }\n}\n',
    );
    const { code, stdout } = await runCli(['validate', file, 'no-such-file.json']);
    expect(code).toBe(2);
    expect(stdout).toContain(`${file}:5:52: UNKNOWN_KEY: unknown key 'retry'`);
    expect(stdout).toContain('no-such-file.json: UNREADABLE: no such file');
  });

  it('exits 2 with usage on bad arguments', async () => {
    const { code, stderr } = await runCli(['validate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing required argument/);
  });
});

describe('baton validate --limits', () => {
  it('applies configured limits', async () => {
    const { code, stdout } = await runCli([
      'validate',
      '--limits',
      '{"stepsPerList": 3}',
      'examples/daily-sales-report.yaml',
    ]);
    expect(code).toBe(2);
    expect(stdout).toContain('TOO_MANY_STEPS: this list has 4 steps; the limit is 3');
  });

  it('rejects unknown limits', async () => {
    const { code, stderr } = await runCli(['validate', '--limits', '{"steps": 3}', 'examples']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown limit 'steps'/);
  });
});

/** Valid, but its Shell command pastes a workflow param a run may set into the shell code. */
const PASTES_A_PARAM = `properties:
  owner: tester
workflow:
  id: pastes-a-param
  params:
    greeting: { type: STRING, value: hello }
  steps:
    - step:
        id: say
        type: Shell
        params:
          command: { type: STRING, value: 'echo "\${greeting}"' }
`;

describe('warnings (SHELL_INTERPOLATION)', () => {
  it('baton validate prints them with their position and still exits 0', async () => {
    const file = tempFile('pastes.yaml', PASTES_A_PARAM);
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^${file}:12:43: warning: SHELL_INTERPOLATION: the Shell command puts 'greeting' into its shell code as text, and 'greeting' is a workflow param that a run may set \\(mode MUTABLE\\).* \\(at workflow\\.steps\\[0\\]\\.step\\.params\\.command\\.value\\)\\n$`,
      ),
    );
    expect(stderr).toBe('1 file valid\n');
  });

  it('baton validate --json lists them apart from the issues, so the file stays valid', async () => {
    const file = tempFile('pastes.yaml', PASTES_A_PARAM);
    const { code, stdout } = await runCli(['validate', '--json', file]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { valid: boolean; issues: unknown[]; warnings: unknown[] };
    expect(report.valid).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.warnings).toMatchObject([
      { code: 'SHELL_INTERPOLATION', severity: 'warning', file, line: 12, column: 43 },
    ]);
  });

  it('baton run shows them on stderr and runs the workflow all the same', async () => {
    const file = tempFile('pastes.yaml', PASTES_A_PARAM);
    const { code, stdout, stderr } = await runCli(['run', file, '--json']);
    expect(stderr).toContain(`${file}:12:43: warning: SHELL_INTERPOLATION:`);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { status: string }).status).toBe('SUCCEEDED');
  });

  it('are not raised for the environment style', async () => {
    const file = tempFile(
      'env.yaml',
      PASTES_A_PARAM.replace(
        `command: { type: STRING, value: 'echo "\${greeting}"' }`,
        // A function, since `$$` in a replacement string means one `$`.
        () =>
          `greeting: { type: STRING, expression: greeting }\n          command: { type: STRING, value: 'echo "$$greeting"' }`,
      ),
    );
    const { code, stdout } = await runCli(['validate', file]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });
});
