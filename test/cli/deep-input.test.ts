// The built `baton` on input nested 900 deep: an answer and exit 2, never Node aborting (exit 134). Runs
// bin/baton.js (npm run build first) because an abort would take the test process down with it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/baton.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const files = {
  'deep.json': `{"properties": {"owner": "o"}, "workflow": {"id": "w", "params": {"m": {"type": "MAP", "value": {"x": ${deep(900)}}}}, "steps": [{"step": {"id": "s", "type": "NoOp"}}]}}`,
  'deep.yaml': `properties: {owner: o}\nworkflow:\n  id: w\n  params:\n    m: {type: MAP, value: {x: ${deep(900)}}}\n  steps:\n    - step: {id: s, type: NoOp}\n`,
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
writeFileSync(
  path.join(dir, 'ok.yaml'),
  'properties: {owner: o}\nworkflow:\n  id: ok\n  steps:\n    - step: {id: s, type: NoOp}\n',
);

describe('baton on a definition nested 900 deep', () => {
  it.each([
    ['validate', 'deep.json', '1:'],
    ['validate', 'deep.yaml', '5:'],
    ['run', 'deep.json', '1:'],
    ['run', 'deep.yaml', '5:'],
    ['graph', 'deep.json', '1:'],
    ['graph', 'deep.yaml', '5:'],
  ])('%s %s exits 2 with FILE:LINE:COLUMN: NESTED_TOO_DEEP', (command, file, line) => {
    const { code, stdout, stderr } = baton(command, file, ...(command === 'run' ? ['--db', 'run.db'] : []));
    expect(code).toBe(2);
    expect(`${stdout}${stderr}`).toMatch(
      new RegExp(
        `${file.replace('.', '\\.')}:${line}\\d+: NESTED_TOO_DEEP: this list or map is nested 129 levels deep`,
      ),
    );
  });

  it('run --param with a value nested 5,000 deep exits 2 with PARAM_TOO_DEEP', () => {
    const { code, stderr } = baton('run', 'ok.yaml', '--db', 'param.db', '--param', `x=${deep(5000)}`);
    expect(code).toBe(2);
    expect(stderr).toMatch(/PARAM_TOO_DEEP: param 'x' nests lists and maps more than 128 levels deep/);
  });
});
