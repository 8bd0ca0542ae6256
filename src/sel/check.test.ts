import { describe, expect, it } from 'vitest';
import { checkSel } from './index.js';

describe('checkSel: syntax and references without running', () => {
  it('reports free variables in first-use order, not locals or classes', () => {
    const r = checkSel('int y = x + 1; z = y * w; return String.valueOf(z) + v + x;');
    expect(r.ok).toBe(true);
    expect(r.references.variables).toEqual(['x', 'w', 'v']);
    expect(r.references.names).toEqual(['x', 'w', 'v']);
  });

  it('reports literal params names and cross-step references', () => {
    const r = checkSel(
      "params.get('a') + params['b'] + job1__out + params.getFromStep('job.2', 'p'); params.containsKey('c');",
    );
    expect(r.references.params).toEqual(['a', 'b', 'c']);
    expect(r.references.steps).toEqual([
      { step: 'job1', param: 'out' },
      { step: 'job.2', param: 'p' },
    ]);
    expect(r.references.names).toContain('params');
    expect(r.references.dynamicParams).toBe(false);
    expect(checkSel("k = 'a'; params.get(k);").references.dynamicParams).toBe(true);
  });

  it('returns the error with its position instead of throwing', () => {
    const r = checkSel('x = 1;\ny = (2 + ;');
    expect(r.ok).toBe(false);
    expect(r.error?.selCode).toBe('PARSE_ERROR');
    expect([r.error?.line, r.error?.column]).toEqual([2, 10]);
  });

  it('accepts Maestro param expressions without the final semicolon when asked', () => {
    expect(checkSel('x + 1').ok).toBe(false);
    expect(checkSel('x + 1', { autoSemicolon: true }).ok).toBe(true);
  });
});

describe('checkSel: unknown classes', () => {
  it('reports classes SEL does not have, with their position', () => {
    const r = checkSel('x = 1;\nThread t = new Thread();');
    expect(r.ok).toBe(false);
    expect(r.error?.selCode).toBe('UNSUPPORTED_CLASS');
    expect([r.error?.line, r.error?.column]).toEqual([2, 1]);
    expect(r.references.unknownClasses.map((c) => c.name)).toEqual(['Thread', 'Thread']);
    expect(checkSel('new DateTime[3];').ok).toBe(false);
    expect(
      checkSel("DateTime d = new DateTime(0); Map m = new HashMap(); String[] s = new String[]{'a'};").ok,
    ).toBe(true);
  });
});
