// Golden files for the Maestro YAML DSL converter: every DSL sample Maestro ships and every fixture of ours
// must convert without issues to exactly the committed request. `UPDATE_GOLDEN=1` rewrites the goldens; review
// the diff like code, since a golden is the converter's contract with users.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertMaestroDslText, isMaestroDsl } from '../../src/dsl/maestro-dsl/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const samplesDir = path.resolve(repoRoot, '../shared/maestro/samples');
const fixturesDir = path.resolve(repoRoot, 'test/dsl/fixtures/maestro-dsl');
const goldenDir = path.resolve(repoRoot, 'test/golden/maestro-dsl');
const update = process.env['UPDATE_GOLDEN'] === '1';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => path.join(dir, f));
}

function checkGolden(file: string): void {
  const text = readFileSync(file, 'utf8');
  const { request, issues } = convertMaestroDslText(text);
  expect(issues).toEqual([]);
  const actual = `${JSON.stringify(request, null, 2)}\n`;
  const golden = path.join(goldenDir, `${path.basename(file).replace(/\.ya?ml$/, '')}.json`);
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(golden, actual);
  }
  expect(existsSync(golden), `missing golden ${golden}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(golden, 'utf8'));
}

describe('Maestro DSL samples convert to their goldens', () => {
  const samples = yamlFiles(samplesDir).filter((f) => isMaestroDsl(parse(readFileSync(f, 'utf8'))));
  if (samples.length === 0) it.skip(`no Maestro DSL samples in ${samplesDir}`, () => {});
  for (const file of samples) it(path.basename(file), () => checkGolden(file));
});

describe('Baton DSL fixtures convert to their goldens', () => {
  const fixtures = yamlFiles(fixturesDir);
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const file of fixtures) it(path.basename(file), () => checkGolden(file));
});
