import { describe, expect, it } from 'vitest';
import { convertMaestroDslText } from './index.js';
import { DslIssueCode } from './issue-codes.js';

/** A workflow whose params are `lines` (indented by the caller's two spaces), starting on line 4. */
function withParams(...lines: string[]): string {
  return [
    'Workflow:',
    '  id: wf',
    '  owner: me',
    ...lines.map((l) => `  ${l}`),
    '  jobs:',
    '    - job: {id: a, type: NoOp}',
    '',
  ].join('\n');
}

function params(...lines: string[]): Record<string, unknown> {
  const { request, issues } = convertMaestroDslText(withParams(...lines));
  expect(issues).toEqual([]);
  return (request?.['workflow'] as { params: Record<string, unknown> }).params;
}

function issuesOf(...lines: string[]) {
  return convertMaestroDslText(withParams(...lines)).issues;
}

describe('literal params infer their type from the YAML value', () => {
  it.each([
    ['s: hello', { value: 'hello', type: 'STRING' }],
    ['s: "15"', { value: '15', type: 'STRING' }],
    ['n: 15', { value: 15, type: 'LONG' }],
    ['n: 0x10', { value: 16, type: 'LONG' }],
    ['s: -0x10', { value: '-0x10', type: 'STRING' }], // YAML 1.2: a signed hex is text
    ['d: 1.5', { value: 1.5, type: 'DOUBLE' }],
    ['d: 2.0', { value: 2, type: 'DOUBLE' }],
    ['d: 1e3', { value: 1000, type: 'DOUBLE' }],
    ['b: false', { value: false, type: 'BOOLEAN' }],
    ['a: [x, y]', { value: ['x', 'y'], type: 'STRING_ARRAY' }],
    ['a: [1, 2]', { value: [1, 2], type: 'LONG_ARRAY' }],
    ['a: [1, 2.5]', { value: [1, 2.5], type: 'DOUBLE_ARRAY' }],
    ['a: [true]', { value: [true], type: 'BOOLEAN_ARRAY' }],
    ['a: []', { value: [], type: 'STRING_ARRAY' }],
    ['m: {k: v, n: 1.50, t: true}', { value: { k: 'v', n: '1.50', t: 'true' }, type: 'STRING_MAP' }],
    ['m: {}', { value: {}, type: 'MAP' }],
    ['m: {k: [1]}', { value: { k: { value: [1], type: 'LONG_ARRAY' } }, type: 'MAP' }],
    ["m: {'!k': '1+1'}", { value: { k: { expression: '1+1', type: 'STRING' } }, type: 'MAP' }],
  ])('%s', (line, def) => {
    const [name] = line.split(':');
    expect(params(line)[name ?? '']).toEqual(def);
  });
});

describe('typed, expression and mode keys', () => {
  it('builds expressions, STRING unless typed', () => {
    expect(params("'!e': a + b", "'!n<long>': 1+9", "'!x': 5")).toEqual({
      e: { expression: 'a + b', type: 'STRING' },
      n: { expression: '1+9', type: 'LONG' },
      x: { expression: '5', type: 'STRING' },
    });
  });

  it('applies modes in any case, written upper case', () => {
    expect(params("'c<long>(constant)': 3", "'!i<long>(Immutable)': x", "'s(mutable_on_start)': v")).toEqual({
      c: { value: 3, type: 'LONG', mode: 'CONSTANT' },
      i: { expression: 'x', type: 'LONG', mode: 'IMMUTABLE' },
      s: { value: 'v', type: 'STRING', mode: 'MUTABLE_ON_START' },
    });
  });

  it('accepts lossless readings of what the author declared', () => {
    expect(
      params("'s<string>': 1.10", "'d<double>': 2", "'a<array<string>>': [1, b]", "'m<map>': {n: 1}"),
    ).toEqual({
      s: { value: '1.10', type: 'STRING' },
      d: { value: 2, type: 'DOUBLE' },
      a: { value: ['1', 'b'], type: 'STRING_ARRAY' },
      m: { value: { n: '1' }, type: 'STRING_MAP' },
    });
  });

  it('builds <pmap> values as nested param definitions with the same key syntax', () => {
    expect(
      params("'p<pmap>':", '    url: http://x', "    'port<long>(constant)': 80", "    '!u': url + port"),
    ).toEqual({
      p: {
        type: 'MAP',
        value: {
          url: { value: 'http://x', type: 'STRING' },
          port: { value: 80, type: 'LONG', mode: 'CONSTANT' },
          u: { expression: 'url + port', type: 'STRING' },
        },
      },
    });
  });
});

describe('param problems are reported where they are written', () => {
  it('a malformed key, at the key', () => {
    expect(issuesOf('ok: 1', "'bad key': 2")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramBadKey,
        path: ['Workflow', 'bad key'],
        line: 5,
        column: 3,
      }),
    ]);
  });

  it('an unknown type and an unknown mode', () => {
    expect(issuesOf("'a<int>': 1", "'b<long>(frozen)': 1")).toEqual([
      expect.objectContaining({ code: DslIssueCode.paramBadType, line: 4, column: 3 }),
      expect.objectContaining({ code: DslIssueCode.paramBadMode, line: 5, column: 3 }),
    ]);
  });

  it('a value that does not fit its declared type, at the value', () => {
    expect(issuesOf("'n<long>': ten", "'b<boolean>': 1", "'d<double>': [1]")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramTypeMismatch,
        path: ['Workflow', 'n<long>'],
        line: 4,
        column: 14,
      }),
      expect.objectContaining({ code: DslIssueCode.paramTypeMismatch, line: 5, column: 17 }),
      expect.objectContaining({ code: DslIssueCode.paramTypeMismatch, line: 6, column: 16 }),
    ]);
  });

  it('a wrong array item, at the item', () => {
    expect(issuesOf("'a<array<long>>': [1, x, 3]")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramTypeMismatch,
        path: ['Workflow', 'a<array<long>>', 1],
        line: 4,
        column: 25,
      }),
    ]);
  });

  it('a list mixing kinds, and a list of lists', () => {
    expect(issuesOf('a: [1, x]', 'b: [[1]]')).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramBadValue,
        message: expect.stringContaining('mixes') as string,
        line: 4,
        column: 6,
      }),
      expect.objectContaining({ code: DslIssueCode.paramBadValue, line: 5, column: 6 }),
    ]);
  });

  it('a missing value', () => {
    expect(issuesOf('a:', "'!b':")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramNullValue,
        path: ['Workflow', 'a'],
        line: 4,
        column: 3,
      }),
      expect.objectContaining({
        code: DslIssueCode.paramNullValue,
        path: ['Workflow', '!b'],
        line: 5,
        column: 3,
      }),
    ]);
  });

  it('an expression that is not text', () => {
    expect(issuesOf("'!e': [a]")).toEqual([
      expect.objectContaining({ code: DslIssueCode.paramBadValue, line: 4, column: 9 }),
    ]);
  });

  it('two keys naming the same param', () => {
    expect(issuesOf('a: 1', "'!a': '2'")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramDuplicate,
        path: ['Workflow', '!a'],
        line: 5,
        column: 3,
      }),
    ]);
  });

  it('an integer JSON cannot carry exactly', () => {
    expect(issuesOf('big: 12345678901234567890')).toEqual([
      expect.objectContaining({ code: DslIssueCode.paramBadValue, line: 4, column: 8 }),
    ]);
  });

  it('a wrong nested param inside <pmap>, with its nested path', () => {
    expect(issuesOf("'p<pmap>':", "    'q<long>': x")).toEqual([
      expect.objectContaining({
        code: DslIssueCode.paramTypeMismatch,
        path: ['Workflow', 'p<pmap>', 'q<long>'],
        line: 5,
        column: 18,
      }),
    ]);
  });
});
