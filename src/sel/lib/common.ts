import type { SelError } from '../errors.js';
import { selError } from '../errors.js';
import { typeOf, type SelValue } from '../values.js';

/** Maestro's message for a method a type does not have; the arity is appended to the name, as Maestro does. */
export function noMethod(type: string, name: string, args: readonly SelValue[]): SelError {
  const detail = `${name}${args.length} with args: [${args.map((a) => typeOf(a)).join(', ')}]`;
  // A few types word it without "method:"; the rest with it.
  const short = type === 'NULL' || type === 'BOOLEAN' || type.endsWith('_ARRAY');
  return selError('UNSUPPORTED_METHOD', `${type} DO NOT support calling ${short ? '' : 'method: '}${detail}`);
}

export function noField(type: string, name: string): SelError {
  const kind = type === 'NULL' ? 'UNSUPPORTED_OPERATION' : 'UNSUPPORTED_FIELD';
  return selError(kind, `${type} DO NOT support accessing field: ${name}`);
}

/** A Java method that exists but threw (bad argument type, index out of range...). */
export function failedCall(name: string, args: readonly SelValue[], why = ''): SelError {
  return selError(
    'ILLEGAL_ARGUMENT',
    `Failed calling method ${name}${args.length}${why === '' ? '' : `: ${why}`}`,
  );
}

export function classCast(v: SelValue, to: string): SelError {
  return selError('CLASS_CAST', `class ${typeOf(v)} cannot be cast to class ${to}`);
}

export function numberFormat(s: string): SelError {
  return selError('NUMBER_FORMAT', `For input string: "${s}"`);
}

const LONG_RE = /^[+-]?\d+$/;

/** Java's Long.parseLong: optional sign and decimal digits only, within 64 bits. */
export function parseLong(s: string): bigint {
  if (!LONG_RE.test(s) || s.length > 21) throw numberFormat(s);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw numberFormat(s);
  return n;
}

/** Java's Integer.parseInt: like parseLong, within 32 bits. */
export function parseInt32(s: string): bigint {
  const n = parseLong(s);
  if (n > 2147483647n || n < -2147483648n) throw numberFormat(s);
  return n;
}

const DOUBLE_RE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** Java's Double.parseDouble (decimal forms; surrounding whitespace is ignored, as in Java). */
export function parseDouble(raw: string): number {
  const s = raw.trim();
  if (!DOUBLE_RE.test(s)) throw numberFormat(raw);
  return Number(s.replace(/[fFdD]$/, ''));
}

/** A LONG, or a STRING holding one (Util functions accept both). */
export function longOrString(v: SelValue, method: string, args: readonly SelValue[]): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return parseLong(v);
  throw failedCall(method, args, `expected LONG or STRING, got ${typeOf(v)}`);
}

export function str(v: SelValue, method: string, args: readonly SelValue[]): string {
  if (typeof v !== 'string') throw failedCall(method, args, `expected STRING, got ${typeOf(v)}`);
  return v;
}

export function long(v: SelValue, method: string, args: readonly SelValue[]): bigint {
  if (typeof v !== 'bigint') throw failedCall(method, args, `expected LONG, got ${typeOf(v)}`);
  return v;
}

/** A LONG argument used as a JS number (int-range arguments such as day counts). */
export function int(v: SelValue, method: string, args: readonly SelValue[]): number {
  const n = long(v, method, args);
  if (n > 2147483647n || n < -2147483648n) throw failedCall(method, args, `${n} is out of int range`);
  return Number(n);
}
