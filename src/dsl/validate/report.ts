import { IssueSeverity, type Issue, type JsonPath } from '../../model/issue.js';
import type { Limits } from '../../model/limits.js';

/** Collects issues while the rules walk the model; rules never throw and never stop at the first problem. */
export class Report {
  readonly issues: Issue[] = [];

  constructor(readonly limits: Limits) {}

  add(code: string, path: JsonPath, message: string): void {
    this.issues.push({ code, path, message });
  }

  /** Advice about a valid definition: kept beside the errors, but it never makes the definition invalid. */
  warn(code: string, path: JsonPath, message: string): void {
    this.issues.push({ code, severity: IssueSeverity.warning, path, message });
  }
}

/** Stable issue codes; the CLI prints them and tests match on them. */
export const IssueCode = {
  INVALID_TYPE: 'INVALID_TYPE',
  INVALID_VALUE: 'INVALID_VALUE',
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  MISSING: 'MISSING',
  SYNTAX: 'SYNTAX',
  INVALID_ID: 'INVALID_ID',
  RESERVED_NAME: 'RESERVED_NAME',
  TOO_LONG: 'TOO_LONG',
  DUPLICATE_ID: 'DUPLICATE_ID',
  DUPLICATE_TAG: 'DUPLICATE_TAG',
  UNKNOWN_SUCCESSOR: 'UNKNOWN_SUCCESSOR',
  PREDECESSOR_MISMATCH: 'PREDECESSOR_MISMATCH',
  CYCLE: 'CYCLE',
  TOO_MANY_STEPS: 'TOO_MANY_STEPS',
  TOO_DEEP: 'TOO_DEEP',
  EMPTY_STEPS: 'EMPTY_STEPS',
  VALUE_AND_EXPRESSION: 'VALUE_AND_EXPRESSION',
  NO_VALUE: 'NO_VALUE',
  PARAM_TYPE_MISMATCH: 'PARAM_TYPE_MISMATCH',
  EMPTY_EXPRESSION: 'EMPTY_EXPRESSION',
  REQUIRED_PARAM: 'REQUIRED_PARAM',
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  RUN_STRATEGY: 'RUN_STRATEGY',
  INVALID_DURATION: 'INVALID_DURATION',
  INVALID_CRON: 'INVALID_CRON',
  CRON_TOO_FREQUENT: 'CRON_TOO_FREQUENT',
  INVALID_TIMEZONE: 'INVALID_TIMEZONE',
  SIGNAL_RULE: 'SIGNAL_RULE',
  TOO_LARGE: 'TOO_LARGE',
  SEL_SYNTAX: 'SEL_SYNTAX',
  UNKNOWN_REFERENCE: 'UNKNOWN_REFERENCE',
  /** Warning: a Shell command interpolates a value that a run or another step can set (docs/steps.md). */
  SHELL_INTERPOLATION: 'SHELL_INTERPOLATION',
} as const;
