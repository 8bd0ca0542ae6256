import { SelError, selError } from '../errors.js';

/**
 * Java regexes run on the JS engine, which cannot be interrupted mid-match. To keep the sandbox free of hangs,
 * patterns that can backtrack exponentially are refused: backreferences, and a quantified group that itself
 * contains a quantifier or an alternation (`(a+)+`, `(a|a)*`). Polynomial backtracking (`a*a*b`) is bounded by
 * refusing inputs where length^(unbounded quantifiers + 1) exceeds a budget of ~1e9 steps.
 */
export function compileJavaRegex(pattern: string, flags: string, input: string): RegExp {
  const q = checkSafe(pattern);
  if (Math.pow(input.length, q + 1) > STEP_BUDGET)
    throw selError(
      'ILLEGAL_ARGUMENT',
      `Regex '${pattern}' on a string of ${input.length} characters is refused by the sandbox (it could take too long)`,
    );
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new SelError('ILLEGAL_ARGUMENT', `Invalid regex: ${pattern}`, 0, 0, { cause: err });
  }
}

const STEP_BUDGET = 1e9;

/** Refuses exponential patterns; returns the number of unbounded quantifiers (`*`, `+`, `{n,}`, `{n,m}` with m > 10). */
function checkSafe(p: string): number {
  // For each open group: does it contain a quantifier or an alternation?
  const risky: boolean[] = [];
  let unbounded = 0;
  let inClass = false;
  let lastGroupRisky = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      const n = p[i + 1];
      if (n !== undefined && n >= '1' && n <= '9' && !inClass) refuse(p, 'backreferences');
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        lastGroupRisky = false;
        break;
      case '(':
        risky.push(false);
        lastGroupRisky = false;
        break;
      case ')':
        lastGroupRisky = risky.pop() ?? false;
        break;
      case '|':
        markRisky(risky);
        lastGroupRisky = false;
        break;
      case '*':
      case '+':
      case '{':
      case '?': {
        const bounded = c === '?' || (c === '{' && /^\{\d+(,\d)?\}/.test(p.slice(i)));
        if (lastGroupRisky && !bounded) refuse(p, 'nested quantifiers');
        if (!bounded) {
          markRisky(risky);
          unbounded++;
        }
        lastGroupRisky = false;
        break;
      }
      default:
        lastGroupRisky = false;
    }
  }
  return unbounded;
}

function markRisky(stack: boolean[]): void {
  for (let i = 0; i < stack.length; i++) stack[i] = true;
}

function refuse(p: string, why: string): never {
  throw selError(
    'ILLEGAL_ARGUMENT',
    `Regex '${p}' is refused by the sandbox (${why} can take exponential time)`,
  );
}

/** Java's `String.split(regex, limit)`, including its trailing-empty-string and leading zero-width rules. */
export function javaSplit(s: string, pattern: string, limit: number): string[] {
  const re = compileJavaRegex(pattern, 'g', s);
  const parts: string[] = [];
  let start = 0;
  let matched = false;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      if (m.index === 0 || m.index >= s.length) continue;
    }
    if (limit > 0 && parts.length === limit - 1) break;
    matched = true;
    parts.push(s.slice(start, m.index));
    start = m.index + m[0].length;
  }
  if (!matched) return [s];
  parts.push(s.slice(start));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's `replaceAll`: `$n` inserts group n, a backslash quotes the next character. */
export function javaReplaceAll(s: string, pattern: string, replacement: string): string {
  const re = compileJavaRegex(pattern, 'g', s);
  return s.replace(re, (...m: unknown[]) => {
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') {
        const n = replacement[++i];
        if (n === undefined) throw selError('ILLEGAL_ARGUMENT', 'character to be escaped is missing');
        out += n;
      } else if (c === '$') {
        let j = i + 1;
        while (j < replacement.length && /\d/.test(replacement[j] as string)) j++;
        if (j === i + 1) throw selError('ILLEGAL_ARGUMENT', 'Illegal group reference');
        const g = Number(replacement.slice(i + 1, j));
        const groups = m.length - 3;
        if (g > groups) throw selError('INDEX_OUT_OF_BOUNDS', `No group ${g}`);
        const v = m[g];
        out += typeof v === 'string' ? v : '';
        i = j - 1;
      } else out += c;
    }
    return out;
  });
}
