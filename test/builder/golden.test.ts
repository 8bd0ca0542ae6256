// Golden files for the TypeScript builder: each workflow in ./workflows must build to exactly the committed
// request in test/golden/builder. `UPDATE_GOLDEN=1` rewrites the goldens; review the diff like code, since a
// golden is the builder's contract with users. The sample-dag-test-3 mirror is also compared with Maestro's
// own sample, read in place from the shared samples.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltWorkflow } from '../../src/dsl/builder/index.js';
import { parseDefinition } from '../../src/dsl/parse.js';
import backfillLoops from './workflows/backfill-loops.js';
import dailyEtl from './workflows/daily-etl.js';
import sampleDagTest3 from './workflows/sample-dag-test-3.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const goldenDir = path.resolve(repoRoot, 'test/golden/builder');
const sampleFile = path.resolve(repoRoot, '../shared/maestro/samples/sample-dag-test-3.json');
const update = process.env['UPDATE_GOLDEN'] === '1';

const built: Record<string, BuiltWorkflow> = {
  'sample-dag-test-3': sampleDagTest3,
  'backfill-loops': backfillLoops,
  'daily-etl': dailyEtl,
};

describe('built workflows match their goldens', () => {
  for (const [name, wf] of Object.entries(built)) {
    it(name, () => {
      const actual = `${JSON.stringify(wf, null, 2)}\n`;
      const golden = path.join(goldenDir, `${name}.json`);
      if (update) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, actual);
      }
      expect(existsSync(golden), `missing golden ${golden}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
      // toJSON and toRequest are the same object, and stringify goes through toJSON.
      expect(wf.toRequest()).toBe(wf.toJSON());
      expect(JSON.parse(actual)).toStrictEqual(JSON.parse(JSON.stringify(wf.toJSON())));
    });
    it(`${name} parses and validates with no issues`, () => {
      // Through JSON text, as a server would receive it.
      expect(parseDefinition(JSON.parse(JSON.stringify(wf))).issues).toEqual([]);
    });
  }
});

// Maestro reads enum values case-insensitively and its samples mix cases ("ignore_failure", "parallel",
// "system"); the builder always writes UPPERCASE. Step `type` ("Sleep") is spelled by Maestro and left alone.
const ENUM_KEYS = new Set(['failure_mode', 'namespace', 'run_strategy', 'rule', 'criticality', 'mode']);

function normaliseEnums(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseEnums(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseEnums(v, k)]));
  }
  return typeof value === 'string' && key !== undefined && ENUM_KEYS.has(key) ? value.toUpperCase() : value;
}

describe('the sample-dag-test-3 mirror equals the Maestro sample', () => {
  if (!existsSync(sampleFile)) {
    it.skip(`sample not found at ${sampleFile}`, () => {});
    return;
  }
  const sample = JSON.parse(readFileSync(sampleFile, 'utf8')) as { workflow: { steps: unknown } };
  const request = JSON.parse(JSON.stringify(sampleDagTest3)) as { workflow: { steps: unknown } };

  it('has the same steps', () => {
    expect(normaliseEnums(request.workflow.steps)).toStrictEqual(normaliseEnums(sample.workflow.steps));
  });

  it('is the same request', () => {
    expect(normaliseEnums(request)).toStrictEqual(normaliseEnums(sample));
  });
});
