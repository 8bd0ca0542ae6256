import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { convertMaestroDslText } from './index.js';

// Keys drawn from the DSL's own vocabulary plus param syntax, so generated documents reach deep into the
// converter instead of stopping at the first unknown key.
const key = fc.oneof(
  fc.constantFrom('id', 'type', 'jobs', 'dag', 'transition', 'params', 'ranges', 'condition', 'workflow_id'),
  fc.constantFrom(
    'job',
    'foreach',
    'while',
    'subworkflow',
    'from',
    'to',
    'increment',
    '<<',
    'version',
    'sync',
  ),
  fc.constantFrom('!x', 'x<long>', 'x<pmap>', 'x<map>(constant)', 'x<array<long>>', 'x<', 'x(bad)', '!'),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.constantFrom('IF a THEN b', 'OTHERWISE c', 'sequential', 'parallel', 'NoOp', 'spark', 'foreach'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
  ),
}));

describe('untrusted documents', () => {
  it('never make the converter throw, and every issue has a code and a path', () => {
    fc.assert(
      fc.property(tree, tree, (workflow, jobs) => {
        const doc = { Workflow: { ...(typeof workflow === 'object' && workflow ? workflow : {}), jobs } };
        const { issues, locate } = convertMaestroDslText(stringify(doc));
        for (const i of issues) {
          expect(typeof i.code).toBe('string');
          expect(Array.isArray(i.path)).toBe(true);
        }
        locate(['workflow', 'steps', 0, 'step', 'params']);
      }),
      { numRuns: 300 },
    );
  });

  it('never throw on arbitrary text either', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        convertMaestroDslText(`Workflow:\n  jobs:\n    - job: ${text}\n`);
        convertMaestroDslText(text);
      }),
      { numRuns: 300 },
    );
  });
});
