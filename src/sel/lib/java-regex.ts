import { selError } from '../errors.js';

/**
 * Rewrites a Java regex (java.util.regex syntax, as Maestro's SEL takes in `split` and `replaceAll`) into the
 * syntax of RE2, the linear-time engine Baton runs it on, so that it matches what Java matches. Java constructs
 * that need backtracking (backreferences, lookaround, atomic groups, possessive quantifiers) and the few whose
 * meaning RE2 cannot reproduce are refused with an ILLEGAL_ARGUMENT error naming the construct.
 *
 * What is translated: `.` (Java's excludes `\r`, U+0085, U+2028, U+2029 as well as `\n` unless `(?s)`), `\s`
 * (Java's includes `\x0B`), `\h \H \v \V \R \e \cX`, octal `\0nnn`, `\uXXXX`, `\Q...\E`, and the POSIX
 * properties `\p{Lower}`, `\p{Alpha}`, ... Everything else is passed through; RE2 reports what it cannot parse.
 */
export function javaToRe2(pattern: string): string {
  return new Translator(pattern).run();
}

const SUPPORT = 'Baton runs regexes on a linear-time engine (RE2), which has no backtracking';

/** Java's line terminators, which `.` does not match outside DOTALL mode. */
const NOT_LINE_END = '[^\\n\\r\\x{85}\\x{2028}\\x{2029}]';
const H_SPACE = ' \\t\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}';
const V_SPACE = '\\n\\x{0B}\\f\\r\\x{85}\\x{2028}\\x{2029}';
const JAVA_SPACE = '\\t\\n\\x{0B}\\f\\r ';

/** Java's POSIX character classes (ASCII-only) -> RE2's names for the same sets. */
const POSIX: Readonly<Record<string, string>> = {
  Lower: 'lower',
  Upper: 'upper',
  ASCII: 'ascii',
  Alpha: 'alpha',
  Digit: 'digit',
  Alnum: 'alnum',
  Punct: 'punct',
  Graph: 'graph',
  Print: 'print',
  Blank: 'blank',
  Cntrl: 'cntrl',
  XDigit: 'xdigit',
  Space: 'space',
};

class Translator {
  private i = 0;
  private out = '';
  private inClass = false;
  private classStart = -1;
  // DOTALL state: the current one, and the one to restore when each open group closes.
  private dotAll = false;
  private readonly groups: boolean[] = [];

  constructor(private readonly p: string) {}

  run(): string {
    while (this.i < this.p.length) {
      if (this.inClass) this.classChar();
      else this.topChar();
    }
    return this.out;
  }

  private topChar(): void {
    const c = this.p[this.i] as string;
    switch (c) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.inClass = true;
        this.out += '[';
        this.i++;
        if (this.p[this.i] === '^') {
          this.out += '^';
          this.i++;
        }
        this.classStart = this.i;
        return;
      case '(':
        this.group();
        return;
      case ')':
        this.dotAll = this.groups.pop() ?? this.dotAll;
        break;
      case '.':
        this.out += this.dotAll ? '(?s:.)' : NOT_LINE_END;
        this.i++;
        return;
      case '*':
      case '+':
      case '?':
        this.out += c;
        this.i++;
        this.quantifierSuffix();
        return;
      case '{':
        this.repetition();
        return;
      default:
        break;
    }
    this.out += c;
    this.i++;
  }

  private classChar(): void {
    const c = this.p[this.i] as string;
    if (c === '\\') return this.escape();
    if (c === '[') refuse(this.p, 'a class inside a class (Java union, as in [a-c[x-z]])');
    if (c === '&' && this.p[this.i + 1] === '&') refuse(this.p, 'class intersection (&&)');
    // Like Java and RE2, a `]` right after `[` or `[^` is a literal.
    if (c === ']' && this.i !== this.classStart) {
      this.inClass = false;
      this.out += ']';
      this.i++;
      return;
    }
    this.out += c;
    this.i++;
  }

  /** `(`, `(?:`, `(?<name>`, `(?flags)`, `(?flags:`; lookaround and atomic groups are refused. */
  private group(): void {
    const rest = this.p.slice(this.i);
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) refuse(this.p, `lookahead ${rest.slice(0, 3)}`);
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) refuse(this.p, `lookbehind ${rest.slice(0, 4)}`);
    if (rest.startsWith('(?>')) refuse(this.p, 'atomic group (?>');
    const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (flags === null || (flags[1] === '' && flags[2] === undefined && flags[3] === ':')) {
      // A plain, named or non-capturing group.
      this.groups.push(this.dotAll);
      this.out += '(';
      this.i++;
      return;
    }
    const [all, on = '', off = '', end] = flags;
    for (const f of on + off) {
      if (!'ims'.includes(f)) refuse(this.p, `the embedded flag ${f} (${FLAG_NAMES[f] ?? 'unknown flag'})`);
    }
    const dotAll = on.includes('s') ? true : off.includes('s') ? false : this.dotAll;
    if (end === ':') {
      this.groups.push(this.dotAll);
      this.dotAll = dotAll;
    } else this.dotAll = dotAll;
    // RE2 takes `(?i-m)`, but not an empty `(?-)`; keep the form Java wrote.
    this.out += all;
    this.i += all.length;
  }

  /** Java accepts `{` only as a repetition `{n}`, `{n,}`, `{n,m}`; RE2 would read anything else as literal text. */
  private repetition(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
    if (m === null)
      throw selError(
        'ILLEGAL_ARGUMENT',
        `Invalid regex ${quoted(this.p)}: illegal repetition near index ${this.i}`,
      );
    const max = Math.max(Number(m[1]), Number(m[3] ?? 0));
    if (max > 1000)
      throw selError(
        'ILLEGAL_ARGUMENT',
        `Regex ${quoted(this.p)} is not supported: a repetition count over 1000 (${m[0]}) (RE2's limit)`,
      );
    this.out += m[0];
    this.i += m[0].length;
    this.quantifierSuffix();
  }

  /** After a quantifier: `?` makes it lazy (both engines); `+` makes it possessive (Java only). */
  private quantifierSuffix(): void {
    const next = this.p[this.i];
    const prev = this.p[this.i - 1] as string;
    if (next === '+') refuse(this.p, `possessive quantifier ${prev}+`);
    if (next === '?') {
      this.out += '?';
      this.i++;
    }
  }

  private escape(): void {
    const d = this.p[this.i + 1];
    const at = this.i;
    this.i += 2;
    if (d === undefined)
      throw selError('ILLEGAL_ARGUMENT', `Invalid regex ${quoted(this.p)}: trailing backslash`);
    if (d >= '1' && d <= '9') refuse(this.p, `backreference \\${d}`);
    const unsupported = d === 'b' && this.p[this.i] !== '{' ? undefined : UNSUPPORTED_ESCAPES[d];
    if (unsupported !== undefined) refuse(this.p, unsupported);
    if (this.inClass && (d === 'H' || d === 'V' || d === 'R'))
      refuse(this.p, `\\${d} inside a character class`);
    const special = this.inClass ? CLASS_ESCAPES[d] : TOP_ESCAPES[d];
    if (special !== undefined) {
      this.out += special;
      return;
    }
    switch (d) {
      case '0':
        this.out += codePoint(this.octal(at));
        return;
      case 'u':
        this.out += codePoint(this.unicode(at));
        return;
      case 'c': {
        const x = this.p[this.i++];
        if (x === undefined)
          throw selError('ILLEGAL_ARGUMENT', `Invalid regex ${quoted(this.p)}: \\c needs a letter`);
        this.out += codePoint(x.charCodeAt(0) ^ 64);
        return;
      }
      case 'Q':
        this.quoted();
        return;
      case 'p':
      case 'P':
        this.out += this.property(d === 'P');
        return;
      default:
        // An escaped symbol is that symbol in Java; RE2 accepts the backslash only before ASCII punctuation.
        // Letters and digits keep their backslash: RE2 knows most of them, and reports those it does not.
        if (/[0-9A-Za-z]/.test(d) || d.charCodeAt(0) < 128) this.out += `\\${d}`;
        else this.out += d;
    }
  }

  /** `\0n`, `\0nn`, `\0mnn` (m <= 3): Java's octal escape, always introduced by 0. */
  private octal(at: number): number {
    const m = /^[0-3]?[0-7]{1,2}/.exec(this.p.slice(this.i));
    const digits = m === null ? '' : m[0];
    if (digits === '')
      throw selError(
        'ILLEGAL_ARGUMENT',
        `Invalid regex ${quoted(this.p)}: illegal octal escape near index ${at}`,
      );
    this.i += digits.length;
    return parseInt(digits, 8);
  }

  /** `\uXXXX`, joining an escaped surrogate pair into one code point as Java does. */
  private unicode(at: number): number {
    const hex = /^[0-9a-fA-F]{4}/.exec(this.p.slice(this.i));
    if (hex === null)
      throw selError(
        'ILLEGAL_ARGUMENT',
        `Invalid regex ${quoted(this.p)}: illegal Unicode escape near index ${at}`,
      );
    this.i += 4;
    const hi = parseInt(hex[0], 16);
    const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.p.slice(this.i));
    if (hi >= 0xd800 && hi <= 0xdbff && low !== null) {
      this.i += 6;
      return 0x10000 + ((hi - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
    }
    return hi;
  }

  /** `\Q...\E`: every character literal (also inside classes, where RE2 has no `\Q`). */
  private quoted(): void {
    const end = this.p.indexOf('\\E', this.i);
    const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end);
    this.i = end < 0 ? this.p.length : end + 2;
    for (const ch of text) this.out += /[0-9A-Za-z]/.test(ch) || ch.charCodeAt(0) >= 128 ? ch : `\\${ch}`;
  }

  /** `\pL`, `\p{Lu}`, `\p{IsLatin}`, `\p{Lower}`...; Java's `\p{InBlock}` and `\p{javaX}` have no RE2 form. */
  private property(negated: boolean): string {
    let name: string;
    if (this.p[this.i] === '{') {
      const end = this.p.indexOf('}', this.i);
      if (end < 0)
        throw selError('ILLEGAL_ARGUMENT', `Invalid regex ${quoted(this.p)}: unclosed character family`);
      name = this.p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.p[this.i] ?? '';
      this.i++;
    }
    const posix = POSIX[name];
    if (posix !== undefined) {
      const cls = `[:${negated ? '^' : ''}${posix}:]`;
      return this.inClass ? cls : `[${cls}]`;
    }
    if (/^(In|blk=|block=)/.test(name)) refuse(this.p, `the Unicode block property \\p{${name}}`);
    if (name.startsWith('java')) refuse(this.p, `the Java property \\p{${name}}`);
    const plain = name.replace(/^(Is|gc=|general_category=|sc=|script=)/, '');
    return `\\${negated ? 'P' : 'p'}{${plain}}`;
  }
}

const FLAG_NAMES: Readonly<Record<string, string>> = {
  d: 'UNIX_LINES',
  u: 'UNICODE_CASE',
  x: 'COMMENTS',
  U: 'UNICODE_CHARACTER_CLASS',
};

const UNSUPPORTED_ESCAPES: Readonly<Record<string, string>> = {
  k: 'named backreference \\k<name>',
  G: '\\G (the end of the previous match)',
  Z: '\\Z (the end of input before a final line terminator)',
  X: '\\X (a grapheme cluster)',
  N: '\\N{name} (a character by name)',
  b: '\\b{g} (a grapheme cluster boundary)',
};

/** Escapes whose RE2 form differs outside a class (as a whole class) ... */
const TOP_ESCAPES: Readonly<Record<string, string>> = {
  s: `[${JAVA_SPACE}]`,
  S: `[^${JAVA_SPACE}]`,
  h: `[${H_SPACE}]`,
  H: `[^${H_SPACE}]`,
  v: `[${V_SPACE}]`,
  V: `[^${V_SPACE}]`,
  R: `(?:\\r\\n|[${V_SPACE}])`,
  e: '\\x{1B}',
};

/** ... and inside one (as class members; the negated ones through RE2's negated POSIX classes where they exist). */
const CLASS_ESCAPES: Readonly<Record<string, string>> = {
  s: JAVA_SPACE,
  S: '[:^space:]',
  h: H_SPACE,
  v: V_SPACE,
  e: '\\x{1B}',
};

function codePoint(n: number): string {
  return `\\x{${n.toString(16).toUpperCase()}}`;
}

function refuse(p: string, construct: string): never {
  throw selError('ILLEGAL_ARGUMENT', `Regex ${quoted(p)} is not supported: ${construct}. ${SUPPORT}`);
}

/** A pattern as error messages show it: quoted, and cut after 80 characters. */
export function quoted(pattern: string): string {
  return pattern.length <= 80 ? `'${pattern}'` : `'${pattern.slice(0, 80)}…' (${pattern.length} characters)`;
}
