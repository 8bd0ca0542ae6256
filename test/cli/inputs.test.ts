// Definitions and params as a person first types them: mistakes are answered with what, where and why.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-inputs-'));
  dirs.push(dir);
  return dir;
}

function tempFile(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

const NOOP = `properties: {owner: tester}
workflow:
  id: inputs
  steps:
    - step: {id: only, type: NoOp}
`;

describe('baton run --param', () => {
  it.each([
    ["x'y=1", "x'y"],
    ['1x=2', '1x'],
    ['a b=c', 'a b'],
  ])('refuses the param name in %s with the rule of definition param names', async (pair, name) => {
    const file = tempFile('w.yaml', NOOP);
    const { code, stderr } = await runCli([
      'run',
      file,
      '--param',
      pair,
      '--db',
      path.join(tempDir(), 'b.db'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(`baton run: --param param name '${name}' must match [_a-zA-Z][.\\-_a-zA-Z0-9]*\n`);
  });

  it('refuses a reserved param name', async () => {
    const file = tempFile('w.yaml', NOOP);
    const { code, stderr } = await runCli([
      'run',
      file,
      '--param',
      'util=1',
      '--db',
      path.join(tempDir(), 'b.db'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--param param name 'util' is reserved/);
  });

  it('restart checks the names the same way', async () => {
    const { code, stderr } = await runCli([
      'restart',
      'w',
      '1',
      '--param',
      "x'y=1",
      '--db',
      path.join(tempDir(), 'b.db'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--param param name 'x'y' must match/);
  });
});

describe('baton validate on a folder', () => {
  it('says that it found no definitions, and which endings it reads, and exits 2', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'not a definition');
    mkdirSync(path.join(dir, 'nested'));
    writeFileSync(path.join(dir, 'nested', 'w.yaml'), NOOP);
    const { code, stdout, stderr } = await runCli(['validate', dir]);
    expect(code).toBe(2);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      `${dir}: NO_DEFINITIONS: no definition files found in this folder: baton validate reads files ending in .json, .yaml or .yml (not in subfolders)\n`,
    );
  });

  it('says so in --json too', async () => {
    const { code, stdout } = await runCli(['validate', tempDir(), '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      valid: false,
      files: 0,
      issues: [{ code: 'NO_DEFINITIONS' }],
    });
  });
});
