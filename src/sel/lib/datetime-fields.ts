import type { DateTime } from 'luxon';
import type { SelDateTime, SelValue } from '../values.js';
import type { SelProperty } from '../values.js';
import { noMethod } from './common.js';
import { checkRange, fromLux, lux } from './datetime-core.js';

/** A Joda date-time field: how to read it, its range at a given date, and how to set it (luxon units). */
interface Field {
  get(l: DateTime): number;
  min(l: DateTime): number;
  max(l: DateTime): number;
  set(l: DateTime, v: number): DateTime;
}

const fixed = (
  unit: 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'weekday' | 'ordinal' | 'weekNumber',
  min: number,
  max: (l: DateTime) => number,
): Field => ({
  get: (l) => l[unit],
  min: () => min,
  max,
  set: (l, v) => l.set({ [unit]: v }),
});

const ofDay = (unitMs: number, max: number): Field => ({
  get: (l) => Math.floor((l.hour * 3600000 + l.minute * 60000 + l.second * 1000 + l.millisecond) / unitMs),
  min: () => 0,
  max: () => max,
  set: (l, v) => {
    const ms =
      v * unitMs +
      (unitMs === 1 ? 0 : (l.hour * 3600000 + l.minute * 60000 + l.second * 1000 + l.millisecond) % unitMs);
    return l.set({
      hour: Math.floor(ms / 3600000),
      minute: Math.floor(ms / 60000) % 60,
      second: Math.floor(ms / 1000) % 60,
      millisecond: ms % 1000,
    });
  },
});

const YEAR_MIN = -270000;
const YEAR_MAX = 270000;

export const FIELDS: Readonly<Record<string, Field>> = {
  year: { get: (l) => l.year, min: () => YEAR_MIN, max: () => YEAR_MAX, set: (l, v) => l.set({ year: v }) },
  weekyear: {
    get: (l) => l.weekYear,
    min: () => YEAR_MIN,
    max: () => YEAR_MAX,
    // Joda keeps week and weekday, clamping week 53 to the last week of the target year.
    set: (l, v) => {
      const probe = l.set({ weekYear: v, weekNumber: 1 });
      return l.set({ weekYear: v, weekNumber: Math.min(l.weekNumber, probe.weeksInWeekYear) });
    },
  },
  monthOfYear: fixed('month', 1, () => 12),
  weekOfWeekyear: fixed('weekNumber', 1, (l) => l.weeksInWeekYear),
  dayOfYear: fixed('ordinal', 1, (l) => l.daysInYear),
  dayOfMonth: fixed('day', 1, (l) => l.daysInMonth ?? 31),
  dayOfWeek: fixed('weekday', 1, () => 7),
  hourOfDay: fixed('hour', 0, () => 23),
  minuteOfHour: fixed('minute', 0, () => 59),
  secondOfMinute: fixed('second', 0, () => 59),
  millisOfSecond: fixed('millisecond', 0, () => 999),
  minuteOfDay: ofDay(60000, 1439),
  secondOfDay: ofDay(1000, 86399),
  millisOfDay: ofDay(1, 86399999),
};

/** `withX(v)` / `property.setCopy(v)`: range-checked like Joda's IllegalFieldValueException. */
export function withField(d: SelDateTime, field: string, v: number): SelDateTime {
  const f = FIELDS[field] as Field;
  const l = lux(d);
  checkRange(field, v, f.min(l), f.max(l));
  return fromLux(f.set(l, v), d.zone);
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
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

function asText(field: string, v: number, short: boolean): string {
  const names = field === 'dayOfWeek' ? DAY_NAMES : field === 'monthOfYear' ? MONTH_NAMES : null;
  const name = names?.[v - 1];
  if (name === undefined) return String(v);
  return short ? name.slice(0, 3) : name;
}

/** Joda `DateTime.Property` methods (Locale.US for text). */
export function propertyMethod(p: SelProperty, name: string, args: SelValue[]): SelValue {
  const f = FIELDS[p.field] as Field;
  const l = lux(p.dateTime);
  const a0 = args[0];
  switch (`${name}/${args.length}`) {
    case 'get/0':
      return BigInt(f.get(l));
    case 'getAsText/0':
      return asText(p.field, f.get(l), false);
    case 'getAsShortText/0':
      return asText(p.field, f.get(l), true);
    case 'getMinimumValue/0':
      return BigInt(f.min(l));
    case 'getMaximumValue/0':
      return BigInt(f.max(l));
    case 'withMinimumValue/0':
      return withField(p.dateTime, p.field, f.min(l));
    case 'withMaximumValue/0':
      return withField(p.dateTime, p.field, f.max(l));
    case 'setCopy/1':
      if (typeof a0 === 'bigint' && a0 >= -2147483648n && a0 <= 2147483647n)
        return withField(p.dateTime, p.field, Number(a0));
      break;
    case 'getName/0':
      return p.field;
    case 'toString/0':
      return `Property[${p.field}]`;
    default:
      break;
  }
  throw noMethod('DATETIME_PROPERTY', name, args);
}
