import { describe, expect, it } from 'vitest';
import { parseSel, SelError } from './index.js';
import { show } from './test-helpers.js';

function parseError(source: string): SelError {
  try {
    parseSel(source);
  } catch (err) {
    if (err instanceof SelError) return err;
    throw err;
  }
  throw new Error(`expected ${source} not to parse`);
}

describe('lexer and parser', () => {
  it('reads Java literals', () => {
    expect(show('010;')).toBe('LONG: 10');
    expect(show('12L + 1l;')).toBe('LONG: 13');
    expect(show('1.5f + .5 + 2d + 1e1;')).toBe('DOUBLE: 14.0');
    expect(show('\'it\\\'s\' + "a \\"q\\"";')).toBe('STRING: it\'sa "q"');
    expect(show("'a\\tb\\nc';")).toBe('STRING: a\tb\nc');
    expect(show("'\\\\d+';")).toBe('STRING: \\d+');
    expect(show("'\\d';")).toBe('STRING: \\d');
    expect(parseError('0x1F;').selCode).toBe('NUMBER_FORMAT');
  });

  it('skips comments and imports', () => {
    expect(show('/* a\n b */ x = 1; // c\nx += 1; import java.util.*;')).toBe('LONG: 2');
    expect(show('/* a\n b */ x = 1; // c\nx += 1;')).toBe('LONG: 2');
  });

  it('respects precedence and associativity', () => {
    expect(show('1 + 2 * 3 - 4 / 2 % 3;')).toBe('LONG: 5');
    expect(show('10 - 4 - 3;')).toBe('LONG: 3');
    expect(show('true || false && false;')).toBe('BOOLEAN: true');
    expect(show('1 < 2 == 3 < 4;')).toBe('BOOLEAN: true');
    expect(show('-2 * -3;')).toBe('LONG: 6');
    expect(show('!(1 > 2) ? 1 : 2 > 1 ? 3 : 4;')).toBe('LONG: 1');
  });

  it('points parse errors at the offending token', () => {
    const err = parseError('x = 1;\nif (x > 1 { x = 2; }');
    expect(err.selCode).toBe('PARSE_ERROR');
    expect([err.line, err.column]).toEqual([2, 11]);
    expect(err.message).toContain("Expected ')'");
    expect(parseError('x = 1').message).toContain("Expected ';'");
    expect(parseError("'open").message).toContain('Unterminated string');
    expect(parseError('/* open').message).toContain('Unterminated comment');
    expect(parseError('x = #;').message).toContain("Unexpected character '#'");
  });

  it('rejects what SEL’s grammar does not have', () => {
    for (const src of [
      'method();',
      'x++;',
      'a = b = 1;',
      '1 + 1 = 2;',
      'for (i = 0, j = 0; i < 1; i += 1) {}',
      'new a.B();',
      'class A {}',
    ]) {
      expect(parseError(src).selCode).toBe('PARSE_ERROR');
    }
  });

  it('parses declarations, arrays and nested control flow', () => {
    expect(
      show(
        'String[] s = new String[]{"a", "b"}; int n = 0; for (int i = 0; i < s.length; i += 1) { n += s[i].length(); } n;',
      ),
    ).toBe('LONG: 2');
    expect(show('long[] a = new long[2]; a[1] = 5; a[0] + a[1];')).toBe('LONG: 5');
    expect(show('Map m; m.size();')).toBe('LONG: 0');
    expect(parseError('x = 1; break; x = 2;').message).toContain("'break' outside of a loop");
    expect(parseError('if (true) { continue; }').selCode).toBe('PARSE_ERROR');
  });
});
