import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelError } from './errors.js';
import { javaToRe2 } from './lib/java-regex.js';
import { failure, run, show } from './test-helpers.js';

/** SEL that sets `s` to 2^k a's followed by `!`, built by doubling so the source and its memory stay small. */
const A_BANG = (k: number): string => `s = 'a'; for (i = 0; i < ${k}; i += 1) { s += s; } s += '!'; `;

describe('regexes run in linear time', () => {
  // JavaScript's backtracking RegExp (the old engine) takes 5 s for 28 a's, four times as long for every two
  // more, and cannot be interrupted; the timeout makes such a regression fail after a few seconds instead of
  // hanging. bin/baton.js is tested with 40 a's in a child process (test/cli/eval.test.ts).
  it(
    'a pattern that backtracks catastrophically in Java and JavaScript answers at once',
    { timeout: 2000 },
    () => {
      const s = `s = ''; for (i = 0; i < 28; i += 1) { s += 'a'; } s += '!'; `;
      expect(show(`${s} return s.replaceAll('(.*a){30}$', '');`)).toBe(`STRING: ${'a'.repeat(28)}!`);
      expect(show(`${A_BANG(6)} return s.replaceAll('(a+)+$', 'x').length();`)).toBe('LONG: 65');
      expect(show(`${A_BANG(6)} return s.split('(a|aa)*b').length;`)).toBe('LONG: 1');
    },
  );

  it(
    'a search that cannot finish in the time left is a LIMIT_TIME error, not a hang',
    { timeout: 10_000 },
    () => {
      // 'a.*b|a' rescans the rest of the string for every match: quadratic over the whole replaceAll.
      let t = 0;
      const timer = (): number => (t += 100);
      const err = failure(`${A_BANG(14)} return s.replaceAll('a.*b|a', 'x');`, {
        limits: { timeMs: 1000, visit: 1e9, loop: 1e6 },
        timer,
      });
      expect(err.selCode).toBe('LIMIT_TIME');
      // Real time: half a second is enough for a few thousand such searches, not for 16,000 of them.
      const real = failure(`${A_BANG(14)} return s.replaceAll('a.*b|a', 'x');`, {
        limits: { timeMs: 500, visit: 1e9, loop: 1e6 },
      });
      expect(real.selCode).toBe('LIMIT_TIME');
      expect(real.message).toMatch(/time limit 500 ms/);
    },
  );
});

describe('Java regex semantics on RE2', () => {
  it('split keeps Java’s rules for limits, trailing empties and a leading zero-width match', () => {
    expect(show("'a,b,,c,,'.split(',');")).toBe('STRING_ARRAY: [a, b, , c]');
    expect(show("'a,b,,c,,'.split(',', -1);")).toBe('STRING_ARRAY: [a, b, , c, , ]');
    expect(show("'a,b,c'.split(',', 2);")).toBe('STRING_ARRAY: [a, b,c]');
    expect(show("'abc'.split('');")).toBe('STRING_ARRAY: [a, b, c]');
    expect(show("'abc'.split('x');")).toBe('STRING_ARRAY: [abc]');
    expect(show("'a1b22c'.split('\\\\d+');")).toBe('STRING_ARRAY: [a, b, c]');
  });

  it('replaceAll expands $n like Java: as many digits as still name a group, and ${name}', () => {
    expect(show("'a1b22c'.replaceAll('[0-9]+', '#');")).toBe('STRING: a#b#c');
    expect(show("'ab'.replaceAll('(a)(b)', '$2$1');")).toBe('STRING: ba');
    expect(show("'ab'.replaceAll('(a)', '$10');")).toBe('STRING: a0b');
    expect(show("'ab'.replaceAll('(?<x>a)', '[${x}]');")).toBe('STRING: [a]b');
    expect(show("'ab'.replaceAll('a', '\\\\$');")).toBe('STRING: $b');
    expect(show("'abc'.replaceAll('x*', '-');")).toBe('STRING: -a-b-c-');
    expect(failure("'ab'.replaceAll('(a)', '$2');").message).toBe('No group 2');
    expect(failure("'ab'.replaceAll('a', '$x');").message).toBe('Illegal group reference');
    expect(failure("'ab'.replaceAll('(?<x>a)', '${y}');").message).toBe('No group with name {y}');
  });

  it('translates the Java escapes and classes whose RE2 meaning differs', () => {
    expect(show("'a\\rb'.replaceAll('.', 'x');")).toBe('STRING: x\rx');
    expect(show("'a\\rb'.replaceAll('(?s).', 'x');")).toBe('STRING: xxx');
    expect(show("s.split('\\\\s');", { variables: { s: 'a\u000Bb' } })).toBe('STRING_ARRAY: [a, b]');
    expect(show("'aAb'.replaceAll('\\\\0101', '-');")).toBe('STRING: a-b');
    expect(show("'aAb'.replaceAll('\\\\u0041', '-');")).toBe('STRING: a-b');
    expect(show("'a.b*c'.replaceAll('\\\\Q.b*\\\\E', '-');")).toBe('STRING: a-c');
    expect(show("'aBc'.replaceAll('\\\\p{Upper}', '-');")).toBe('STRING: a-c');
    expect(show("'aBc'.replaceAll('[\\\\p{Lower}]', '-');")).toBe('STRING: -B-');
    expect(show("'a\\tb c'.replaceAll('\\\\h', '_');")).toBe('STRING: a_b_c');
    expect(show("'a\\r\\nb'.replaceAll('\\\\R', '|');")).toBe('STRING: a|b');
    expect(show("'AbC'.replaceAll('(?i)[a-c]', 'x');")).toBe('STRING: xxx');
    expect(show("'a]b'.split('[]]');")).toBe('STRING_ARRAY: [a, b]');
  });

  it('refuses what needs backtracking, naming the construct', () => {
    const refused: Record<string, string> = {
      '(ab)\\\\1': 'backreference \\1',
      '(?<x>a)\\\\k<x>': 'named backreference',
      'a(?=b)': 'lookahead (?=',
      'a(?!b)': 'lookahead (?!',
      '(?<=a)b': 'lookbehind (?<=',
      '(?<!a)b': 'lookbehind (?<!',
      '(?>a+)b': 'atomic group',
      'a++b': 'possessive quantifier ++',
      'a{2}+': 'possessive quantifier }+',
      '[a-z&&[^b]]': 'class intersection',
      '[a[b]]': 'a class inside a class',
      '(?x)a b': 'embedded flag x (COMMENTS)',
      'a\\\\Z': '\\Z',
      '\\\\Ga': '\\G',
      'a{1001}': 'repetition count over 1000',
      '\\\\p{InGreek}': 'Unicode block',
    };
    for (const [pattern, construct] of Object.entries(refused)) {
      const err = failure(`'abab'.replaceAll('${pattern}', 'x');`);
      expect(err.selCode).toBe('ILLEGAL_ARGUMENT');
      expect(err.message).toContain(construct);
      if (!pattern.includes('1001')) expect(err.message).toContain('linear-time engine');
    }
  });

  it('reports an invalid regex with the pattern and the reason', () => {
    const err = failure("'ab'.split('(a');");
    expect(err.selCode).toBe('ILLEGAL_ARGUMENT');
    expect(err.message).toBe("Invalid regex '(a': missing closing ): `(a`");
    expect(failure("'ab'.split('a{');").message).toContain('illegal repetition');
    expect(err.line).toBe(1);
    const long = failure("p = ''; for (i = 0; i < 3000; i += 1) { p += 'a{1000}'; } return 'aaa'.split(p);");
    expect(long.message).toMatch(
      /^Invalid regex 'a\{1000\}.{73}…' \(21000 characters\): expression too large$/,
    );
  });

  it('leaves plain RE2-compatible syntax as it is', () => {
    expect(javaToRe2('a(b|c)*?\\d{2,3}[^x-z]+$')).toBe('a(b|c)*?\\d{2,3}[^x-z]+$');
    expect(javaToRe2('(?<year>\\d{4})-(?:\\w+)')).toBe('(?<year>\\d{4})-(?:\\w+)');
  });
});

describe('random patterns', () => {
  const pieces = fc.constantFrom(
    ...['a', 'b', '.', '*', '+', '?', '|', '(', ')', '[', ']', '^', '$', '{', '}', '2', ',', '\\', '-', '&'],
    ...['(?', '<', '>', '=', '!', ':', 's', 'd', 'p', 'Q', 'E', 'u', '0', '1', 'k', 'i', 'x', '\n', 'é'],
  );
  const pattern = fc.array(pieces, { maxLength: 16 }).map((p) => p.join(''));
  const input = fc.stringMatching(/^[ab\n.é-]{0,30}$/);

  it('split and replaceAll end in a value or a SelError for any pattern, replacement and input', () => {
    fc.assert(
      fc.property(pattern, input, fc.constantFrom('x', '$1', '${g}', '\\$', '$'), (p, s, r) => {
        for (const call of ['s.split(p)', 's.split(p, 2)', 's.replaceAll(p, r)']) {
          try {
            run(`return ${call};`, { variables: { p, s, r } });
          } catch (err) {
            if (!(err instanceof SelError)) throw err;
            expect(err.selCode).toMatch(/^(ILLEGAL_ARGUMENT|INDEX_OUT_OF_BOUNDS)$/);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the same matches as a backtracking engine where Java and JavaScript agree', () => {
  // Small regexes in the syntax both engines read the same way (no ^ $ or line terminators). Only single
  // characters are quantified: a quantified group that can match empty is where JavaScript's rule (an empty
  // iteration fails) departs from Java's and RE2's (it ends the loop).
  const quantifier = fc.constantFrom('', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{0,2}');
  const char = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s');
  const { re } = fc.letrec<{ re: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(char, quantifier).map(([c, q]) => c + q),
      tie('re').map((r) => `(${r})`),
      tie('re').map((r) => `(?:${r})`),
    ),
    re: fc
      .tuple(
        fc.array(tie('atom'), { minLength: 1, maxLength: 4 }),
        fc.option(tie('atom'), { nil: undefined }),
      )
      .map(([items, alt]) => items.join('') + (alt === undefined ? '' : `|${alt}`)),
  }));
  const pattern = re;
  const input = fc.stringMatching(/^[ab1 é]{0,12}$/);

  it('replaceAll gives what JavaScript’s RegExp gives', () => {
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        let expected: string;
        try {
          expected = s.replace(new RegExp(p, 'g'), '<$&>');
        } catch {
          return; // not a pattern JavaScript takes
        }
        let got: unknown;
        try {
          got = run('return s.replaceAll(p, "<$0>");', { variables: { p, s } });
        } catch (err) {
          if (err instanceof SelError && err.selCode === 'ILLEGAL_ARGUMENT') return; // nor Java
          throw err;
        }
        expect(got).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
