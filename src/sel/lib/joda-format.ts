import type { DateTime } from 'luxon';
import { selError } from '../errors.js';
import { SelDateTime } from '../values.js';
import { fromLocal, lux, offsetId } from './datetime-core.js';

/** One piece of a Joda pattern: a run of one pattern letter, or literal text. */
type Part = { readonly letter: string; readonly count: number } | { readonly text: string };

const LETTERS = new Set([...'GCYxwyeEDMdaKhHkmsSzZ']);
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const cache = new Map<string, readonly Part[]>();

/** Splits a Joda DateTimeFormat pattern; unknown letters fail like Joda's "Illegal pattern component". */
export function compilePattern(pattern: string): readonly Part[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i] as string;
    if (c === "'") {
      let j = i + 1;
      let text = '';
      for (; j < pattern.length; j++) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j++;
          } else break;
        } else text += pattern[j];
      }
      parts.push({ text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.has(c)) throw selError('ILLEGAL_ARGUMENT', `Illegal pattern component: ${c}`);
      let j = i;
      while (pattern[j] === c) j++;
      parts.push({ letter: c, count: j - i });
      i = j;
    } else {
      parts.push({ text: c });
      i++;
    }
  }
  if (cache.size < 500) cache.set(pattern, parts);
  return parts;
}

const pad = (n: number, w: number): string =>
  n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0');

function zoneName(l: DateTime, long: boolean): string {
  if (l.zoneName === 'UTC') return long ? 'Coordinated Universal Time' : 'UTC';
  return l.offsetNameShort !== null && !long ? l.offsetNameShort : (l.offsetNameLong ?? offsetId(l.offset));
}

/** `DateTimeFormatter.print` / `DateTime.toString(pattern)`, in the DateTime's own zone. */
/**
 * Recent formattings: every run evaluates the same ~20 date params, most of them of the same hour (DERIVED_RUN_TS),
 * and reading an instant in an IANA zone is the costly part. A pure function of its inputs, so a memo is safe.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 512;

export function formatPattern(d: SelDateTime, pattern: string): string {
  const key = `${d.millis}|${d.zone}|${pattern}`;
  let out = formatted.get(key);
  if (out === undefined) {
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, (out = format(d, pattern)));
  }
  return out;
}

function format(d: SelDateTime, pattern: string): string {
  const l = lux(d);
  let out = '';
  for (const p of compilePattern(pattern)) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const n = p.count;
    switch (p.letter) {
      case 'G':
        out += l.year > 0 ? 'AD' : 'BC';
        break;
      case 'C':
        out += pad(Math.floor(Math.abs(l.year) / 100), n);
        break;
      case 'y':
      case 'Y':
      case 'x': {
        const y = p.letter === 'x' ? l.weekYear : p.letter === 'Y' && l.year <= 0 ? 1 - l.year : l.year;
        out += n === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, n);
        break;
      }
      case 'M':
        out += n >= 4 ? MONTHS[l.month - 1] : n === 3 ? MONTHS[l.month - 1]?.slice(0, 3) : pad(l.month, n);
        break;
      case 'd':
        out += pad(l.day, n);
        break;
      case 'D':
        out += pad(l.ordinal, n);
        break;
      case 'w':
        out += pad(l.weekNumber, n);
        break;
      case 'e':
        out += pad(l.weekday, n);
        break;
      case 'E':
        out += n >= 4 ? DAYS[l.weekday - 1] : DAYS[l.weekday - 1]?.slice(0, 3);
        break;
      case 'a':
        out += l.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(l.hour, n);
        break;
      case 'k':
        out += pad(l.hour === 0 ? 24 : l.hour, n);
        break;
      case 'K':
        out += pad(l.hour % 12, n);
        break;
      case 'h':
        out += pad(l.hour % 12 === 0 ? 12 : l.hour % 12, n);
        break;
      case 'm':
        out += pad(l.minute, n);
        break;
      case 's':
        out += pad(l.second, n);
        break;
      case 'S':
        out += String(l.millisecond).padStart(3, '0').padEnd(n, '0').slice(0, n);
        break;
      case 'z':
        out += zoneName(l, n >= 4);
        break;
      case 'Z': {
        const id = l.offset === 0 ? '+00:00' : offsetId(l.offset);
        out += n === 1 ? id.replace(':', '') : n === 2 ? id : d.zone;
        break;
      }
      default:
        throw selError('ILLEGAL_ARGUMENT', `Illegal pattern component: ${p.letter}`);
    }
  }
  return out;
}

const MAX_DIGITS: Readonly<Record<string, number>> = {
  y: 9,
  Y: 9,
  x: 9,
  C: 7,
  M: 2,
  d: 2,
  D: 3,
  w: 2,
  e: 1,
  H: 2,
  k: 2,
  K: 2,
  h: 2,
  m: 2,
  s: 2,
  S: 9,
};
const isNumeric = (p: Part | undefined): boolean =>
  p !== undefined &&
  'letter' in p &&
  MAX_DIGITS[p.letter] !== undefined &&
  !(p.letter === 'M' && p.count >= 3);

/**
 * `DateTimeFormatter.parseDateTime`. Like Joda, a numeric field directly followed by another numeric field
 * takes exactly its pattern width ('yyyyMMdd'); the last one takes up to its maximum digits.
 */
export function parsePattern(text: string, pattern: string, zone: string): SelDateTime {
  const parts = compilePattern(pattern);
  const f = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let pm: boolean | null = null;
  let halfHour: number | null = null;
  let offset: number | null = null;
  let i = 0;
  const malformed = (): never => {
    throw selError(
      'ILLEGAL_ARGUMENT',
      i >= text.length
        ? `Invalid format: "${text}" is too short`
        : `Invalid format: "${text}" is malformed at "${text.slice(i)}"`,
    );
  };
  parts.forEach((p, k) => {
    if ('text' in p) {
      if (!text.startsWith(p.text, i)) malformed();
      i += p.text.length;
      return;
    }
    if (isNumeric(p)) {
      const width = isNumeric(parts[k + 1]) ? p.count : (MAX_DIGITS[p.letter] as number);
      let j = i;
      if ((p.letter === 'y' || p.letter === 'Y' || p.letter === 'x') && (text[j] === '-' || text[j] === '+'))
        j++;
      const start = j;
      while (j < text.length && j - start < width && text[j]! >= '0' && text[j]! <= '9') j++;
      if (j === start) malformed();
      const raw = text.slice(i, j);
      const v = Number(raw);
      i = j;
      switch (p.letter) {
        case 'y':
        case 'Y':
        case 'x':
          f.year = p.count === 2 && raw.length === 2 ? 2000 + v - (v >= 50 ? 100 : 0) : v;
          break;
        case 'M':
          f.month = v;
          break;
        case 'd':
          f.day = v;
          break;
        case 'H':
        case 'k':
          f.hour = p.letter === 'k' && v === 24 ? 0 : v;
          break;
        case 'h':
        case 'K':
          halfHour = v % 12;
          break;
        case 'm':
          f.minute = v;
          break;
        case 's':
          f.second = v;
          break;
        case 'S':
          f.millisecond = Number(raw.padEnd(3, '0').slice(0, 3));
          break;
        default:
          break;
      }
      return;
    }
    const rest = text.slice(i);
    const word = (names: readonly string[]): number => {
      const idx = names.findIndex(
        (nm) =>
          rest.toLowerCase().startsWith(nm.toLowerCase()) ||
          rest.toLowerCase().startsWith(nm.slice(0, 3).toLowerCase()),
      );
      if (idx < 0) malformed();
      const full = names[idx] as string;
      i += rest.toLowerCase().startsWith(full.toLowerCase()) ? full.length : 3;
      return idx;
    };
    if (p.letter === 'M') f.month = word(MONTHS) + 1;
    else if (p.letter === 'E') word(DAYS);
    else if (p.letter === 'a') pm = word(['AM', 'PM']) === 1;
    else if (p.letter === 'Z') {
      const m = /^(Z|[+-]\d{2}:?\d{2})/.exec(rest);
      if (m === null) malformed();
      const o = (m as RegExpExecArray)[0];
      const digits = o.replace(':', '');
      offset =
        o === 'Z'
          ? 0
          : (o.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
      i += o.length;
    } else malformed();
  });
  if (i < text.length) malformed();
  if (halfHour !== null) f.hour = halfHour + (pm === true ? 12 : 0);
  else if (pm === true && f.hour < 12) f.hour += 12;
  try {
    if (offset === null) return fromLocal(f, zone);
    const at = fromLocal(f, offsetId(offset));
    return new SelDateTime(at.millis, zone);
  } catch (err) {
    if (err instanceof Error && /^Value /.test(err.message))
      throw selError('ILLEGAL_FIELD_VALUE', `Cannot parse "${text}": ${err.message}`);
    throw err;
  }
}
