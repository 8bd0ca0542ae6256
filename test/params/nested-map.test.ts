// A MAP param whose value nests plain maps runs end to end: definition → store → evaluation → SEL in a step param
// and a condition → a Shell step's environment (it crashed `baton run` with a TypeError before).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../cli/run-cli.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'nested-map.yaml');
const dir = mkdtempSync(path.join(tmpdir(), 'baton-nested-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface View {
  status: string;
  params: Record<string, unknown>;
  steps: Record<
    string,
    { status: string; outputs?: Record<string, unknown>; params?: Record<string, unknown> }
  >;
}

async function run(file: string, ...args: string[]): Promise<{ code: number; view: View; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['run', file, '--json', ...args]);
  return { code, view: (stdout === '' ? {} : JSON.parse(stdout)) as View, stderr };
}

describe('a MAP param with nested maps', () => {
  it('validates', async () => {
    const { code, stdout } = await runCli(['validate', fixture]);
    expect(stdout).toBe('');
    expect(code).toBe(0);
  });

  it.each([
    ['YAML', fixture],
    ['JSON', path.join(dir, 'nested-map.json')],
  ])(
    'runs from %s: SEL reads setting.source.bucket in a step param, the shell, and a condition',
    async (_f, file) => {
      if (file.endsWith('.json'))
        writeFileSync(file, JSON.stringify(parseYaml(readFileSync(fixture, 'utf8'))));
      const { code, view, stderr } = await run(file, '--db', path.join(dir, `${path.basename(file)}.db`));
      expect(stderr).not.toMatch(/Error/);
      expect(code).toBe(0);
      expect(view.params['settings']).toEqual({
        source: { bucket: 'raw', prefix: 'events/' },
        retries: 3,
        regions: ['us-east-1', 'eu-west-1'],
      });
      expect(view.steps['copy']!.params!['bucket']).toBe('raw');
      expect(view.steps['copy']!.outputs).toEqual({ copied: 'raw' });
      expect(view.steps['from_raw']!.status).toBe('SUCCEEDED');
      expect(view.steps['from_other']!.status).toBe('UNSATISFIED');
    },
  );

  it('takes a --param override key by key, keeping the keys it does not name', async () => {
    const { code, view } = await run(fixture, '--param', 'settings={"source": {"bucket": "curated"}}');
    expect(code).toBe(0);
    expect(view.params['settings']).toEqual({
      source: { bucket: 'curated', prefix: 'events/' },
      retries: 3,
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(view.steps['copy']!.outputs).toEqual({ copied: 'curated' });
    expect(view.steps['from_raw']!.status).toBe('UNSATISFIED');
    expect(view.steps['from_other']!.status).toBe('SUCCEEDED');
  });

  it('refuses an override of the wrong shape as bad input, naming the nested param', async () => {
    const { code, stderr } = await run(fixture, '--param', 'settings={"source": {"bucket": {"x": 1}}}');
    expect(code).toBe(2);
    expect(stderr).toMatch(/param 'settings.source.bucket' is of type STRING and cannot be set to a MAP/);
  });

  it('restarts from the stored definition with the same values', async () => {
    const db = path.join(dir, 'restart.db');
    expect((await run(fixture, '--db', db)).code).toBe(0);
    const { code, stdout } = await runCli([
      'restart',
      'nested-map',
      '1',
      '--db',
      db,
      '--from-beginning',
      '--json',
    ]);
    expect(code).toBe(0);
    const view = JSON.parse(stdout) as View;
    expect(view.steps['copy']!.outputs).toEqual({ copied: 'raw' });
    expect((view.params['settings'] as { source: unknown }).source).toEqual({
      bucket: 'raw',
      prefix: 'events/',
    });
  });
});
