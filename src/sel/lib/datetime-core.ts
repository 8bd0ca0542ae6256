import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { selError } from '../errors.js';
import { SelDateTime } from '../values.js';
import { setIsoFormatter } from '../convert.js';

/**
 * Calendar arithmetic for SEL's Joda subset, on luxon. A SelDateTime holds epoch millis and a Joda zone id
 * ('UTC', 'America/Los_Angeles', '+05:30'); luxon does the zone rules (real IANA data through Intl) and the
 * calendar math, which follows Joda's ISO chronology (ISO weeks, month-end clamping, DST-aware day arithmetic).
 */
export const DEFAULT_ZONE = 'UTC';
const zoneCache = new Map<string, Zone>();
const OFFSET_ID = /^[+-]\d{2}:\d{2}$/;
const ZONE_ID = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Joda's DateTimeZone.forID: 'UTC', fixed offsets '+HH:mm', or an IANA id (case-sensitive, like Joda). */
export function zoneFor(id: string): Zone {
  const hit = zoneCache.get(id);
  if (hit !== undefined) return hit;
  let zone: Zone | undefined;
  if (id === 'UTC') zone = FixedOffsetZone.utcInstance;
  else if (OFFSET_ID.test(id)) {
    const sign = id.startsWith('-') ? -1 : 1;
    const minutes = sign * (Number(id.slice(1, 3)) * 60 + Number(id.slice(4, 6)));
    if (Math.abs(minutes) < 24 * 60) zone = FixedOffsetZone.instance(minutes);
  } else if (ZONE_ID.test(id) && IANAZone.isValidZone(id)) {
    // Intl accepts any letter case; Joda does not. Aliases resolve to another name, so only same-name-other-case is refused.
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone;
    if (canonical === id || canonical.toLowerCase() !== id.toLowerCase()) zone = IANAZone.create(id);
  }
  if (zone === undefined)
    throw selError('ILLEGAL_ARGUMENT', `The datetime zone id '${id}' is not recognised`);
  if (zoneCache.size < 1000) zoneCache.set(id, zone);
  return zone;
}

/** Offset id in Joda's form for a number of minutes (0 is 'UTC'). */
export function offsetId(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// Names (PST, Thursday) are always English, whatever the host's default locale, as Joda with Locale.US.
const LOCALE = 'en-US';

export function lux(d: SelDateTime): DateTime {
  return DateTime.fromMillis(d.millis, { zone: zoneFor(d.zone), locale: LOCALE });
}

/** Back from luxon; an instant outside JS's date range is an error, never an Invalid DateTime. */
export function fromLux(l: DateTime, zone: string): SelDateTime {
  if (!l.isValid)
    throw selError(
      'ILLEGAL_ARGUMENT',
      `Date-time out of the supported range (${l.invalidReason ?? 'invalid'})`,
    );
  return new SelDateTime(l.toMillis(), zone);
}

export function makeDateTime(millis: number, zone: string): SelDateTime {
  if (!Number.isFinite(millis) || Math.abs(millis) > 8.64e15)
    throw selError('ILLEGAL_ARGUMENT', `Instant ${millis} is out of range`);
  zoneFor(zone);
  return new SelDateTime(millis, zone);
}

export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** Validates local fields like Joda (IllegalFieldValueException) and resolves them in `zone`. */
export function fromLocal(f: LocalFields, zone: string): SelDateTime {
  checkRange('monthOfYear', f.month, 1, 12);
  checkRange('dayOfMonth', f.day, 1, daysInMonth(f.year, f.month));
  checkRange('hourOfDay', f.hour, 0, 23);
  checkRange('minuteOfHour', f.minute, 0, 59);
  checkRange('secondOfMinute', f.second, 0, 59);
  checkRange('millisOfSecond', f.millisecond, 0, 999);
  checkRange('year', f.year, -270000, 270000);
  return fromLux(DateTime.fromObject({ ...f }, { zone: zoneFor(zone), locale: LOCALE }), zone);
}

export function checkRange(field: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max)
    throw selError('ILLEGAL_FIELD_VALUE', `Value ${v} for ${field} must be in the range [${min},${max}]`);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Joda's `DateTime.toString()`: ISO-8601 with millis and the offset ('Z' when zero). */
export function isoString(d: SelDateTime): string {
  const l = lux(d);
  const y = l.year;
  const year = y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const off = l.offset === 0 ? 'Z' : offsetId(l.offset);
  return `${year}-${p2(l.month)}-${p2(l.day)}T${p2(l.hour)}:${p2(l.minute)}:${p2(l.second)}.${String(l.millisecond).padStart(3, '0')}${off}`;
}
setIsoFormatter(isoString);

const ISO =
  /^([+-]?\d{4,9})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Joda's ISO date-time parser (`new DateTime(String)`, `DateTime.parse`). Local fields are read in `zone`
 * unless the text carries an offset; `keepOffset` returns the result in that offset (DateTime.parse does).
 */
export function parseIso(text: string, zone: string, keepOffset: boolean): SelDateTime {
  const m = ISO.exec(text);
  if (m === null) throw selError('ILLEGAL_ARGUMENT', `Invalid format: "${text}"`);
  const num = (s: string | undefined, d: number): number => (s === undefined ? d : Number(s));
  const fields: LocalFields = {
    year: num(m[1], 1970),
    month: num(m[2], 1),
    day: num(m[3], 1),
    hour: num(m[4], 0),
    minute: num(m[5], 0),
    second: num(m[6], 0),
    millisecond: m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3)),
  };
  const off = m[8];
  if (off === undefined) return fromLocal(fields, zone);
  const digits = off.slice(1).replace(':', '');
  const minutes =
    off === 'Z'
      ? 0
      : (off.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  const inOffset = fromLocal(fields, offsetId(minutes));
  return keepOffset ? inOffset : new SelDateTime(inOffset.millis, zone);
}
