import { BatonError } from '../model/errors.js';

/**
 * Stable SEL error codes. One per failure kind of Maestro's netflix-sel (parse error, type mismatch, unsupported
 * method, limits, ...), so callers and tests can branch on the kind without parsing messages.
 */
export const SEL_ERROR_CODES = [
  'PARSE_ERROR',
  'TYPE_MISMATCH',
  'CLASS_CAST',
  'UNSUPPORTED_METHOD',
  'UNSUPPORTED_FIELD',
  'UNSUPPORTED_CLASS',
  'UNSUPPORTED_OPERATION',
  'UNSUPPORTED_TYPE',
  'ILLEGAL_ARGUMENT',
  'ILLEGAL_FIELD_VALUE',
  'INDEX_OUT_OF_BOUNDS',
  'NUMBER_FORMAT',
  'ARITHMETIC',
  'THROWN',
  'LIMIT_LENGTH',
  'LIMIT_STACK',
  'LIMIT_LOOP',
  'LIMIT_ARRAY',
  'LIMIT_VISIT',
  'LIMIT_MEMORY',
  'LIMIT_TIME',
] as const;
export type SelErrorCode = (typeof SEL_ERROR_CODES)[number];

/**
 * Every failure of parsing or evaluating SEL. `code` stays the shared BatonError code (a bad expression is bad
 * input, so VALIDATION_FAILED); `selCode` says which SEL failure it is. Line and column are 1-based and point at
 * the node that failed (0 when no position is known, e.g. the length limit checked before parsing).
 */
export class SelError extends BatonError {
  readonly selCode: SelErrorCode;
  readonly line: number;
  readonly column: number;

  constructor(
    selCode: SelErrorCode,
    message: string,
    line = 0,
    column = 0,
    options: { cause?: unknown } = {},
  ) {
    // A SelError points at the script (line, column), so a JS stack trace adds nothing but cost: capturing it
    // is ~90% of the price of an error, and validating or fuzzing scripts raises many. The change is synchronous
    // and undone at once. A wrapped library failure keeps its own stack in `cause`.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('VALIDATION_FAILED', message, { details: { selCode, line, column }, ...options });
    Error.stackTraceLimit = limit;
    this.selCode = selCode;
    this.line = line;
    this.column = column;
  }
}

/** A position-less error raised deep in the library; the interpreter stamps the calling node's position on it. */
export function selError(selCode: SelErrorCode, message: string): SelError {
  return new SelError(selCode, message);
}

/**
 * Stamps a position on an error that has none yet (library code does not know where it was called from). It
 * mutates instead of re-creating, because building an Error (its stack trace) is the costly part.
 */
export function withPosition(err: SelError, line: number, column: number): SelError {
  if (err.line !== 0) return err;
  const w = err as unknown as { line: number; column: number; details: unknown };
  w.line = line;
  w.column = column;
  w.details = { selCode: err.selCode, line, column };
  return err;
}
