// Maestro's own sample definitions must validate, and its invalid fixtures must fail for the reason
// invalid-cases.json gives. Reads ../shared in place; skips with one line where it is absent.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/dsl/parse.js';
import type { JobTemplate } from '../../src/model/definition.js';
import { conformanceDir, hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';

const read = (file: string) => readFileSync(file, 'utf8');

describe.skipIf(!hasShared)('Maestro samples', () => {
  const files = hasShared
    ? readdirSync(samplesDir)
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .sort()
    : [];
  const templates = new Map<string, JobTemplate>();
  for (const file of files) {
    const template = parseDefinitionText(read(path.join(samplesDir, file))).jobTemplate;
    if (template) templates.set(template.definition.job_type.toLowerCase(), template.definition);
  }

  it('include the job template, which validates as a job template', () => {
    expect([...templates.keys()]).toEqual(['shell']);
  });

  it.each(files)('%s validates', (file) => {
    const result = parseDefinitionText(read(path.join(samplesDir, file)), { file, templates });
    expect(result.issues).toEqual([]);
    expect(result.workflow ?? result.jobTemplate).toBeDefined();
  });

  it('the shell sample needs its job template: alone it misses the params the template provides', () => {
    const result = parseDefinitionText(read(path.join(samplesDir, 'sample-shell-wf.json')));
    expect(result.issues.map((i) => i.code)).toEqual(['REQUIRED_PARAM', 'REQUIRED_PARAM']);
    expect(result.issues[0]!.message).toContain("no job template 'shell'");
  });
});

/** What each of Maestro's invalid fixtures must be rejected for (invalid-cases.json, `why_invalid`). */
const EXPECTED_INVALID: Record<string, readonly { code: string; line: number; message: RegExp }[]> = {
  'sample-dag-with-cycle-wf.json': [
    { code: 'CYCLE', line: 23, message: /cycle: job\.2 → job\.3 → job\.4 → job\.2/ },
  ],
  'sample-invalid-cron-wf-def.json': [{ code: 'INVALID_CRON', line: 10, message: /'0 30 \* \* \*'.*hour/ }],
  'sample-invalid-wf-def.json': [
    { code: 'TOO_LONG', line: 8, message: /260 characters.*256/ },
    { code: 'INVALID_ID', line: 9, message: /param name '\$foo'/ },
    { code: 'RESERVED_NAME', line: 10, message: /'maestro_foo'.*reserved prefix/ },
    { code: 'UNKNOWN_SUCCESSOR', line: 10, message: /successor 'bar'/ },
  ],
  'sample-invalid-wf-dry-run-failure.json': [
    { code: 'REQUIRED_PARAM', line: 13, message: /'kubernetes\.image'/ },
    { code: 'REQUIRED_PARAM', line: 13, message: /'notebook\.input_path'/ },
  ],
  'sample-invalid-wf.json': [{ code: 'MISSING', line: 1, message: /'workflow' is required/ }],
};

describe.skipIf(!hasShared)('Maestro invalid fixtures', () => {
  const cases = hasShared
    ? (JSON.parse(read(path.join(conformanceDir, 'invalid-cases.json'))) as {
        file: string;
        why_invalid: string;
      }[])
    : [];

  it('every case in invalid-cases.json has an expectation here', () => {
    expect(cases.map((c) => c.file).sort()).toEqual(Object.keys(EXPECTED_INVALID).sort());
  });

  it.each(cases.map((c) => [c.file, c.why_invalid] as const))('%s fails: %s', (file) => {
    const result = parseDefinitionText(read(path.join(conformanceDir, 'invalid', file)), { file });
    expect(result.workflow).toBeUndefined();
    const got = result.issues.map((i) => ({ code: i.code, line: i.line, message: i.message }));
    expect(got).toHaveLength(EXPECTED_INVALID[file]!.length);
    for (const [i, want] of EXPECTED_INVALID[file]!.entries()) {
      expect(got[i]).toMatchObject({ code: want.code, line: want.line });
      expect(got[i]!.message).toMatch(want.message);
    }
  });
});

describe.skipIf(hasShared)('shared specs', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});
