import { describe, expect, it } from 'vitest';
import { evaluateSel, parseSel } from '../sel/index.js';
import { coerceInput, coerceSelResult } from './coerce.js';
import { formatParamValue, paramValueToJson } from './value-convert.js';
import { ParamError } from './errors.js';

const sel = (source: string) => evaluateSel(parseSel(source, { autoSemicolon: true }));

function errorOf(f: () => unknown): ParamError {
  try {
    f();
  } catch (err) {
    if (err instanceof ParamError) return err;
    throw err;
  }
  throw new Error('expected a ParamError');
}

describe('coerceInput (literals and run params)', () => {
  it('reads LONG from JSON integers and numeric text (the command line)', () => {
    expect(coerceInput('n', 'LONG', 15)).toBe(15n);
    expect(coerceInput('n', 'LONG', ' -42 ')).toBe(-42n);
    expect(coerceInput('n', 'LONG', '9223372036854775807')).toBe(9223372036854775807n);
  });

  it('rejects wrong types with the param name and both types', () => {
    expect(errorOf(() => coerceInput('n', 'LONG', 'ten')).message).toBe(
      `param 'n' is of type LONG but got STRING ("ten")`,
    );
    expect(errorOf(() => coerceInput('n', 'LONG', 1.5)).message).toBe(
      "param 'n' is of type LONG but got DOUBLE",
    );
    expect(errorOf(() => coerceInput('n', 'LONG', '9223372036854775808')).paramCode).toBe(
      'PARAM_TYPE_MISMATCH',
    );
    expect(errorOf(() => coerceInput('b', 'BOOLEAN', 1)).message).toBe(
      "param 'b' is of type BOOLEAN but got LONG",
    );
    expect(errorOf(() => coerceInput('a', 'LONG_ARRAY', [1, 'x'])).message).toBe(
      "param 'a' is of type LONG_ARRAY but got STRING at index 1",
    );
    expect(errorOf(() => coerceInput('s', 'STRING', null)).paramCode).toBe('PARAM_NULL');
  });

  it('reads DOUBLE from LONG, BOOLEAN from text, and arrays/maps from JSON text', () => {
    expect(coerceInput('d', 'DOUBLE', 3)).toBe(3);
    expect(coerceInput('d', 'DOUBLE', '2.5')).toBe(2.5);
    expect(coerceInput('b', 'BOOLEAN', 'TRUE')).toBe(true);
    expect(coerceInput('a', 'LONG_ARRAY', '[1, "2"]')).toEqual([1n, 2n]);
    expect(coerceInput('a', 'DOUBLE_ARRAY', [1, 2.5])).toEqual([1, 2.5]);
    expect(coerceInput('m', 'STRING_MAP', '{"a": "x", "b": 2}')).toEqual({ a: 'x', b: '2' });
  });

  it('reads MAP values into their JSON shapes, nested', () => {
    expect(coerceInput('m', 'MAP', { n: 1, d: 1.5, s: 'x', l: [1, 2], inner: { b: true } })).toEqual({
      n: 1n,
      d: 1.5,
      s: 'x',
      l: [1n, 2n],
      inner: { b: true },
    });
  });

  it('turns scalars into text for STRING', () => {
    expect(coerceInput('s', 'STRING', 15)).toBe('15');
    expect(coerceInput('s', 'STRING', true)).toBe('true');
  });
});

describe('coerceSelResult (expression results)', () => {
  it('takes LONG for LONG, LONG or DOUBLE for DOUBLE, any scalar for STRING', () => {
    expect(coerceSelResult('n', 'LONG', sel('1 + 1'))).toBe(2n);
    expect(coerceSelResult('d', 'DOUBLE', sel('3'))).toBe(3);
    expect(coerceSelResult('s', 'STRING', sel('15'))).toBe('15');
    expect(coerceSelResult('s', 'STRING', sel('1.0 * 2'))).toBe('2.0');
  });

  it('rejects a DOUBLE for a LONG, a scalar for an array, and null', () => {
    expect(errorOf(() => coerceSelResult('n', 'LONG', sel('1.5'))).message).toMatch(
      /^param 'n' is of type LONG but got DOUBLE/,
    );
    expect(errorOf(() => coerceSelResult('a', 'LONG_ARRAY', sel('1'))).message).toBe(
      "param 'a' is of type LONG_ARRAY but got LONG",
    );
    expect(
      errorOf(() => coerceSelResult('a', 'STRING_ARRAY', sel('Util.intsBetween(1, 3, 1)'))).message,
    ).toBe("param 'a' is of type STRING_ARRAY but got LONG_ARRAY");
    expect(errorOf(() => coerceSelResult('s', 'STRING', sel('null'))).paramCode).toBe('PARAM_NULL');
  });

  it('converts SEL arrays and maps', () => {
    expect(coerceSelResult('a', 'LONG_ARRAY', sel('Util.intsBetween(1, 4, 1)'))).toEqual([1n, 2n, 3n]);
    expect(coerceSelResult('a', 'DOUBLE_ARRAY', sel('Util.intsBetween(1, 3, 1)'))).toEqual([1, 2]);
    expect(coerceSelResult('a', 'STRING_ARRAY', sel("'a,b'.split(',')"))).toEqual(['a', 'b']);
    const m = sel("Map m = new HashMap(); m.put('a', 1); m.put('b', 'x'); return m;");
    expect(coerceSelResult('m', 'STRING_MAP', m)).toEqual({ a: '1', b: 'x' });
    expect(coerceSelResult('m', 'MAP', m)).toEqual({ a: 1n, b: 'x' });
  });
});

describe('JSON and text forms', () => {
  it('writes LONGs beyond 2^53 as strings and formats values for interpolation', () => {
    expect(paramValueToJson({ big: 9007199254740993n, small: 5n, l: [1n] })).toEqual({
      big: '9007199254740993',
      small: 5,
      l: [1],
    });
    expect(formatParamValue(2)).toBe('2.0');
    expect(formatParamValue(['a', 'b'])).toBe('["a","b"]');
    expect(formatParamValue({ a: 1n })).toBe('{"a":1}');
  });
});
