import { describe, expect, it } from 'vitest';
import { evaluateSel, parseSel, SelError, toJson } from './index.js';
import { failure, run, show } from './test-helpers.js';

// Names a script might use to reach the host. Each must lead nowhere: NULL, or a SelError, never a JS object.
const HOST_NAMES = [
  'this',
  'constructor',
  '__proto__',
  'process',
  'globalThis',
  'require',
  'Function',
  'prototype',
  'eval',
  'module',
  'import',
];

describe('the SEL sandbox reaches nothing of the host', () => {
  it.each(HOST_NAMES)('the bare name %s is NULL or a parse error', (name) => {
    try {
      expect(run(`${name};`)).toBeNull();
    } catch (err) {
      expect(err).toBeInstanceOf(SelError);
      expect((err as SelError).selCode).toBe('PARSE_ERROR');
    }
  });

  it.each([
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'call',
    'apply',
    'bind',
  ])('field or method %s on every kind of value is unsupported', (member) => {
    const receivers = [
      "'s'",
      '1',
      '1.5',
      'true',
      'new Map()',
      'new long[]{1}',
      'new DateTime(0)',
      'DateTimeZone.UTC',
      'params',
      'Util',
      'Math',
      'String',
      'System',
      'UUID.randomUUID()',
      'new DateTime(0).dayOfWeek()',
    ];
    for (const r of receivers) {
      expect(failure(`${r}.${member};`)).toBeInstanceOf(SelError);
      for (const args of ['', "'x'", '1, 2']) {
        try {
          // Some (toString, valueOf) are real SEL methods; they must still return plain SEL values.
          const v = run(`${r}.${member}(${args});`);
          expect(['string', 'bigint', 'number', 'boolean']).toContain(typeof v);
        } catch (err) {
          expect(err).toBeInstanceOf(SelError);
        }
      }
    }
  });

  it('params lookups by hostile names find only real variables', () => {
    const variables = { ok: 1 };
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(run(`params.get('${name}');`, { variables })).toBeNull();
      expect(run(`params['${name}'];`, { variables })).toBeNull();
      expect(run(`params.containsKey('${name}');`, { variables })).toBe(false);
      expect(run(`${name};`, { variables })).toBeNull();
    }
  });

  it('maps with hostile keys are plain data and do not pollute prototypes', () => {
    const r = run("m = new Map(); m.put('__proto__', 'x'); m.put('constructor', 1); return m;");
    expect(toJson(r)).toEqual(JSON.parse('{"__proto__":"x","constructor":1}'));
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it('unknown classes, imports and qualified names are refused', () => {
    expect(failure("new ProcessBuilder('sh');").message).toContain('does not include class:  ProcessBuilder');
    expect(failure("new java.io.File('/');").selCode).toBe('PARSE_ERROR');
    expect(failure('import java.lang.Runtime; Runtime.getRuntime();').selCode).toBe('UNSUPPORTED_METHOD');
    expect(failure("System.getenv('PATH');").selCode).toBe('UNSUPPORTED_METHOD');
    expect(failure("System.out.println('x');").selCode).toBe('UNSUPPORTED_FIELD');
    expect(failure('Function.constructor;').selCode).toBe('UNSUPPORTED_OPERATION');
    expect(failure('eval(1);').selCode).toBe('PARSE_ERROR');
  });

  it('zone ids are validated, not used as paths', () => {
    expect(failure("DateTimeZone.forID('../../etc/passwd');").message).toContain('is not recognised');
    expect(failure("DateTimeZone.forID('america/los_angeles');").selCode).toBe('ILLEGAL_ARGUMENT');
  });

  it('scripts cannot change the caller’s variables', () => {
    const variables = { m: { k: 'v' }, a: [1, 2] };
    run("m.put('k', 'changed'); a[0] = 9; params.get('m').put('x', 1);", { variables });
    expect(variables).toEqual({ m: { k: 'v' }, a: [1, 2] });
    expect(failure("params.put('k', 1);", { variables }).selCode).toBe('UNSUPPORTED_METHOD');
  });

  it('runs regexes that backtrack exponentially elsewhere in linear time, and refuses backreferences', () => {
    expect(show("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.replaceAll('(a+)+$', 'x');")).toBe(
      'STRING: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
    );
    expect(show("'aaaa'.split('(a|a)*');")).toBe('STRING_ARRAY: []');
    expect(failure("'abab'.replaceAll('(ab)\\\\1', 'x');").selCode).toBe('ILLEGAL_ARGUMENT');
    expect(show("'a1b22c'.replaceAll('[0-9]+', '#');")).toBe('STRING: a#b#c');
  });

  it('a map that contains itself is an error when printed, not a crash', () => {
    expect(failure("m = new Map(); m.put('self', m); '' + m;").selCode).toBe('LIMIT_STACK');
    const r = run("m = new Map(); m.put('self', m); return m;");
    expect(() => toJson(r)).toThrow(SelError);
  });

  it('does not use eval or Function anywhere: a program is data', () => {
    const program = parseSel('x + 1;');
    expect(
      JSON.parse(JSON.stringify(program, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))),
    ).toMatchObject({
      body: [{ kind: 'expr' }],
    });
    expect(evaluateSel(program, { variables: { x: 1 } })).toBe(2n);
  });
});

describe('polynomial regex backtracking is gone with the linear-time engine', () => {
  it('runs a*a*b on a long input', () => {
    const long = "s = 'a'; for (i = 0; i < 11; i += 1) { s += s; } ";
    expect(show(`${long} s.replaceAll('a*a*b', '');`)).toBe(`STRING: ${'a'.repeat(2048)}`);
    expect(show("'aaab'.replaceAll('a*a*b', 'x');")).toBe('STRING: x');
    expect(show(`${long} s.split('a').length;`)).toBe('LONG: 0');
  });
});
