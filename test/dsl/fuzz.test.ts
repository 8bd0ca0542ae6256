// Property: whatever is done to a valid definition, the parser and validator answer with issues (or a model),
// never with another exception or a hang. Mutations start from Maestro's samples and our examples.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDefinition, parseDefinitionText } from '../../src/dsl/parse.js';
import { hasShared, repoRoot, samplesDir } from '../support/shared.js';

const dirs = [path.join(repoRoot, 'examples'), ...(hasShared ? [samplesDir] : [])];
const texts = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8')),
);
const jsonSamples = texts.filter((t) => t.trimStart().startsWith('{')).map((t) => JSON.parse(t) as unknown);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);

type Op = { readonly pick: number; readonly kind: number; readonly value: unknown; readonly key: string };

/** Every node of a JSON tree as [parent, key] pairs, in a stable order, so a number can pick one. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push([node, i]);
        walk(child);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push([node as Record<string, unknown>, key]);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function mutate(root: unknown, op: Op): void {
  const all = slots(root);
  if (all.length === 0) return;
  const [parent, key] = all[op.pick % all.length]!;
  const target = parent as Record<string | number, unknown>;
  switch (op.kind % 7) {
    case 0: // replace with any JSON value
      target[key] = op.value;
      break;
    case 1: // delete
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
      break;
    case 2: // rename a key or add a stray one
      if (!Array.isArray(parent)) {
        target[op.key] = target[key];
        delete target[key];
      }
      break;
    case 3: // duplicate a list item (duplicate ids, longer lists)
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      break;
    case 4: // flip the type of a scalar
      target[key] = typeof target[key] === 'string' ? Number(target[key]) || 0 : String(target[key]);
      break;
    case 5: // put a nested copy of the whole tree somewhere (deep nesting, big inputs)
      target[key] = structuredClone(root);
      break;
    default: // an odd string where anything was
      target[key] = ['', ' ', '${x}', '__', 'maestro_x', '0 30 * * *', '-1', '\u0000', 'a'.repeat(300)][
        op.pick % 9
      ];
  }
}

const op = fc.record({
  pick: fc.nat(),
  kind: fc.nat(),
  value: fc.jsonValue({ maxDepth: 3 }),
  key: fc.string({ maxLength: 8 }),
});

describe('parser and validator under random mutation', () => {
  it('answers with issues when a name is a map with keys such as toString (found by this fuzz test)', () => {
    for (const bad of [{ toString: [] }, { valueOf: {} }, ['x']]) {
      const result = parseDefinition({
        properties: { owner: 'me' },
        workflow: { id: 'wf', steps: [{ step: { id: 'a', type: bad } }] },
      });
      expect(result.workflow).toBeUndefined();
      expect(result.issues.map((i) => i.path.join('.'))).toContain('workflow.steps.0.step.type');
    }
  });

  it(`answer ${Math.round(RUNS * 0.7)} mutated definitions with issues or a model, never an exception`, () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(op, { minLength: 1, maxLength: 4 }), (which, ops) => {
        const root = structuredClone(jsonSamples[which % jsonSamples.length]);
        for (const o of ops) mutate(root, o);
        const result = parseDefinition(root);
        expect(Array.isArray(result.issues)).toBe(true);
        expect(result.issues.length === 0).toBe(Boolean(result.workflow ?? result.jobTemplate));
        for (const issue of result.issues) expect(typeof issue.message).toBe('string');
      }),
      { numRuns: Math.round(RUNS * 0.7) },
    );
  });

  it(`answer ${Math.round(RUNS * 0.3)} corrupted files with issues or a model, never an exception`, () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 3 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (which, edits) => {
          let text = texts[which % texts.length]!;
          for (const [at, drop, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + drop);
          }
          const result = parseDefinitionText(text, { file: 'fuzz' });
          for (const issue of result.issues) {
            expect(issue.file).toBe('fuzz');
            if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: Math.round(RUNS * 0.3) },
    );
  });
});
