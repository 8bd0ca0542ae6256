// Golden files for the JSON and YAML ways in: each fixture's canonical Maestro JSON (what the parser's model
// writes) is committed; model → JSON → model must be the identity for every fixture, example and sample.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinition, parseDefinitionText } from '../../src/dsl/parse.js';
import { createRequestToJson, jobTemplateRequestToJson } from '../../src/dsl/to-json.js';
import type { JobTemplate } from '../../src/model/definition.js';
import { hasShared, repoRoot, samplesDir } from '../support/shared.js';

const fixturesDir = path.join(repoRoot, 'test/dsl/fixtures/ways-in');
const goldenDir = path.join(repoRoot, 'test/golden/ways-in');
const update = process.env['UPDATE_GOLDEN'] === '1';

function definitionFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

describe('JSON and YAML ways in', () => {
  it.each(definitionFiles(fixturesDir).map((f) => path.basename(f)))(
    '%s produces its golden JSON',
    (name) => {
      const result = parseDefinitionText(readFileSync(path.join(fixturesDir, name), 'utf8'));
      expect(result.issues).toEqual([]);
      const actual = `${JSON.stringify(createRequestToJson(result.workflow!), null, 2)}\n`;
      const golden = path.join(goldenDir, `${name.replace(/\.(json|ya?ml)$/, '')}.json`);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, actual);
      }
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    },
  );
});

describe('model → JSON → model is the identity', () => {
  const templates = new Map<string, JobTemplate>();
  const files = [
    ...definitionFiles(fixturesDir),
    ...definitionFiles(path.join(repoRoot, 'examples')),
    ...(hasShared ? definitionFiles(samplesDir) : []),
  ];
  for (const file of files) {
    const t = parseDefinitionText(readFileSync(file, 'utf8')).jobTemplate;
    if (t) templates.set(t.definition.job_type.toLowerCase(), t.definition);
  }

  it.each(files.map((f) => path.relative(repoRoot, f)))('%s', (rel) => {
    const first = parseDefinitionText(readFileSync(path.join(repoRoot, rel), 'utf8'), { templates });
    if (first.jobTemplate) {
      const again = parseDefinition(jobTemplateRequestToJson(first.jobTemplate));
      expect(again.jobTemplate).toEqual(first.jobTemplate);
      return;
    }
    if (!first.workflow) return expect.soft(first.issues).toEqual([]); // reported by the samples suite
    const json = createRequestToJson(first.workflow);
    const again = parseDefinition(JSON.parse(JSON.stringify(json)), { templates });
    expect(again.issues).toEqual([]);
    expect(again.workflow).toEqual(first.workflow);
    expect(createRequestToJson(again.workflow!)).toEqual(json);
  });
});
