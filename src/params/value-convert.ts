import type { ParamType } from '../model/enums.js';
import type { JsonValue } from '../model/json.js';
import { javaDouble, SelArray, SelMap, type SelInput, type SelValue } from '../sel/index.js';
import type { ParamScalar, ParamValue, ParamValueMap } from './types.js';

// Evaluated values out to JSON (what instances store and the API answers), to SEL (what expressions read) and to
// text (what interpolation writes).

/** The type a value of a MAP entry has, from its JS shape. */
export function typeOfValue(v: ParamValue): ParamType {
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'bigint') return 'LONG';
  if (typeof v === 'number') return 'DOUBLE';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (Array.isArray(v)) {
    const first: unknown = v[0];
    if (typeof first === 'bigint') return 'LONG_ARRAY';
    if (typeof first === 'number') return 'DOUBLE_ARRAY';
    if (typeof first === 'boolean') return 'BOOLEAN_ARRAY';
    return 'STRING_ARRAY';
  }
  return 'MAP';
}

/** A value as JSON: LONGs within 2^53 as numbers, beyond as decimal strings (like SEL's toJson). */
export function paramValueToJson(v: ParamValue | null): JsonValue {
  if (v === null) return null;
  if (typeof v === 'bigint')
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return (v as readonly ParamValue[]).map((x) => paramValueToJson(x));
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of Object.entries(v as ParamValueMap)) out[k] = paramValueToJson(x);
  return out;
}

/** A value as SEL sees it: typed arrays keep their element type even when empty. */
export function paramValueToSel(type: ParamType, v: ParamValue): SelInput {
  switch (type) {
    case 'STRING_ARRAY':
      return new SelArray('STRING', [...(v as readonly string[])]);
    case 'LONG_ARRAY':
      return new SelArray('LONG', [...(v as readonly bigint[])]);
    case 'DOUBLE_ARRAY':
      return new SelArray('DOUBLE', [...(v as readonly number[])]);
    case 'BOOLEAN_ARRAY':
      return new SelArray('BOOLEAN', [...(v as readonly boolean[])]);
    case 'MAP':
    case 'STRING_MAP': {
      const m = new Map<string, SelValue>();
      for (const [k, x] of Object.entries(v as ParamValueMap)) {
        if (x !== null) m.set(k, toSelValue(x));
      }
      return new SelMap(m);
    }
    case 'STRING':
    case 'LONG':
    case 'DOUBLE':
    case 'BOOLEAN':
      return v as ParamScalar;
  }
}

function toSelValue(v: ParamValue): SelValue {
  const boxed = paramValueToSel(typeOfValue(v), v);
  return boxed as SelValue;
}

/** How a value reads inside an interpolated string: scalars as text, arrays and maps as JSON. */
export function formatParamValue(v: ParamValue): string {
  if (typeof v === 'object') return JSON.stringify(paramValueToJson(v));
  return typeof v === 'number' ? javaDouble(v) : String(v);
}
