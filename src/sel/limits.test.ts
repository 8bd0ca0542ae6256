import { describe, expect, it } from 'vitest';
import { evaluateSel, parseSel, SEL_LIMIT_PRESETS } from './index.js';
import { failure } from './test-helpers.js';

describe('sandbox limits end evaluations with a SelError naming the limit', () => {
  it('loop limit: per loop execution, reaching the limit fails', () => {
    expect(failure('while (true) {}', { limits: { loop: 10 } }).selCode).toBe('LIMIT_LOOP');
    expect(failure('for (i = 0; i < 10; i += 1) {}', { limits: { loop: 10 } }).selCode).toBe('LIMIT_LOOP');
    expect(evaluateSel(parseSel('for (i = 0; i < 9; i += 1) {} i;'), { limits: { loop: 10 } })).toBe(9n);
  });

  it('array limit: new arrays and library results', () => {
    expect(failure('new long[10];', { limits: { array: 10 } }).message).toContain(
      'over the limit: 10 vs length: 10',
    );
    expect(failure('Util.intsBetween(0, 100, 1);', { limits: { array: 50 } }).selCode).toBe('LIMIT_ARRAY');
    expect(failure("'a,'.repeat;", {}).selCode).toBe('UNSUPPORTED_FIELD');
  });

  it('visit limit counts AST node visits', () => {
    expect(failure('x = 0; for (i = 0; i < 100; i += 1) x += 1;', { limits: { visit: 50 } }).selCode).toBe(
      'LIMIT_VISIT',
    );
  });

  it('stack limit bounds nesting at run time, and the parser guards its own recursion', () => {
    expect(failure('1 + (1 + (1 + (1 + (1 + (1 + 1)))));', { limits: { stack: 5 } }).selCode).toBe(
      'LIMIT_STACK',
    );
    expect(() => parseSel('('.repeat(1000) + '1' + ')'.repeat(1000) + ';')).toThrow(/parser limit/);
  });

  it('memory limit counts strings, arrays and map entries', () => {
    expect(failure("s = 'x'; while (true) { s += s; }", { limits: { loop: 1000 } }).selCode).toBe(
      'LIMIT_MEMORY',
    );
    expect(
      failure("m = new Map(); for (i = 0; i < 50; i += 1) m.put('' + i, i);", { limits: { memory: 500 } })
        .selCode,
    ).toBe('LIMIT_MEMORY');
    expect(failure("String.format('%999999999s', 'x');").selCode).toBe('LIMIT_MEMORY');
  });

  it('length limit is checked before parsing', () => {
    expect(() => parseSel('x'.repeat(20) + ';', { limits: 'thread' })).toThrow(
      /Expression length is over the limit: 16/,
    );
  });

  it('time limit uses the injected timer', () => {
    let t = 0;
    const timer = (): number => (t += 100);
    const err = (() => {
      try {
        evaluateSel(parseSel('x = 0; while (true) { x += 1; }'), {
          limits: { timeMs: 1000, loop: 1e9, visit: 1e9 },
          timer,
        });
      } catch (e) {
        return e as { selCode: string };
      }
      return undefined;
    })();
    expect(err?.selCode).toBe('LIMIT_TIME');
  });

  it('has Maestro’s prod limits as defaults', () => {
    expect(SEL_LIMIT_PRESETS.prod).toMatchObject({
      stack: 128,
      loop: 25001,
      array: 25001,
      length: 10000,
      visit: 1e8,
      memory: 1e8,
    });
  });
});

describe('operator chains', () => {
  it('a long chain of + is one level of nesting, like Maestro', () => {
    const src = "x = 'a'" + " + 'b'".repeat(300) + '; x.length();';
    expect(evaluateSel(parseSel(src), {})).toBe(301n);
  });
});
