import { DateTime } from 'luxon';
import { selError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import {
  SelDateTime,
  SelDays,
  SelFormatter,
  SelProperty,
  SelZone,
  typeOf,
  type SelValue,
} from '../values.js';
import { classCast, failedCall, int, long, noField, noMethod, str } from './common.js';
import {
  DEFAULT_ZONE,
  fromLocal,
  fromLux,
  isoString,
  lux,
  makeDateTime,
  parseIso,
  zoneFor,
} from './datetime-core.js';
import { compilePattern, formatPattern, parsePattern } from './joda-format.js';
import { FIELDS, propertyMethod, withField } from './datetime-fields.js';

export { propertyMethod };

const PLUS_UNITS: Readonly<Record<string, string>> = {
  Years: 'years',
  Months: 'months',
  Weeks: 'weeks',
  Days: 'days',
  Hours: 'hours',
  Minutes: 'minutes',
  Seconds: 'seconds',
  Millis: 'milliseconds',
};

const DAY_MS = 86_400_000;
/** The last instant a JS Date (and luxon) holds; beyond it luxon's error message applies. */
const MAX_INSTANT = 8.64e15;
const FIXED_UNIT_MS: Readonly<Record<string, number>> = {
  weeks: 7 * DAY_MS,
  days: DAY_MS,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

function zoneArg(v: SelValue | undefined): string {
  if (!(v instanceof SelZone)) throw classCast(v ?? null, 'DateTimeZone');
  return v.id;
}

function instantArg(v: SelValue | undefined, name: string, args: SelValue[]): number {
  if (v instanceof SelDateTime) return v.millis;
  if (typeof v === 'bigint') return Number(v);
  throw failedCall(name, args, `expected DATETIME or LONG, got ${typeOf(v ?? null)}`);
}

/** Joda DateTime instance methods (see docs/sel.md for the list). */
export function dateTimeMethod(rt: Runtime, d: SelDateTime, name: string, args: SelValue[]): SelValue {
  const a0 = args[0];
  const n = args.length;
  if (n === 1 && (name.startsWith('plus') || name.startsWith('minus'))) {
    const minus = name.startsWith('minus');
    const unit = PLUS_UNITS[name.slice(minus ? 5 : 4)];
    if (unit !== undefined) {
      const amount = int(a0 ?? null, name, args);
      const signed = minus ? -amount : amount;
      // Units of fixed length (any unit up to a week in a zone without daylight saving) are plain arithmetic on the
      // instant, as in Joda; months and years, and days in a zone with DST, need the calendar.
      const fixed = FIXED_UNIT_MS[unit];
      if (fixed !== undefined && (fixed < DAY_MS || zoneFor(d.zone).isUniversal)) {
        const millis = d.millis + signed * fixed;
        if (Math.abs(millis) <= MAX_INSTANT) return new SelDateTime(millis, d.zone);
      }
      return fromLux(lux(d).plus({ [unit]: signed }), d.zone);
    }
    if (name === 'plus' || name === 'minus') {
      const ms = Number(long(a0 ?? null, name, args));
      return makeDateTime(d.millis + (minus ? -ms : ms), d.zone);
    }
  }
  if (name.startsWith('get') && n === 0) {
    const field = name.slice(3, 4).toLowerCase() + name.slice(4);
    if (field === 'millis') return BigInt(d.millis);
    if (field === 'zone') return new SelZone(d.zone);
    const f = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
    if (f !== undefined) return BigInt(f.get(lux(d)));
  }
  if (name.startsWith('with') && n === 1 && typeof a0 === 'bigint') {
    const field = name.slice(4, 5).toLowerCase() + name.slice(5);
    if (Object.hasOwn(FIELDS, field)) return withField(d, field, int(a0, name, args));
  }
  if (n === 0 && Object.hasOwn(FIELDS, name)) return new SelProperty(d, name);
  switch (`${name}/${n}`) {
    case 'withTimeAtStartOfDay/0':
      return fromLux(lux(d).startOf('day'), d.zone);
    case 'withZone/1':
    case 'toDateTime/1':
      return new SelDateTime(d.millis, zoneArg(a0));
    case 'toDateTime/0':
      return d;
    case 'withZoneRetainFields/1': {
      const z = zoneArg(a0);
      return fromLux(lux(d).setZone(zoneFor(z), { keepLocalTime: true }), z);
    }
    case 'withMillis/1':
      return makeDateTime(Number(long(a0 ?? null, name, args)), d.zone);
    case 'withDate/3': {
      const l = lux(d);
      const [y, m, dd] = args.map((x) => int(x, name, args)) as [number, number, number];
      return fromLocal(
        {
          year: y,
          month: m,
          day: dd,
          hour: l.hour,
          minute: l.minute,
          second: l.second,
          millisecond: l.millisecond,
        },
        d.zone,
      );
    }
    case 'withTime/4': {
      const l = lux(d);
      const [h, mi, s, ms] = args.map((x) => int(x, name, args)) as [number, number, number, number];
      return fromLocal(
        { year: l.year, month: l.month, day: l.day, hour: h, minute: mi, second: s, millisecond: ms },
        d.zone,
      );
    }
    case 'isAfter/1':
      return d.millis > instantArg(a0, name, args);
    case 'isBefore/1':
      return d.millis < instantArg(a0, name, args);
    case 'isEqual/1':
      return d.millis === instantArg(a0, name, args);
    case 'isAfterNow/0':
      return d.millis > rt.clock.now();
    case 'isBeforeNow/0':
      return d.millis < rt.clock.now();
    case 'isEqualNow/0':
      return d.millis === rt.clock.now();
    case 'compareTo/1':
      return BigInt(Math.sign(d.millis - instantArg(a0, name, args)));
    case 'equals/1':
      return a0 instanceof SelDateTime && a0.millis === d.millis && a0.zone === d.zone;
    case 'toString/0':
      return charge(rt, isoString(d));
    case 'toString/1':
      if (a0 instanceof SelFormatter) return charge(rt, print(a0, d));
      return charge(rt, formatPattern(d, str(a0 ?? null, name, args)));
    default:
      throw noMethod('DATETIME', name, args);
  }
}

function charge(rt: Runtime, s: string): string {
  rt.charge(32 + 2 * s.length);
  return s;
}

/** `new DateTime(...)`: (), (millis[, zone]), (isoText[, zone]), (y, M, d, h, m[, s[, ms]][, zone]). */
export function newDateTime(rt: Runtime, args: SelValue[]): SelDateTime {
  const last = args[args.length - 1];
  const zone = last instanceof SelZone ? last.id : DEFAULT_ZONE;
  const rest = last instanceof SelZone ? args.slice(0, -1) : args;
  const a0 = rest[0];
  if (rest.length === 0) return makeDateTime(rt.clock.now(), zone);
  if (rest.length === 1) {
    if (typeof a0 === 'bigint') return makeDateTime(Number(a0), zone);
    if (typeof a0 === 'string') return parseIso(a0, zone, false);
    if (a0 instanceof SelDateTime) return new SelDateTime(a0.millis, zone);
  }
  if (rest.length >= 5 && rest.length <= 7 && rest.every((x) => typeof x === 'bigint')) {
    const [year, month, day, hour, minute, second = 0, millisecond = 0] = rest.map((x) =>
      int(x, 'DateTime', args),
    );
    return fromLocal(
      { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second, millisecond },
      zone,
    );
  }
  throw selError(
    'ILLEGAL_ARGUMENT',
    `Invalid input arguments (${args.map((x) => typeOf(x)).join(', ')}) for DateTime constructor`,
  );
}

export function dateTimeStatic(rt: Runtime, name: string, args: SelValue[]): SelValue {
  const [a0, a1] = args;
  switch (`${name}/${args.length}`) {
    case 'now/0':
      return makeDateTime(rt.clock.now(), DEFAULT_ZONE);
    case 'now/1':
      return makeDateTime(rt.clock.now(), zoneArg(a0));
    case 'parse/1':
      return parseIso(str(a0 ?? null, name, args), DEFAULT_ZONE, true);
    case 'parse/2':
      if (!(a1 instanceof SelFormatter)) throw classCast(a1 ?? null, 'DateTimeFormatter');
      return parsePattern(str(a0 ?? null, name, args), a1.pattern, a1.zone ?? DEFAULT_ZONE);
    default:
      throw noMethod('DATETIME', name, args);
  }
}

export function zoneMethod(z: SelZone | null, name: string, args: SelValue[]): SelValue {
  const a0 = args[0];
  switch (`${name}/${args.length}`) {
    case 'forID/1': {
      if (a0 === null) return new SelZone(DEFAULT_ZONE);
      const id = str(a0 ?? null, name, args);
      zoneFor(id);
      return new SelZone(id);
    }
    case 'forOffsetHours/1': {
      const h = int(a0 ?? null, name, args);
      if (h < -23 || h > 23) throw selError('ILLEGAL_ARGUMENT', `Offset is too large: ${h}`);
      return new SelZone(h === 0 ? 'UTC' : `${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:00`);
    }
    case 'getDefault/0':
      return new SelZone(DEFAULT_ZONE);
    default:
      break;
  }
  if (z !== null) {
    switch (`${name}/${args.length}`) {
      case 'getOffset/1':
        return BigInt(
          DateTime.fromMillis(instantArg(a0, name, args), { zone: zoneFor(z.id) }).offset * 60000,
        );
      case 'getID/0':
      case 'toString/0':
        return z.id;
      default:
        break;
    }
  }
  throw noMethod('DATETIME_ZONE', name, args);
}

export function zoneField(name: string): SelValue {
  if (name === 'UTC') return new SelZone('UTC');
  throw noField('DATETIME_ZONE', name);
}

export function formatterStatic(name: string, args: SelValue[]): SelValue {
  if (name === 'forPattern' && args.length === 1) {
    const p = str(args[0] ?? null, name, args);
    compilePattern(p);
    return new SelFormatter(p, null);
  }
  throw noMethod('DATETIME_FORMATTER', name, args);
}

function print(f: SelFormatter, d: SelDateTime): string {
  return formatPattern(f.zone === null ? d : new SelDateTime(d.millis, f.zone), f.pattern);
}

export function formatterMethod(rt: Runtime, f: SelFormatter, name: string, args: SelValue[]): SelValue {
  const a0 = args[0] ?? null;
  const text = (): string => (typeof a0 === 'bigint' ? a0.toString() : str(a0, name, args));
  switch (`${name}/${args.length}`) {
    case 'withZone/1':
      return new SelFormatter(f.pattern, zoneArg(a0));
    case 'withZoneUTC/0':
      return new SelFormatter(f.pattern, 'UTC');
    case 'parseDateTime/1':
      return parsePattern(text(), f.pattern, f.zone ?? DEFAULT_ZONE);
    case 'parseMillis/1':
      return BigInt(parsePattern(text(), f.pattern, f.zone ?? DEFAULT_ZONE).millis);
    case 'print/1': {
      const d =
        a0 instanceof SelDateTime ? a0 : makeDateTime(instantArg(a0, name, args), f.zone ?? DEFAULT_ZONE);
      return charge(rt, print(f, d));
    }
    default:
      throw noMethod('DATETIME_FORMATTER', name, args);
  }
}

/** `Days.daysBetween(a, b)` (whole local days, in a's zone) and `days.getDays()`. */
export function daysMethod(d: SelDays | null, name: string, args: SelValue[]): SelValue {
  const [a, b] = args;
  if (name === 'daysBetween' && args.length === 2 && a instanceof SelDateTime && b instanceof SelDateTime) {
    const start = lux(a);
    const end = DateTime.fromMillis(b.millis, { zone: start.zone });
    return new SelDays(Math.trunc(end.diff(start, 'days').days));
  }
  if (d !== null && name === 'getDays' && args.length === 0) return BigInt(d.days);
  if (d !== null && name === 'toString' && args.length === 0) return `P${d.days}D`;
  throw noMethod('DATETIME_DAYS', name, args);
}
