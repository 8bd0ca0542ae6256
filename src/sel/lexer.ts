import { SelError } from './errors.js';

export type TokenKind = 'ident' | 'long' | 'double' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or punctuation text; for literals the raw source text. */
  readonly text: string;
  readonly value: bigint | number | string | null;
  readonly line: number;
  readonly column: number;
}

// Two-character operators are tried before single characters, so `<=` wins over `<`.
const PUNCT2 = new Set(['||', '&&', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=']);
const PUNCT1 = new Set([...'(){}[];,.?:<>+-*/%!=']);
const LONG_MAX = 9223372036854775807n;
// SEL unescapes only these; any other backslash pair is kept as written (regexes like '\\d' rely on it).
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  n: '\n',
  t: '\t',
  f: '\f',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$');
const isIdentPart = (c: string | undefined): boolean => isIdentStart(c) || isDigit(c);

/** Splits SEL source into tokens; comments and whitespace are dropped. Throws PARSE_ERROR / NUMBER_FORMAT. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (msg: string, at: number): never => {
    throw new SelError('PARSE_ERROR', msg, line, at - lineStart + 1);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) fail('Unterminated comment', i);
      for (let k = i; k < end; k++) {
        if (src[k] === '\n') {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const column = i - lineStart + 1;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(src[j])) j++;
      const text = src.slice(i, j);
      out.push({ kind: 'ident', text, value: text, line, column });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) {
      i = lexNumber(src, i, line, column, out);
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      const startLine = line;
      for (;;) {
        const d = src[j];
        if (d === undefined) fail('Unterminated string literal', i);
        if (d === c) break;
        if (d === '\\') {
          const e = src[j + 1];
          if (e === undefined) fail('Unterminated string literal', i);
          const mapped = ESCAPES[e as string];
          value += mapped ?? '\\' + e;
          j += 2;
          continue;
        }
        if (d === '\n') {
          line++;
          lineStart = j + 1;
        }
        value += d;
        j++;
      }
      out.push({ kind: 'string', text: src.slice(i, j + 1), value, line: startLine, column });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    const p = PUNCT2.has(two) ? two : PUNCT1.has(c as string) ? (c as string) : undefined;
    if (p === undefined) fail(`Unexpected character '${c}'`, i);
    out.push({ kind: 'punct', text: p as string, value: null, line, column });
    i += (p as string).length;
  }
  out.push({ kind: 'eof', text: '<EOF>', value: null, line, column: i - lineStart + 1 });
  return out;
}

function lexNumber(src: string, start: number, line: number, column: number, out: Token[]): number {
  let j = start;
  while (isDigit(src[j])) j++;
  let isFloat = false;
  if (src[j] === '.') {
    isFloat = true;
    j++;
    while (isDigit(src[j])) j++;
  }
  if (
    (src[j] === 'e' || src[j] === 'E') &&
    (isDigit(src[j + 1]) || ((src[j + 1] === '+' || src[j + 1] === '-') && isDigit(src[j + 2])))
  ) {
    isFloat = true;
    j += 2;
    while (isDigit(src[j])) j++;
  }
  const suffix = src[j];
  if (suffix === 'f' || suffix === 'F' || suffix === 'd' || suffix === 'D') {
    // Java float suffixes are accepted, but every floating value is a double (12.3f is 12.3).
    const text = src.slice(start, j);
    out.push({ kind: 'double', text, value: Number(text), line, column });
    return j + 1;
  }
  const text = src.slice(start, j);
  if (isFloat) {
    out.push({ kind: 'double', text, value: Number(text), line, column });
    return j;
  }
  if (isIdentPart(suffix) && suffix !== 'l' && suffix !== 'L') {
    // 0x10, 12abc: Long.parseLong rejects them while parsing, as in Maestro.
    let k = j;
    while (isIdentPart(src[k])) k++;
    throw new SelError('NUMBER_FORMAT', `For input string: "${src.slice(start, k)}"`, line, column);
  }
  const n = BigInt(text);
  if (n > LONG_MAX) throw new SelError('NUMBER_FORMAT', `For input string: "${text}"`, line, column);
  out.push({ kind: 'long', text, value: n, line, column });
  return suffix === 'l' || suffix === 'L' ? j + 1 : j;
}
