import { DslIssueCode } from './issue-codes.js';

/** Maestro's param types (`ParamType`), as written in a JSON param definition. */
export type ParamTypeName =
  | 'STRING'
  | 'LONG'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'STRING_MAP'
  | 'STRING_ARRAY'
  | 'LONG_ARRAY'
  | 'DOUBLE_ARRAY'
  | 'BOOLEAN_ARRAY'
  | 'MAP';

/** Maestro's `ParamMode` values; the DSL accepts them in any case and writes them in upper case. */
export const PARAM_MODES = [
  'CONSTANT',
  'IMMUTABLE',
  'MUTABLE',
  'MUTABLE_ON_START',
  'MUTABLE_ON_START_RESTART',
] as const;
export type ParamModeName = (typeof PARAM_MODES)[number];

/** What a DSL param key such as `!foo<array<long>>(constant)` says about the param. */
export interface ParamKey {
  readonly name: string;
  /** `!foo`: the value is SEL source, not a literal. */
  readonly expression: boolean;
  readonly type?: ParamTypeName;
  readonly mode?: ParamModeName;
}

export interface ParamKeyError {
  readonly code:
    typeof DslIssueCode.paramBadKey | typeof DslIssueCode.paramBadType | typeof DslIssueCode.paramBadMode;
  readonly message: string;
}

// The DSL's own short names come first: `map` is a string map and `pmap` a map of param definitions, because a
// string map is what people mean most of the time. Maestro's full type names are accepted too.
const TYPE_NAMES: Readonly<Record<string, ParamTypeName>> = {
  STRING: 'STRING',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  MAP: 'STRING_MAP',
  PMAP: 'MAP',
  'ARRAY<STRING>': 'STRING_ARRAY',
  'ARRAY<LONG>': 'LONG_ARRAY',
  'ARRAY<DOUBLE>': 'DOUBLE_ARRAY',
  'ARRAY<BOOLEAN>': 'BOOLEAN_ARRAY',
  STRING_MAP: 'STRING_MAP',
  STRING_ARRAY: 'STRING_ARRAY',
  LONG_ARRAY: 'LONG_ARRAY',
  DOUBLE_ARRAY: 'DOUBLE_ARRAY',
  BOOLEAN_ARRAY: 'BOOLEAN_ARRAY',
};

const SUPPORTED_TYPES = 'string, long, double, boolean, map, pmap, array<string|long|double|boolean>';

// name, then an optional <type> (which may nest one level: array<long>), then an optional (mode).
const KEY_SYNTAX = /^(!?)\s*([^\s<>()!]+)\s*(?:<(.*)>)?\s*(?:\(([^()]*)\))?$/s;

/**
 * Reads the DSL param key syntax: `foo`, `!foo`, `foo<long>`, `foo<array<long>>`, `foo<map>`, `foo<pmap>`,
 * `foo<long>(constant)`, `!foo<long>(immutable)`. Example: `parseParamKey('!n<long>(constant)')` gives
 * `{ name: 'n', expression: true, type: 'LONG', mode: 'CONSTANT' }`.
 */
export function parseParamKey(raw: string): ParamKey | ParamKeyError {
  const text = raw.trim();
  const m = KEY_SYNTAX.exec(text);
  if (!m) {
    return {
      code: DslIssueCode.paramBadKey,
      message: `invalid param key '${raw}': expected name, !name, name<type> or name<type>(mode)`,
    };
  }
  const [, bang, name = '', typeText, modeText] = m;
  let type: ParamTypeName | undefined;
  if (typeText !== undefined) {
    type = TYPE_NAMES[typeText.replace(/\s+/g, '').toUpperCase()];
    if (type === undefined) {
      return {
        code: DslIssueCode.paramBadType,
        message: `unknown param type '${typeText.trim()}' in '${raw}'; supported: ${SUPPORTED_TYPES}`,
      };
    }
  }
  let mode: ParamModeName | undefined;
  if (modeText !== undefined) {
    const wanted = modeText.trim().toUpperCase();
    mode = PARAM_MODES.find((p) => p === wanted);
    if (mode === undefined) {
      return {
        code: DslIssueCode.paramBadMode,
        message: `unknown param mode '${modeText.trim()}' in '${raw}'; supported: ${PARAM_MODES.join(', ').toLowerCase()}`,
      };
    }
  }
  return {
    name,
    expression: bang === '!',
    ...(type !== undefined ? { type } : {}),
    ...(mode !== undefined ? { mode } : {}),
  };
}

export function isParamKeyError(k: ParamKey | ParamKeyError): k is ParamKeyError {
  return 'code' in k;
}

/**
 * True when a map key is written in param syntax (`!x`, `x<long>`, `x(constant)`), so an untyped map holding it
 * must be a map of param definitions (MAP) even if all its values are scalars.
 */
export function looksLikeParamSyntax(key: string): boolean {
  const k = parseParamKey(key);
  return !isParamKeyError(k) && (k.expression || k.type !== undefined || k.mode !== undefined);
}
