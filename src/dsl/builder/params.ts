/**
 * Param definitions: `{value, type}` xor `{expression, type}` plus optional `mode`, `validator` and `tags`
 * (REFERENCE §3.1). One factory per param type, named after it, so the literal a user passes is checked against
 * the type they chose: `long(5)` compiles, `long('5')` does not, `long(expr('1 + 1'))` is a SEL expression.
 */
import { compact, frozenCopy, mapValues } from './json-util.js';
import type { ParamMode, ParamType, TagListJson } from './vocabulary.js';

/**
 * Marks an expression. A symbol brand, not a plain `{expression}` object, because a STRING_MAP literal may
 * legitimately have a key named "expression" and must not be mistaken for SEL.
 */
export const EXPR_BRAND: unique symbol = Symbol.for('baton.builder.expr');

/** A SEL expression, evaluated by Baton when the param is resolved. Make one with {@link expr}. */
export interface Expr {
  readonly [EXPR_BRAND]: true;
  readonly expression: string;
}

/**
 * A SEL expression for a param value: `long(expr('Util.dateIntToTs(TARGET_RUN_DATE)'))`.
 * The text is written unchanged; its syntax is checked by the validator, not here.
 */
export function expr(expression: string): Expr {
  return Object.freeze({ [EXPR_BRAND]: true as const, expression });
}

function isExpr(value: unknown): value is Expr {
  return typeof value === 'object' && value !== null && (value as Partial<Expr>)[EXPR_BRAND] === true;
}

/** The literal value type of each param type. DOUBLE is a JSON number (Maestro reads it as a BigDecimal). */
export interface ParamValues {
  STRING: string;
  LONG: number;
  DOUBLE: number;
  BOOLEAN: boolean;
  STRING_MAP: { readonly [key: string]: string };
  STRING_ARRAY: readonly string[];
  LONG_ARRAY: readonly number[];
  DOUBLE_ARRAY: readonly number[];
  BOOLEAN_ARRAY: readonly boolean[];
  /** A MAP's value is itself a map of param definitions (e.g. a foreach's `loop_params`). */
  MAP: Params;
}

export interface ParamOptions {
  readonly mode?: ParamMode;
  /** A validation rule kept with the definition, e.g. `"@NotNull"` or `"param > 0"`. */
  readonly validator?: string;
  readonly tags?: TagListJson;
}

export type LiteralParamDef<T extends ParamType> = {
  readonly value: ParamValues[T];
  readonly expression?: never;
  readonly type: T;
} & ParamOptions;

export type ExpressionParamDef<T extends ParamType> = {
  readonly expression: string;
  readonly value?: never;
  readonly type: T;
} & ParamOptions;

/**
 * A param definition as it appears in the JSON. Distributes over `T`, so `ParamDef` alone is the union of all
 * well-typed definitions, and a hand-written `{ type: 'LONG', value: 'x' }` is rejected too.
 */
export type ParamDef<T extends ParamType = ParamType> = T extends ParamType
  ? LiteralParamDef<T> | ExpressionParamDef<T>
  : never;

/** Params by name, as in `workflow.params` and a step's `params`. */
export type Params = { readonly [name: string]: ParamDef };

export type ArrayParamType = 'STRING_ARRAY' | 'LONG_ARRAY' | 'DOUBLE_ARRAY' | 'BOOLEAN_ARRAY';
export type ScalarParamType = 'STRING' | 'LONG' | 'DOUBLE' | 'BOOLEAN';

function define<T extends ParamType>(
  type: T,
  value: ParamValues[T] | Expr,
  options: ParamOptions | undefined,
): ParamDef<T> {
  const source = isExpr(value)
    ? { expression: value.expression }
    : { value: type === 'MAP' ? copyParams(value as Params) : frozenCopy(value) };
  return compact({
    ...source,
    type,
    mode: options?.mode,
    validator: options?.validator,
    tags: options?.tags === undefined ? undefined : frozenCopy(options.tags),
  }) as unknown as ParamDef<T>;
}

/** Copies a params map; every entry is already a definition, but may be a hand-written, mutable object. */
export function copyParams(params: Params): Params {
  return mapValues(params, (def) => frozenCopy(def));
}

export function string(value: string | Expr, options?: ParamOptions): ParamDef<'STRING'> {
  return define('STRING', value, options);
}
export function long(value: number | Expr, options?: ParamOptions): ParamDef<'LONG'> {
  return define('LONG', value, options);
}
export function double(value: number | Expr, options?: ParamOptions): ParamDef<'DOUBLE'> {
  return define('DOUBLE', value, options);
}
export function boolean(value: boolean | Expr, options?: ParamOptions): ParamDef<'BOOLEAN'> {
  return define('BOOLEAN', value, options);
}
export function stringMap(
  value: { readonly [key: string]: string } | Expr,
  options?: ParamOptions,
): ParamDef<'STRING_MAP'> {
  return define('STRING_MAP', value, options);
}
export function stringArray(
  value: readonly string[] | Expr,
  options?: ParamOptions,
): ParamDef<'STRING_ARRAY'> {
  return define('STRING_ARRAY', value, options);
}
export function longArray(value: readonly number[] | Expr, options?: ParamOptions): ParamDef<'LONG_ARRAY'> {
  return define('LONG_ARRAY', value, options);
}
export function doubleArray(
  value: readonly number[] | Expr,
  options?: ParamOptions,
): ParamDef<'DOUBLE_ARRAY'> {
  return define('DOUBLE_ARRAY', value, options);
}
export function booleanArray(
  value: readonly boolean[] | Expr,
  options?: ParamOptions,
): ParamDef<'BOOLEAN_ARRAY'> {
  return define('BOOLEAN_ARRAY', value, options);
}
/** A MAP param: named nested definitions, `map({ table: string('t'), limit: long(10) })`. */
export function map(value: Params | Expr, options?: ParamOptions): ParamDef<'MAP'> {
  return define('MAP', value, options);
}
