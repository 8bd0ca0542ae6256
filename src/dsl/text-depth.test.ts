import { describe, expect, it } from 'vitest';
import { jsonTooDeepAt, yamlTooDeepAt } from './text-depth.js';

describe('jsonTooDeepAt', () => {
  it('finds the bracket that opens one level too many', () => {
    expect(jsonTooDeepAt('{"a": [[1]]}', 3)).toBeUndefined();
    expect(jsonTooDeepAt('{"a": [[[1]]]}', 3)).toBe(8);
  });

  it('counts siblings once, not the sum of them', () => {
    expect(jsonTooDeepAt('[[1], [2], {"a": [3]}]', 3)).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeepAt('{"a": "[[[[\\"[[[["}', 2)).toBeUndefined();
  });

  it('scans a million brackets without recursion', () => {
    expect(jsonTooDeepAt('['.repeat(1_000_000), 128)).toBe(128);
  });
});

describe('yamlTooDeepAt', () => {
  it('counts block maps, block lists and flow collections alike', () => {
    const text = 'a:\n  b:\n    - c: [1, {d: 2}]\n';
    expect(yamlTooDeepAt(text, 6)).toBeUndefined();
    expect(yamlTooDeepAt(text, 5)).toBe(text.indexOf('{d'));
  });

  it('finds nesting written compactly on one line (- - - x)', () => {
    expect(yamlTooDeepAt(`${'- '.repeat(10)}x`, 9)).toBe(18);
  });

  it('reads a document nested 100,000 deep without running out of stack', () => {
    expect(yamlTooDeepAt(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 128)).toBe(128);
    expect(yamlTooDeepAt(`${'- '.repeat(100_000)}x`, 128)).toBe(256);
  });
});
