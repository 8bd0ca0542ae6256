import { describe, expect, it } from 'vitest';
import { DslIssueCode } from './issue-codes.js';
import { looksLikeParamSyntax, parseParamKey } from './param-key.js';

describe('parseParamKey', () => {
  it.each([
    ['foo', { name: 'foo', expression: false }],
    ['  foo  ', { name: 'foo', expression: false }],
    ['!foo', { name: 'foo', expression: true }],
    ['foo<long>', { name: 'foo', expression: false, type: 'LONG' }],
    ['foo<String>', { name: 'foo', expression: false, type: 'STRING' }],
    ['foo<double>', { name: 'foo', expression: false, type: 'DOUBLE' }],
    ['foo<boolean>', { name: 'foo', expression: false, type: 'BOOLEAN' }],
    ['foo<array<long>>', { name: 'foo', expression: false, type: 'LONG_ARRAY' }],
    ['foo<array< string >>', { name: 'foo', expression: false, type: 'STRING_ARRAY' }],
    ['foo<array<double>>', { name: 'foo', expression: false, type: 'DOUBLE_ARRAY' }],
    ['foo<array<boolean>>', { name: 'foo', expression: false, type: 'BOOLEAN_ARRAY' }],
    ['foo<map>', { name: 'foo', expression: false, type: 'STRING_MAP' }],
    ['foo<pmap>', { name: 'foo', expression: false, type: 'MAP' }],
    ['foo<string_map>', { name: 'foo', expression: false, type: 'STRING_MAP' }],
    ['foo<long>(constant)', { name: 'foo', expression: false, type: 'LONG', mode: 'CONSTANT' }],
    ['foo (Mutable_On_Start_Restart)', { name: 'foo', expression: false, mode: 'MUTABLE_ON_START_RESTART' }],
    ['!foo<long>(immutable)', { name: 'foo', expression: true, type: 'LONG', mode: 'IMMUTABLE' }],
    ['job.param-1', { name: 'job.param-1', expression: false }],
  ])('reads %j', (key, expected) => {
    expect(parseParamKey(key)).toEqual(expected);
  });

  it.each(['', '!', 'foo bar', 'foo<long', 'foo<long>x', '!!foo', 'foo(constant', '<long>', 'foo()x'])(
    'rejects the malformed key %j',
    (key) => {
      expect(parseParamKey(key)).toMatchObject({ code: DslIssueCode.paramBadKey });
    },
  );

  it('names the unknown type and lists the supported ones', () => {
    expect(parseParamKey('foo<int>')).toEqual({
      code: DslIssueCode.paramBadType,
      message: expect.stringContaining("unknown param type 'int'") as string,
    });
    expect(parseParamKey('foo<array<map>>')).toMatchObject({ code: DslIssueCode.paramBadType });
  });

  it('names the unknown mode', () => {
    expect(parseParamKey('foo<long>(frozen)')).toEqual({
      code: DslIssueCode.paramBadMode,
      message: expect.stringContaining("unknown param mode 'frozen'") as string,
    });
  });
});

describe('looksLikeParamSyntax', () => {
  it('is true only for keys that say something beyond a name', () => {
    expect(looksLikeParamSyntax('!x')).toBe(true);
    expect(looksLikeParamSyntax('x<long>')).toBe(true);
    expect(looksLikeParamSyntax('x(constant)')).toBe(true);
    expect(looksLikeParamSyntax('Content-Type')).toBe(false);
    expect(looksLikeParamSyntax('a b')).toBe(false);
  });
});
