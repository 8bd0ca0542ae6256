import type { ParamType } from '../model/enums.js';
import { isJsonObject, pathBeyondDepth, type JsonValue } from '../model/json.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import {
  javaDouble,
  SelArray,
  SelMap,
  toJson,
  typeOf,
  VOID,
  type SelResult,
  type SelValue,
} from '../sel/index.js';
import { paramError, ParamErrorCode } from './errors.js';
import type { ParamScalar, ParamValue, ParamValueMap } from './types.js';

// Conversions into the 10 param types, from SEL results (expressions) and from JSON (literals, run params given on
// the API or the command line). A value that does not fit is an error naming the
// param, the type it needs and the type it got.

const LONG_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function mismatch(name: string, type: ParamType, got: string, detail = ''): never {
  throw paramError(
    ParamErrorCode.PARAM_TYPE_MISMATCH,
    name,
    `param '${name}' is of type ${type} but got ${got}${detail}`,
  );
}

function longIn(b: bigint, name: string, type: ParamType): bigint {
  if (b < LONG_MIN || b > LONG_MAX) mismatch(name, type, 'a number outside the 64-bit range', ` (${b})`);
  return b;
}

/** JSON-ish type name of an input, for messages. */
function describeInput(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint') return 'LONG';
  if (typeof v === 'number') return Number.isInteger(v) ? 'LONG' : 'DOUBLE';
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (Array.isArray(v)) return 'an array';
  return 'a map';
}

function toLong(v: unknown, name: string, type: ParamType): bigint | undefined {
  if (typeof v === 'bigint') return longIn(v, name, type);
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (!Number.isSafeInteger(v))
      mismatch(name, type, `${v}, which a JSON number cannot hold exactly (pass it as a string)`);
    return BigInt(v);
  }
  if (typeof v === 'string' && LONG_TEXT.test(v.trim())) return longIn(BigInt(v.trim()), name, type);
  return undefined;
}

function toDouble(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && DOUBLE_TEXT.test(v.trim())) return Number(v.trim());
  return undefined;
}

function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

/** Java's String.valueOf for the scalars a STRING param accepts. */
function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : javaDouble(v);
  return undefined;
}

const ELEMENT: Readonly<
  Record<string, (v: unknown, name: string, type: ParamType) => ParamScalar | undefined>
> = {
  STRING_ARRAY: (v) => (typeof v === 'string' ? v : undefined),
  LONG_ARRAY: toLong,
  DOUBLE_ARRAY: toDouble,
  BOOLEAN_ARRAY: toBoolean,
};

/** Parses a JSON array or object given as text (a run param typed on the command line). */
function parsedText(v: unknown, want: 'array' | 'object'): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(want === 'array' ? t.startsWith('[') : t.startsWith('{'))) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v; // not JSON after all: reported below as a type mismatch on the original text
  }
}

function plainMap(v: unknown, name: string, type: ParamType): ParamValueMap {
  const out: Record<string, ParamValue | null> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null || x === undefined) {
      out[k] = null;
      continue;
    }
    const inner = inferInput(x, `${name}.${k}`);
    if (inner === undefined) mismatch(name, type, `${describeInput(x)} at key '${k}'`);
    out[k] = inner;
  }
  return Object.freeze(out);
}

/** The value of an untyped entry inside a MAP param: its JSON shape decides the type. */
function inferInput(v: unknown, name: string): ParamValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return Object.freeze([...(v as string[])]);
    if (v.every((x) => typeof x === 'boolean')) return Object.freeze([...(v as boolean[])]);
    if (v.every((x) => typeof x === 'bigint' || Number.isSafeInteger(x)))
      return Object.freeze(v.map((x) => BigInt(x as number)));
    if (v.every((x) => typeof x === 'number' || typeof x === 'bigint'))
      return Object.freeze(v.map((x) => Number(x)));
    return undefined;
  }
  if (isJsonObject(v as JsonValue)) return plainMap(v, name, 'MAP');
  return undefined;
}

/**
 * A JSON value (a literal in a definition, a run param from the API or the command line) as a value of `type`.
 * Accepts what a person would reasonably type: numeric strings for LONG/DOUBLE, "true"/"false" for BOOLEAN, a
 * LONG for a DOUBLE, scalars for STRING_MAP values, and JSON text for arrays and maps.
 */
export function coerceInput(name: string, type: ParamType, raw: unknown): ParamValue {
  if (raw === null || raw === undefined) {
    throw paramError(ParamErrorCode.PARAM_NULL, name, `param '${name}' of type ${type} has no value (null)`);
  }
  const got = describeInput(raw);
  switch (type) {
    case 'STRING':
      return toText(raw) ?? mismatch(name, type, got);
    case 'LONG':
      return (
        toLong(raw, name, type) ??
        mismatch(name, type, got, typeof raw === 'string' ? ` (${JSON.stringify(raw)})` : '')
      );
    case 'DOUBLE':
      return toDouble(raw) ?? mismatch(name, type, got);
    case 'BOOLEAN':
      return toBoolean(raw) ?? mismatch(name, type, got);
    case 'STRING_ARRAY':
    case 'LONG_ARRAY':
    case 'DOUBLE_ARRAY':
    case 'BOOLEAN_ARRAY': {
      const v = parsedText(raw, 'array');
      if (!Array.isArray(v)) return mismatch(name, type, describeInput(v));
      const convert = ELEMENT[type]!;
      const items = v.map(
        (x: unknown, i) =>
          convert(x, name, type) ?? mismatch(name, type, `${describeInput(x)} at index ${i}`),
      );
      return Object.freeze(items) as ParamValue;
    }
    case 'STRING_MAP': {
      const v = parsedText(raw, 'object');
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return mismatch(name, type, describeInput(v));
      const out: Record<string, string> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        out[k] = toText(x) ?? mismatch(name, type, `${describeInput(x)} at key '${k}'`);
      }
      return Object.freeze(out);
    }
    case 'MAP': {
      const v = parsedText(raw, 'object');
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return mismatch(name, type, describeInput(v));
      checkDepth(name, v);
      return plainMap(v, name, type);
    }
  }
}

/**
 * Refuses a value nested deeper than `valueDepth` before anything walks it recursively (a run param, a step's
 * output, JSON text given for a MAP): one error instead of a stack overflow.
 */
export function checkDepth(name: string, value: unknown, maxDepth = DEFAULT_LIMITS.valueDepth): void {
  if (pathBeyondDepth(value, maxDepth) === undefined) return;
  throw paramError(
    ParamErrorCode.PARAM_TOO_DEEP,
    name,
    `param '${name}' nests lists and maps more than ${maxDepth} levels deep; the limit is ${maxDepth} (valueDepth)`,
  );
}

/** A SEL value as a plain value (arrays and maps unboxed), ready for coerceInput. */
function unboxSel(v: SelValue): unknown {
  if (v instanceof SelArray) return v.items.map((x) => unboxSel(x));
  if (v instanceof SelMap) {
    if (v.isNull) return null;
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.entries) out[k] = unboxSel(x);
    return out;
  }
  if (v === null || typeof v !== 'object') return v;
  return toJson(v); // DateTime, UUID and friends: their text
}

/**
 * An expression's result as a value of `type`. Stricter than run params: a STRING expression may return any
 * scalar (Java's String.valueOf), a DOUBLE one a LONG, but a LONG param needs a LONG (or numeric text), and arrays
 * need an array of the right element type (a LONG_ARRAY is accepted for DOUBLE_ARRAY).
 */
export function coerceSelResult(name: string, type: ParamType, result: SelResult): ParamValue {
  if (result === VOID)
    throw paramError(
      ParamErrorCode.PARAM_NULL,
      name,
      `param '${name}' of type ${type}: its expression returns no value (VOID)`,
    );
  if (result === null)
    throw paramError(
      ParamErrorCode.PARAM_NULL,
      name,
      `param '${name}' of type ${type}: its expression returns null`,
    );
  const selType = typeOf(result);
  if (type.endsWith('_ARRAY') && !(result instanceof SelArray)) mismatch(name, type, selType);
  if (type === 'STRING_ARRAY' && result instanceof SelArray && result.elem !== 'STRING')
    mismatch(name, type, selType);
  if ((type === 'MAP' || type === 'STRING_MAP') && !(result instanceof SelMap)) mismatch(name, type, selType);
  if (type === 'LONG' && typeof result === 'number')
    mismatch(name, type, selType, ' (use a LONG expression or a DOUBLE param)');
  if (
    (type === 'STRING' || type === 'LONG' || type === 'DOUBLE' || type === 'BOOLEAN') &&
    typeof result === 'object'
  )
    mismatch(name, type, selType);
  if (type === 'STRING' && typeof result === 'number') return javaDouble(result);
  try {
    return coerceInput(name, type, unboxSel(result));
  } catch (err) {
    if (err instanceof Error && 'paramCode' in err) mismatch(name, type, selType);
    throw err;
  }
}
