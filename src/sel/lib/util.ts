import { Duration } from 'luxon';
import { selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { SelArray, SelDateTime, SelMap, typeOf, type SelScalar, type SelValue } from '../values.js';
import { display, javaDouble } from '../convert.js';
import { classCast, failedCall, longOrString, noMethod, parseInt32, str } from './common.js';
import { daysInMonth, lux, zoneFor } from './datetime-core.js';
import { formatPattern, parsePattern } from './joda-format.js';

const DAY_MS = 86_400_000;

/** Maestro's `Util` functions (SelUtilFunc) plus `Util.toJson`, which Maestro registers as an extension. */
export function utilMethod(rt: Runtime, name: string, args: SelValue[]): SelValue {
  const [a, b, c, d, e] = args;
  const n = args.length;
  switch (`${name}/${n}`) {
    case 'dateIntToTs/1':
      return BigInt(dateInt(a, name, args));
    case 'tsToDateInt/1':
      return formatPattern(new SelDateTime(Number(longOrString(a ?? null, name, args)), 'UTC'), 'yyyyMMdd');
    case 'incrementDateInt/2': {
      if (typeof b !== 'bigint') throw classCast(b ?? null, 'SelLong');
      return formatPattern(new SelDateTime(dateInt(a, name, args) + Number(b) * DAY_MS, 'UTC'), 'yyyyMMdd');
    }
    case 'dateIntHourToTs/5': {
      const zone = str(c ?? null, name, args);
      zoneFor(zone);
      const text = `${textOf(a, name, args)}${textOf(b, name, args)}`;
      const at = parsePattern(text, 'YYYYMMddHH', zone);
      const l = lux(at)
        .minus({ days: Number(longOrString(d ?? null, name, args)) })
        .minus({ hours: Number(longOrString(e ?? null, name, args)) });
      return BigInt(l.toMillis());
    }
    case 'dateIntsBetween/3':
      return dateIntsBetween(rt, dateInt(a, name, args), dateInt(b, name, args), stepOf(c, name, args));
    case 'intsBetween/3':
      return intsBetween(
        rt,
        longOrString(a ?? null, name, args),
        longOrString(b ?? null, name, args),
        longOrString(c ?? null, name, args),
      );
    case 'timeoutForDateTimeDeadline/2':
      if (!(a instanceof SelDateTime))
        throw failedCall(name, args, `expected DATETIME, got ${typeOf(a ?? null)}`);
      return timeout(rt, a, str(b ?? null, name, args));
    case 'timeoutForDateIntDeadline/2':
      return timeout(rt, new SelDateTime(dateInt(a, name, args), 'UTC'), str(b ?? null, name, args));
    case 'toJson/1': {
      const s = toJsonText(a ?? null, 0);
      rt.charge(32 + 2 * s.length);
      return s;
    }
    default:
      throw noMethod('PRESET_UTIL_FUNCTION', name, args);
  }
}

function textOf(v: SelValue | undefined, name: string, args: SelValue[]): string {
  if (typeof v === 'bigint') return v.toString();
  return str(v ?? null, name, args);
}

/** A yyyyMMdd date int (LONG or STRING) as UTC epoch millis; invalid dates fail like Joda. */
function dateInt(v: SelValue | undefined, name: string, args: SelValue[]): number {
  const text = textOf(v, name, args);
  // Fast path for the usual valid 8-digit date; anything else goes through the Joda parser for its errors.
  if (/^\d{8}$/.test(text)) {
    const y = Number(text.slice(0, 4));
    const m = Number(text.slice(4, 6));
    const d = Number(text.slice(6, 8));
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return Date.UTC(y, m - 1, d);
  }
  return parsePattern(text, 'yyyyMMdd', 'UTC').millis;
}

function stepOf(v: SelValue | undefined, name: string, args: SelValue[]): number {
  const s = typeof v === 'string' ? Number(parseInt32(v)) : Number(longOrString(v ?? null, name, args));
  if (s === 0) throw selError('ILLEGAL_ARGUMENT', `Invalid incremental interval value: ${s}`);
  return s;
}

/** yyyyMMdd of a UTC instant, by pure arithmetic (days -> civil date); Date's getters are slow in a hot loop. */
function toDateInt(ms: number): bigint {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return BigInt(y * 10000 + m * 100 + d);
}

/** End-exclusive; a negative step walks [to, from) and reverses it, so `from` is excluded and `to` included. */
function dateIntsBetween(rt: Runtime, from: number, to: number, step: number): SelArray {
  const lo = step > 0 ? from : to;
  const hi = step > 0 ? to : from;
  const stride = Math.abs(step) * DAY_MS;
  const count = hi > lo ? Math.ceil((hi - lo) / stride) : 0;
  guard(rt, count);
  const out: SelScalar[] = [];
  for (let t = lo; t < hi; t += stride) out.push(toDateInt(t));
  if (step < 0) out.reverse();
  return rt.newArray('LONG', out);
}

function intsBetween(rt: Runtime, from: bigint, to: bigint, step: bigint): SelArray {
  let count: bigint;
  if (step > 0n) count = from < to ? (to - from + step - 1n) / step : 0n;
  else if (step < 0n) count = from > to ? (from - to - step - 1n) / -step : 0n;
  // Step 0 never ends in Maestro when from > to; here it stops at the array limit.
  else count = from > to ? BigInt(rt.limits.array) : 0n;
  guard(rt, count > BigInt(rt.limits.array) ? rt.limits.array : Number(count));
  const out: SelScalar[] = [];
  for (let i = 0n, v = from; i < count; i++, v += step) out.push(v);
  return rt.newArray('LONG', out);
}

function guard(rt: Runtime, count: number): void {
  if (count >= rt.limits.array)
    throw selError('LIMIT_ARRAY', `New array size is over the limit: ${rt.limits.array} vs length: ${count}`);
}

const UNITS: Readonly<Record<string, string>> = {
  year: 'years',
  month: 'months',
  week: 'weeks',
  day: 'days',
  hour: 'hours',
  minute: 'minutes',
  second: 'seconds',
  millisecond: 'milliseconds',
};

/** Joda's English word-based period format: "1 day", "2 hours and 30 minutes", "1 day, 2 hours". */
function parsePeriod(text: string): Duration {
  const parts = text.trim().split(/\s*,\s*|\s+and\s+|\s+(?=[+-]?\d)/);
  const obj: Record<string, number> = {};
  for (const p of parts) {
    const m = /^([+-]?\d+)\s+([a-z]+?)s?$/.exec(p);
    const unit = m === null ? undefined : UNITS[m[2] as string];
    if (m === null || unit === undefined || !Object.hasOwn(UNITS, m[2] as string))
      throw selError('ILLEGAL_ARGUMENT', `Invalid format: "${text}"`);
    obj[unit] = (obj[unit] ?? 0) + Number(m[1]);
  }
  return Duration.fromObject(obj);
}

function timeout(rt: Runtime, deadline: SelDateTime, period: string): string {
  const end = lux(deadline).plus(parsePeriod(period));
  if (!end.isValid) throw selError('ILLEGAL_ARGUMENT', `Deadline out of range: ${period}`);
  const left = Math.max(end.toMillis() - rt.clock.now(), 0);
  return `${left} milliseconds`;
}

const MAX_JSON_DEPTH = 100;

/** JSON text of a value, as Maestro's Jackson would write the unboxed value. */
function toJsonText(v: SelValue, depth: number): string {
  if (depth > MAX_JSON_DEPTH) throw selError('LIMIT_STACK', 'Value is nested too deeply to serialise');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? javaDouble(v) : JSON.stringify(javaDouble(v));
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'symbol':
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (v instanceof SelArray) return `[${v.items.map((x) => toJsonText(x, depth + 1)).join(',')}]`;
  if (v instanceof SelMap)
    return `{${[...v.entries].map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x, depth + 1)}`).join(',')}}`;
  if (v instanceof SelDateTime) return String(v.millis);
  return JSON.stringify(display(v));
}
