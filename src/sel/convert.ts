import type { JsonValue } from '../model/json.js';
import { selError } from './errors.js';
import { javaHashMapOrder } from './hash-order.js';
import {
  SelArray,
  SelClass,
  SelDateTime,
  SelDays,
  SelFormatter,
  SelMap,
  SelProperty,
  SelUuid,
  SelZone,
  typeOf,
  VOID,
  type SelElemType,
  type SelObject,
  type SelResult,
  type SelScalar,
  type SelValue,
} from './values.js';

// Conversions between SEL values and text/JSON: Java's toString, JSON out, and boxing of caller values in.

/** Maps can contain themselves; printing and JSON conversion stop at this depth instead of overflowing. */
const MAX_DEPTH = 100;

/** Java's `Double.toString`: shortest round-trip digits, plain between 1e-3 and 1e7, otherwise `d.dddE±n`. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant = '', exp = '0'] = n.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** `String.valueOf(v)` as SEL prints it (also what `+` appends to a STRING). */
export function display(v: SelResult, nested = false, depth = 0): string {
  if (v === null) return nested ? 'NULL' : 'null';
  if (depth > MAX_DEPTH)
    throw selError(
      'LIMIT_STACK',
      `Value is nested deeper than ${MAX_DEPTH} levels (a map that contains itself?)`,
    );
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return javaDouble(v);
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'symbol':
      return 'VOID';
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (v instanceof SelArray) return `[${v.items.map((x) => display(x)).join(', ')}]`;
  if (v instanceof SelMap) {
    if (v.isNull) return 'null';
    const shown = javaHashMapOrder(v.entries.keys()).map(
      (k) => `${k}=${display(v.entries.get(k) as SelValue, true, depth + 1)}`,
    );
    return `{${shown.join(', ')}}`;
  }
  if (v instanceof SelDateTime) return isoString(v);
  if (v instanceof SelZone) return v.id;
  if (v instanceof SelFormatter) return `DateTimeFormatter[${v.pattern}]`;
  if (v instanceof SelProperty) return `Property[${v.field}]`;
  if (v instanceof SelDays) return `P${v.days}D`;
  if (v instanceof SelUuid) return v.text;
  return v.name;
}

// Set by lib/datetime.ts at load time; kept as a hook so values.ts does not import the date library.
let isoHook: (d: SelDateTime) => string = (d) => new Date(d.millis).toISOString();
export function setIsoFormatter(f: (d: SelDateTime) => string): void {
  isoHook = f;
}
function isoString(d: SelDateTime): string {
  return isoHook(d);
}

/** SEL value -> JSON. LONGs beyond 2^53 become decimal strings; non-finite doubles become strings too. */
export function toJson(v: SelResult, depth = 0): JsonValue {
  if (v === null || v === VOID) return null;
  if (depth > MAX_DEPTH)
    throw selError(
      'LIMIT_STACK',
      `Value is nested deeper than ${MAX_DEPTH} levels (a map that contains itself?)`,
    );
  switch (typeof v) {
    case 'bigint':
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
    case 'number':
      return Number.isFinite(v) ? v : javaDouble(v);
    case 'string':
    case 'boolean':
      return v;
    case 'symbol':
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (v instanceof SelArray) return v.items.map((x) => toJson(x));
  if (v instanceof SelMap) {
    if (v.isNull) return null;
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of v.entries)
      Object.defineProperty(out, k, {
        value: toJson(x, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return display(v);
}

export type SelInput =
  SelValue | JsonValue | undefined | readonly SelInput[] | { readonly [key: string]: SelInput };
export type SelTypeHint =
  | 'LONG'
  | 'DOUBLE'
  | 'STRING'
  | 'BOOLEAN'
  | 'STRING_ARRAY'
  | 'LONG_ARRAY'
  | 'DOUBLE_ARRAY'
  | 'BOOLEAN_ARRAY'
  | 'MAP';

/**
 * Boxes a caller value as a fresh SEL value (arrays and maps are deep-copied, so a script can never change the
 * caller's data). Integral JS numbers become LONG unless `hint` says DOUBLE; empty arrays need a hint (default
 * STRING_ARRAY). Maps may not hold nulls (Maestro rejects them when boxing).
 */
export function fromJson(v: SelInput, hint?: SelTypeHint): SelValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return hint === 'DOUBLE' ? Number(v) : BigInt.asIntN(64, v);
    case 'number':
      if (hint === 'DOUBLE' || !Number.isInteger(v)) return v;
      return Number.isSafeInteger(v) ? BigInt(v) : v;
    case 'string':
    case 'boolean':
      return v;
    case 'symbol':
    case 'undefined':
    case 'object':
    case 'function':
      break;
  }
  if (v instanceof SelArray) return new SelArray(v.elem, [...v.items]);
  if (v instanceof SelMap) return copyMap(v);
  if (typeof v === 'object' && v !== null && isSelObject(v)) return v;
  if (Array.isArray(v)) return arrayFromJson(v as readonly SelInput[], hint);
  const proto: unknown = Object.getPrototypeOf(v);
  // Only plain JSON-like objects box as maps; Sets, Dates, class instances and the like are refused.
  if (proto !== Object.prototype && proto !== null)
    throw selError('UNSUPPORTED_TYPE', 'Input type (a non-plain object) is not supported');
  const m = new Map<string, SelValue>();
  for (const [k, x] of Object.entries(v as Record<string, SelInput>)) {
    if (x === null || x === undefined)
      throw selError('ILLEGAL_ARGUMENT', 'Invalid map entry type (null) for Map constructor');
    m.set(k, fromJson(x));
  }
  return new SelMap(m);
}

function isSelObject(v: object): v is SelObject {
  return (
    v instanceof SelDateTime ||
    v instanceof SelZone ||
    v instanceof SelFormatter ||
    v instanceof SelProperty ||
    v instanceof SelDays ||
    v instanceof SelUuid ||
    v instanceof SelClass
  );
}

function copyMap(m: SelMap): SelMap {
  const out = new Map<string, SelValue>();
  for (const [k, x] of m.entries) out.set(k, x instanceof SelArray || x instanceof SelMap ? fromJson(x) : x);
  return new SelMap(out, m.isNull);
}

function arrayFromJson(items: readonly SelInput[], hint?: SelTypeHint): SelArray {
  let elem: SelElemType | undefined = hint?.endsWith('_ARRAY')
    ? (hint.slice(0, -6) as SelElemType)
    : undefined;
  if (elem === undefined) {
    const first = items.find((x) => x !== null && x !== undefined);
    if (typeof first === 'boolean') elem = 'BOOLEAN';
    else if (typeof first === 'number' || typeof first === 'bigint')
      elem = items.every((x) => typeof x === 'bigint' || (typeof x === 'number' && Number.isSafeInteger(x)))
        ? 'LONG'
        : 'DOUBLE';
    else if (first === undefined || typeof first === 'string') elem = 'STRING';
    else
      throw selError(
        'UNSUPPORTED_TYPE',
        'Input type of nested arrays or objects in an array is not supported',
      );
  }
  const out: SelScalar[] = items.map((x) => {
    const b = fromJson(x, elem === 'DOUBLE' ? 'DOUBLE' : undefined);
    if (b !== null && typeOf(b) !== elem)
      throw selError(
        'UNSUPPORTED_TYPE',
        `Input array element type ${typeOf(b)} is not supported in ${elem}_ARRAY`,
      );
    return b as SelScalar;
  });
  return new SelArray(elem, out);
}
