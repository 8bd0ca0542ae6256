import { RE2JS, RE2JSException, type Matcher } from 're2js';
import { SelError, selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { javaToRe2, quoted } from './java-regex.js';

/**
 * Java regexes (`split`, `replaceAll`) run on re2js, a linear-time engine: a match costs at most about
 * (characters searched) x (program size) steps, whatever the pattern, so no input can make it backtrack for
 * hours as JavaScript's own engine would (and that engine cannot be interrupted). Java syntax is rewritten for
 * it by `javaToRe2`; what needs backtracking is refused there with the construct named.
 *
 * Each search is also held to the time limit: before it starts, its worst case (characters left x program size)
 * must fit in the time left at a conservative rate, and the clock is read between searches, so an evaluation
 * ends within its time limit even when a pattern is matched many times over a long string.
 */
export function compileJavaRegex(pattern: string): RE2JS {
  const cached = CACHE.get(pattern);
  if (cached !== undefined) return cached;
  let re: RE2JS;
  try {
    re = RE2JS.compile(javaToRe2(pattern));
  } catch (err) {
    if (err instanceof SelError) throw err;
    const why =
      err instanceof RE2JSException ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    throw new SelError('ILLEGAL_ARGUMENT', `Invalid regex ${quoted(pattern)}: ${why.slice(0, 200)}`, 0, 0, {
      cause: err,
    });
  }
  if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value as string);
  CACHE.set(pattern, re);
  return re;
}

// Compiled patterns are immutable and shared; a script that splits in a loop compiles its pattern once.
const CACHE = new Map<string, RE2JS>();
const CACHE_SIZE = 100;

/**
 * Steps of re2js's slowest path (the NFA with every state live) per millisecond, a few times below what it does on
 * this project's 2-core development machine (16,000 to 28,000, measured with `(.*a){30}$` over 20,000 characters),
 * so a search allowed here finishes well within the time that was left for it.
 */
export const REGEX_STEPS_PER_MS = 5000;

/** Searches below this many worst-case steps are not worth a clock read of their own (about 0.2 ms). */
const CHEAP_STEPS = 1000;

/** Java's `Matcher.find()` loop, each search checked against the time limit first. */
class GuardedMatcher {
  private readonly m: Matcher;
  private readonly size: number;
  private readonly length: number;
  private next = 0;
  private cheap = 0;

  constructor(
    private readonly rt: Runtime,
    private readonly pattern: string,
    input: string,
  ) {
    const re = compileJavaRegex(pattern);
    this.m = re.matcher(input);
    this.size = re.programSize();
    this.length = input.length;
  }

  find(): boolean {
    const steps = (this.length - this.next + 1) * this.size;
    // Reads the clock before any costly search, and every 64 cheap ones.
    if (steps >= CHEAP_STEPS || ++this.cheap % 64 === 0) {
      const left = this.rt.timeLeftMs();
      if (steps > left * REGEX_STEPS_PER_MS)
        throw selError(
          'LIMIT_TIME',
          `Regex ${quoted(this.pattern)} on ${this.length - this.next} characters could take longer than the ` +
            `${left} ms left of the time limit ${this.rt.limits.timeMs} ms`,
        );
    }
    if (!this.m.find()) return false;
    this.next = this.m.end();
    return true;
  }

  start(): number {
    return this.m.start();
  }

  end(): number {
    return this.m.end();
  }

  groupCount(): number {
    return this.m.groupCount();
  }

  hasGroup(name: string): boolean {
    return Object.hasOwn(this.m.namedGroups, name);
  }

  group(g: number | string): string | null {
    return this.m.group(g);
  }
}

/** Java's `String.split(regex, limit)`, including its trailing-empty-string and leading zero-width rules. */
export function javaSplit(rt: Runtime, s: string, pattern: string, limit: number): string[] {
  const m = new GuardedMatcher(rt, pattern, s);
  const parts: string[] = [];
  let start = 0;
  let matched = false;
  while (m.find()) {
    // A zero-width match at the very start splits nothing (Java 8+).
    if (m.end() === 0) continue;
    if (limit > 0 && parts.length === limit - 1) break;
    matched = true;
    parts.push(s.slice(start, m.start()));
    start = m.end();
  }
  if (!matched) return [s];
  parts.push(s.slice(start));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's `replaceAll`: `$n` and `${name}` insert a group, a backslash quotes the next character. */
export function javaReplaceAll(rt: Runtime, s: string, pattern: string, replacement: string): string {
  const m = new GuardedMatcher(rt, pattern, s);
  let out = '';
  let last = 0;
  while (m.find()) {
    out += s.slice(last, m.start()) + expand(m, replacement);
    last = m.end();
    // The result is charged when it is returned; stop before building one that could never be.
    if (2 * out.length > rt.limits.memory)
      throw selError(
        'LIMIT_MEMORY',
        `SEL evaluation aborted as it takes too much memory (in byte) over the limit ${rt.limits.memory}`,
      );
  }
  return out + s.slice(last);
}

/** Java's `Matcher.appendReplacement` text: a group number takes as many digits as still name a group. */
function expand(m: GuardedMatcher, replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      const n = replacement[++i];
      if (n === undefined) throw selError('ILLEGAL_ARGUMENT', 'character to be escaped is missing');
      out += n;
    } else if (c === '$') {
      const [g, next] = groupReference(m, replacement, i + 1);
      out += m.group(g) ?? '';
      i = next - 1;
    } else out += c;
  }
  return out;
}

function groupReference(m: GuardedMatcher, r: string, at: number): [number | string, number] {
  if (r[at] === '{') {
    const end = r.indexOf('}', at);
    const name = end < 0 ? '' : r.slice(at + 1, end);
    if (end < 0) throw selError('ILLEGAL_ARGUMENT', "named capturing group is missing trailing '}'");
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name))
      throw selError('ILLEGAL_ARGUMENT', `named capturing group has an invalid name: ${name}`);
    if (!m.hasGroup(name)) throw selError('ILLEGAL_ARGUMENT', `No group with name {${name}}`);
    return [name, end + 1];
  }
  const first = r.charCodeAt(at) - 48;
  if (!(first >= 0 && first <= 9)) throw selError('ILLEGAL_ARGUMENT', 'Illegal group reference');
  if (first > m.groupCount()) throw selError('INDEX_OUT_OF_BOUNDS', `No group ${first}`);
  let g = first;
  let i = at + 1;
  for (; i < r.length; i++) {
    const d = r.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9) || g * 10 + d > m.groupCount()) break;
    g = g * 10 + d;
  }
  return [g, i];
}
