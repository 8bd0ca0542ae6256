import type { Issue } from './issue.js';

/**
 * Every error Baton raises on purpose has a code from this table; the table also gives the HTTP status the API
 * answers with, so the server never guesses.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // an action or request the current status does not allow (a refused stop, a restart of a running instance)
  ILLEGAL_STATE: 409,
  INTERNAL: 500,
  /** A feature that has not landed yet: said plainly, never answered with a fake success. */
  NOT_IMPLEMENTED: 501,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

/** Bad input: carries every issue found, never just the first. */
export class ValidationError extends BatonError {
  readonly issues: readonly Issue[];

  constructor(message: string, issues: readonly Issue[], options: { cause?: unknown } = {}) {
    super('VALIDATION_FAILED', message, { details: issues, ...options });
    this.issues = issues;
  }
}

export class NotFoundError extends BatonError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super('NOT_FOUND', message, options);
  }
}

export class ConflictError extends BatonError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super('CONFLICT', message, options);
  }
}

export class IllegalStateError extends BatonError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super('ILLEGAL_STATE', message, options);
  }
}

/** A request for a feature Baton does not have yet (the API answers 501 with this message). */
export class NotImplementedError extends BatonError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super('NOT_IMPLEMENTED', message, options);
  }
}
