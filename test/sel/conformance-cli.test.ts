// Maestro's SEL conformance cases once more, the way a person tries them: through `baton eval`, with the case's
// variables as --params, its limits as --limits and its clock as --now. What differs from the in-process run
// (conformance.test.ts) is listed below with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { conformanceDir, SHARED_SKIP_REASON } from '../support/shared.js';
import { ERROR_KINDS, hintFor, sameJson, type SelCase } from './conformance-runner.js';

const casesPath = `${conformanceDir}/sel-cases.json`;

/** Case id -> why `baton eval` cannot give Maestro's answer. */
const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  'pev-map-04': 'values are not aliased through Map.put (as in conformance.test.ts)',
  'pev-err-01':
    "baton eval appends the final ';' as Maestro's ExprEvaluator does, so raw SEL's missing-';' error cannot occur",
  'box-01': 'a param has a value: --params \'{"v": null}\' is PARAM_NULL, not a NULL variable',
  'box-18': 'the input is a Java List, which JSON cannot express (a JSON array is a SEL array)',
  'map-24':
    'a MAP param drops its null entries before SEL sees it (src/params), so the Map constructor error of a ' +
    'null entry does not occur',
};

function evalArgs(c: SelCase): string[] {
  const params: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(c.vars)) {
    const javaType = c.var_types?.[name];
    const value = javaType?.startsWith('Float') && typeof v === 'number' ? Math.fround(v) : v;
    const type = hintFor(javaType);
    params[name] = type === undefined ? value : { type, value };
  }
  const args = ['eval', c.expr, '--now', String(c.now_millis ?? 1_600_000_000_000)];
  if (Object.keys(params).length > 0) args.push('--params', JSON.stringify(params));
  if (c.limits !== undefined)
    args.push('--limits', typeof c.limits === 'string' ? c.limits : JSON.stringify(c.limits));
  return args;
}

interface EvalOutput {
  readonly type?: string;
  readonly value?: unknown;
  readonly error?: { code: string; message: string };
}

function sameValue(c: SelCase, out: EvalOutput): boolean {
  const { value } = out;
  if (c.nondeterministic === true) return true;
  if (c.tolerance !== undefined) {
    const nums = (x: unknown): number[] => (Array.isArray(x) ? x.map(Number) : [Number(x)]);
    const [got, want] = [nums(value), nums(c.expect)];
    return (
      got.length === want.length && got.every((g, i) => Math.abs(g - (want[i] as number)) <= c.tolerance!)
    );
  }
  // A LONG beyond 2^53 is a decimal string in JSON; the case's display has its exact digits.
  if (typeof value === 'string' && c.type === 'LONG') return `LONG: ${value}` === c.display;
  return sameJson(value, c.expect);
}

/** Null when `baton eval` gives the case's answer, else what it gave. */
async function outcome(c: SelCase): Promise<string | null> {
  const r = await runCli(evalArgs(c));
  const out = JSON.parse(r.stdout || '{}') as EvalOutput;
  const shown = r.stdout.trim() || r.stderr.trim();
  if (c.error !== undefined) {
    const e = out.error;
    if (e === undefined || e.code !== ERROR_KINDS[c.error]) return shown;
    if (c.thrown_message !== undefined && e.message !== c.thrown_message) return shown;
    if (c.error_message_contains !== undefined && !e.message.includes(c.error_message_contains)) return shown;
    return null;
  }
  if (out.error !== undefined || out.type !== c.type) return shown;
  return sameValue(c, out) ? null : shown;
}

const cases: SelCase[] = existsSync(casesPath)
  ? (JSON.parse(readFileSync(casesPath, 'utf8')) as SelCase[]).filter((c) => c.mode !== 'validate')
  : [];

if (cases.length === 0) {
  describe.skip(`SEL conformance through baton eval (${SHARED_SKIP_REASON})`, () => {
    it('needs the shared conformance data', () => undefined);
  });
} else {
  describe('SEL conformance through baton eval', () => {
    it('lists only known case ids as expected failures', () => {
      const ids = new Set(cases.map((c) => c.id));
      expect(Object.keys(EXPECTED_FAILURES).filter((id) => !ids.has(id))).toEqual([]);
    });

    it('gives Maestro’s answer for every case but the listed ones', { timeout: 120_000 }, async () => {
      const failed: Record<string, string> = {};
      for (const c of cases) {
        const why = await outcome(c);
        if (why !== null) failed[c.id] = why;
      }
      expect(
        Object.keys(failed)
          .filter((id) => EXPECTED_FAILURES[id] === undefined)
          .map((id) => `${id}: ${failed[id]}`),
      ).toEqual([]);
      expect(Object.keys(EXPECTED_FAILURES).filter((id) => failed[id] === undefined)).toEqual([]);
    });
  });
}
