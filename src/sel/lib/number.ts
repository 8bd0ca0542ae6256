import type { Runtime } from '../runtime.js';
import { SelArray, SelUuid, typeOf, type SelElemType, type SelScalar, type SelValue } from '../values.js';
import { display, javaDouble } from '../convert.js';
import { classCast, failedCall, noField, noMethod, parseDouble, parseInt32, parseLong } from './common.js';

/** Methods of LONG values and of the `Long`/`Integer` classes (`recv` null for the class). */
export function longMethod(recv: bigint | null, name: string, args: SelValue[], integer: boolean): SelValue {
  const a0 = args[0] ?? null;
  switch (`${name}/${args.length}`) {
    case 'intValue/0':
    case 'longValue/0':
      if (recv !== null) return name === 'intValue' ? BigInt.asIntN(32, recv) : recv;
      break;
    case 'toString/0':
      if (recv !== null) return recv.toString();
      break;
    case 'toString/1':
      return display(a0);
    case 'doubleValue/0':
      if (recv !== null) return Number(recv);
      break;
    case 'valueOf/1':
    case 'parseLong/1':
    case 'parseInt/1':
      if (name === 'parseInt' && !integer) break;
      if (typeof a0 === 'bigint') return a0;
      if (typeof a0 === 'string') return integer && name === 'parseInt' ? parseInt32(a0) : parseLong(a0);
      throw failedCall(name, args, `expected STRING or LONG, got ${typeOf(a0)}`);
    default:
      break;
  }
  throw noMethod('LONG', name, args);
}

export function doubleMethod(recv: number | null, name: string, args: SelValue[]): SelValue {
  const a0 = args[0] ?? null;
  switch (`${name}/${args.length}`) {
    case 'intValue/0':
    case 'longValue/0':
      if (recv !== null) return truncate(recv, name === 'intValue' ? 32 : 64);
      break;
    case 'doubleValue/0':
      if (recv !== null) return recv;
      break;
    case 'toString/0':
      if (recv !== null) return javaDouble(recv);
      break;
    case 'toString/1':
      return display(a0);
    case 'valueOf/1':
    case 'parseDouble/1':
      if (typeof a0 === 'number') return a0;
      if (typeof a0 === 'bigint') return Number(a0);
      if (typeof a0 === 'string') return parseDouble(a0);
      throw failedCall(name, args, `expected STRING or DOUBLE, got ${typeOf(a0)}`);
    default:
      break;
  }
  throw noMethod('DOUBLE', name, args);
}

/** Java's double-to-integer narrowing: NaN is 0, out-of-range values saturate. */
function truncate(d: number, bits: 32 | 64): bigint {
  if (Number.isNaN(d)) return 0n;
  const max = bits === 32 ? 2147483647n : 9223372036854775807n;
  const min = -max - 1n;
  if (d >= Number(max)) return max;
  if (d <= Number(min)) return min;
  return BigInt(Math.trunc(d));
}

export function booleanMethod(recv: boolean | null, name: string, args: SelValue[]): SelValue {
  const a0 = args[0] ?? null;
  switch (`${name}/${args.length}`) {
    case 'booleanValue/0':
      if (recv !== null) return recv;
      break;
    case 'toString/0':
      if (recv !== null) return String(recv);
      break;
    case 'toString/1':
      return display(a0);
    case 'valueOf/1':
    case 'parseBoolean/1':
      if (typeof a0 === 'boolean') return a0;
      if (typeof a0 === 'string' || a0 === null) return a0 !== null && a0.toLowerCase() === 'true';
      throw failedCall(name, args);
    default:
      break;
  }
  throw noMethod('BOOLEAN', name, args);
}

export function mathMethod(rt: Runtime, name: string, args: SelValue[]): SelValue {
  switch (`${name}/${args.length}`) {
    case 'min/2':
    case 'max/2': {
      const [a, b] = args;
      if (typeof a !== 'bigint') throw classCast(a ?? null, 'SelLong');
      if (typeof b !== 'bigint') throw classCast(b ?? null, 'SelLong');
      return name === 'min' ? (a < b ? a : b) : a > b ? a : b;
    }
    case 'random/0':
      return rt.random();
    case 'pow/2': {
      const [a, b] = args.map((x) => (typeof x === 'bigint' ? Number(x) : x));
      if (typeof a !== 'number' || typeof b !== 'number') throw failedCall(name, args);
      return Math.pow(a, b);
    }
    default:
      throw noMethod('MATH', name, args);
  }
}

export function uuidMethod(rt: Runtime, recv: SelUuid | null, name: string, args: SelValue[]): SelValue {
  if (name === 'randomUUID' && args.length === 0) return randomUuid(rt);
  if (recv !== null && name === 'toString' && args.length === 0) return recv.text;
  throw noMethod('UUID', name, args);
}

/** Like Maestro, built from two random 64-bit halves: version/variant nibbles are not forced. */
function randomUuid(rt: Runtime): SelUuid {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(rt.random() * 16).toString(16);
  return new SelUuid(
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  );
}

/** `System`, `Arrays` and `DateTimeConstants`: Maestro's PRESET_MISC_FUNC_FIELDS. */
export function miscMethod(rt: Runtime, cls: string, name: string, args: SelValue[]): SelValue {
  if (cls === 'System' && name === 'currentTimeMillis' && args.length === 0)
    return BigInt(Math.floor(rt.clock.now()));
  if (cls === 'Arrays' && name === 'asList' && args.length >= 1) {
    if (args.length === 1 && args[0] instanceof SelArray) return args[0];
    const elem = typeOf(args[0] ?? null);
    if (!['STRING', 'LONG', 'DOUBLE', 'BOOLEAN'].includes(elem) || args.some((a) => typeOf(a) !== elem))
      throw failedCall(name, args, 'elements must share one scalar type');
    return rt.newArray(elem as SelElemType, args as SelScalar[]);
  }
  throw noMethod('PRESET_MISC_FUNC_FIELDS', name, args);
}

const CONSTANTS: ReadonlyMap<string, bigint> = new Map([
  ...['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map(
    (d, i) => [d, BigInt(i + 1)] as const,
  ),
  ...[
    'JANUARY',
    'FEBRUARY',
    'MARCH',
    'APRIL',
    'MAY',
    'JUNE',
    'JULY',
    'AUGUST',
    'SEPTEMBER',
    'OCTOBER',
    'NOVEMBER',
    'DECEMBER',
  ].map((m, i) => [m, BigInt(i + 1)] as const),
  ['AM', 0n],
  ['PM', 1n],
  ['BC', 0n],
  ['BCE', 0n],
  ['AD', 1n],
  ['CE', 1n],
  ['MILLIS_PER_SECOND', 1000n],
  ['SECONDS_PER_MINUTE', 60n],
  ['MILLIS_PER_MINUTE', 60000n],
  ['MINUTES_PER_HOUR', 60n],
  ['SECONDS_PER_HOUR', 3600n],
  ['MILLIS_PER_HOUR', 3600000n],
  ['HOURS_PER_DAY', 24n],
  ['MINUTES_PER_DAY', 1440n],
  ['SECONDS_PER_DAY', 86400n],
  ['MILLIS_PER_DAY', 86400000n],
  ['DAYS_PER_WEEK', 7n],
  ['HOURS_PER_WEEK', 168n],
  ['MINUTES_PER_WEEK', 10080n],
  ['SECONDS_PER_WEEK', 604800n],
  ['MILLIS_PER_WEEK', 604800000n],
]);

export function miscField(cls: string, name: string): SelValue {
  const v = cls === 'DateTimeConstants' ? CONSTANTS.get(name) : undefined;
  if (v === undefined) throw noField('PRESET_MISC_FUNC_FIELDS', name);
  return v;
}
