// Maestro's SEL conformance cases, read in place from the shared folder beside the repo. Every case is a test;
// the few that Baton does not pass on purpose are listed below with the reason, and must keep failing so the list
// stays honest (docs/sel.md explains each).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCase, type SelCase } from './conformance-runner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const casesPath = path.resolve(repoRoot, '../shared/maestro/conformance/sel-cases.json');

/** Case id -> why Baton differs. Keep in sync with the table in docs/sel.md. */
const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  'pev-map-04':
    'deliberate: Baton values are immutable, so `y = 111` after `m.put("foo", y)` does not change the map ' +
    '(netflix-sel mutates the boxed LONG in place and the map sees it)',
};

const cases: SelCase[] = existsSync(casesPath)
  ? (JSON.parse(readFileSync(casesPath, 'utf8')) as SelCase[])
  : [];

// Each case runs once; the summary and the per-case tests share the outcome (pev-big-01 alone loops 11M times).
const outcomes = new Map<string, string | null>();
function outcome(c: SelCase): string | null {
  if (!outcomes.has(c.id)) outcomes.set(c.id, runCase(c));
  return outcomes.get(c.id) ?? null;
}

if (cases.length === 0) {
  describe.skip(`SEL conformance (${casesPath} not found; skipped)`, () => {
    it('needs the shared conformance data', () => undefined);
  });
} else {
  describe('SEL conformance', () => {
    it('passes at least 95% of the cases', () => {
      const passed = cases.filter((c) => outcome(c) === null).length;
      expect(passed / cases.length).toBeGreaterThanOrEqual(0.95);
      expect(passed).toBe(cases.length - Object.keys(EXPECTED_FAILURES).length);
    });

    it('lists only known case ids as expected failures', () => {
      const ids = new Set(cases.map((c) => c.id));
      expect(Object.keys(EXPECTED_FAILURES).filter((id) => !ids.has(id))).toEqual([]);
    });

    for (const c of cases) {
      const reason = EXPECTED_FAILURES[c.id];
      if (reason === undefined) {
        it(`${c.id}: ${c.expr.slice(0, 80)}`, () => {
          expect(outcome(c)).toBeNull();
        });
      } else {
        it(`${c.id} still fails (${reason.slice(0, 60)}...)`, () => {
          expect(outcome(c)).not.toBeNull();
        });
      }
    }
  });
}
