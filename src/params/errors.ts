import { ValidationError } from '../model/errors.js';
import type { Issue, JsonPath } from '../model/issue.js';

/** Stable codes of param problems; each issue of a ParamError carries one. */
export const ParamErrorCode = {
  PARAM_TYPE_MISMATCH: 'PARAM_TYPE_MISMATCH',
  PARAM_NULL: 'PARAM_NULL',
  OVERRIDE_REJECTED: 'OVERRIDE_REJECTED',
  RESERVED_PARAM: 'RESERVED_PARAM',
  REQUIRED_PARAM: 'REQUIRED_PARAM',
  UNKNOWN_REFERENCE: 'UNKNOWN_REFERENCE',
  REFERENCE_NOT_EVALUATED: 'REFERENCE_NOT_EVALUATED',
  PARAM_CYCLE: 'PARAM_CYCLE',
  PARAMS_TOO_LARGE: 'PARAMS_TOO_LARGE',
  PARAM_TOO_DEEP: 'PARAM_TOO_DEEP',
  EVALUATION_FAILED: 'EVALUATION_FAILED',
  INVALID_DEFINITION: 'INVALID_DEFINITION',
} as const;
export type ParamErrorCode = (typeof ParamErrorCode)[keyof typeof ParamErrorCode];

export interface ParamIssue extends Issue {
  readonly code: ParamErrorCode;
  /** The param the problem is about (dotted for nested MAP params: `outer.inner`). */
  readonly param: string;
}

/**
 * Bad params: a run param of the wrong type, an override the mode forbids, a cycle, a failed expression. Carries
 * every issue found (never just the first); `paramCode` is the first issue's code, for callers that branch on one.
 */
export class ParamError extends ValidationError {
  override readonly issues: readonly ParamIssue[];
  readonly paramCode: ParamErrorCode;

  constructor(issues: readonly ParamIssue[], options: { cause?: unknown } = {}) {
    const first = issues[0];
    const message =
      issues.length === 1 && first
        ? first.message
        : `${issues.length} param problems: ${issues.map((i) => i.message).join('; ')}`;
    super(message, issues, options);
    this.issues = issues;
    this.paramCode = first?.code ?? ParamErrorCode.INVALID_DEFINITION;
  }
}

export function paramIssue(
  code: ParamErrorCode,
  param: string,
  message: string,
  path: JsonPath = ['params', param],
): ParamIssue {
  return { code, param, path, message };
}

/** One issue, thrown. */
export function paramError(
  code: ParamErrorCode,
  param: string,
  message: string,
  cause?: unknown,
): ParamError {
  return new ParamError([paramIssue(code, param, message)], cause === undefined ? {} : { cause });
}
