/**
 * SEL, Maestro's Java-subset expression language, as a sandboxed interpreter. Pure: no Node APIs, no `eval`.
 *
 * ```ts
 * const program = parseSel('x + 1;');
 * evaluateSel(program, { variables: { x: 41 } }); // 42n (LONG values are bigints)
 * ```
 */
import type { SelProgram } from './ast.js';
import { collectReferences, type SelReferences } from './check.js';
import { SelError } from './errors.js';
import { interpret, type EvaluateOptions } from './interpreter.js';
import { resolveLimits, type SelLimitPreset, type SelLimits } from './limits.js';
import { parseProgram } from './parser.js';
import './lib/datetime-core.js';
import type { SelResult } from './values.js';

export type { SelProgram } from './ast.js';
export type { SelReferences } from './check.js';
export { SEL_ERROR_CODES, SelError, type SelErrorCode } from './errors.js';
export type { EvaluateOptions } from './interpreter.js';
export { variablesParams, type SelParams, type SelVariables } from './lib/params.js';
export {
  DEFAULT_SEL_LIMITS,
  SEL_LIMIT_NAMES,
  SEL_LIMIT_PRESETS,
  resolveLimits,
  selLimitsFromJson,
  type SelLimitPreset,
  type SelLimits,
} from './limits.js';
export type { Clock } from './runtime.js';
export { display, fromJson, javaDouble, toJson, type SelInput, type SelTypeHint } from './convert.js';
export {
  typeOf,
  VOID,
  SelArray,
  SelDateTime,
  SelDays,
  SelFormatter,
  SelMap,
  SelProperty,
  SelUuid,
  SelZone,
  type SelResult,
  type SelTypeName,
  type SelValue,
  type SelVoid,
} from './values.js';

export interface ParseOptions {
  /** Only `length` matters when parsing (the source must be shorter than it). */
  readonly limits?: Partial<SelLimits> | SelLimitPreset;
  /**
   * Append the final `;` like Maestro's ExprEvaluator does for param expressions, so `x + 1` is accepted.
   * Raw SEL (the default) needs every statement terminated.
   */
  readonly autoSemicolon?: boolean;
}

/** Parses SEL source once; the program can then be evaluated many times. Throws SelError. */
export function parseSel(source: string, options: ParseOptions = {}): SelProgram {
  const limits = resolveLimits(options.limits);
  if (source.length >= limits.length)
    throw new SelError(
      'LIMIT_LENGTH',
      `Expression length is over the limit: ${limits.length} vs length: ${source.length}`,
      1,
      1,
    );
  return parseProgram(options.autoSemicolon === true ? `${source}\n;` : source);
}

/**
 * Evaluates a parsed program. Returns the value of the `return` statement or of the last top-level statement
 * (`VOID` when that statement has no value). Throws SelError for every failure, including `throw` in the
 * script (selCode THROWN) and going past any limit.
 */
export function evaluateSel(program: SelProgram, options: EvaluateOptions = {}): SelResult {
  return interpret(program, options);
}

export interface SelCheckResult {
  readonly ok: boolean;
  readonly error?: SelError;
  readonly references: SelReferences;
}

const NO_REFERENCES: SelReferences = Object.freeze({
  names: [],
  variables: [],
  params: [],
  steps: [],
  dynamicParams: false,
  unknownClasses: [],
});

/** The names a parsed program refers to (what `checkSel` reports), without parsing it again. */
export function referencesOf(program: SelProgram): SelReferences {
  return collectReferences(program);
}

/**
 * Static check without running: syntax, the length limit and unknown classes (`new Foo()`, `Foo x`), plus the
 * names the expression refers to.
 */
export function checkSel(source: string, options: ParseOptions = {}): SelCheckResult {
  try {
    const references = collectReferences(parseSel(source, options));
    const bad = references.unknownClasses[0];
    if (bad !== undefined) {
      const message = `SEL does not include class:  ${bad.name}. Please check the manual for supported classes`;
      return {
        ok: false,
        error: new SelError('UNSUPPORTED_CLASS', message, bad.line, bad.column),
        references,
      };
    }
    return { ok: true, references };
  } catch (err) {
    if (err instanceof SelError) return { ok: false, error: err, references: NO_REFERENCES };
    throw err;
  }
}
