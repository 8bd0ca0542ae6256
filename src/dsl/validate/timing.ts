import { hasParamReference, parseDurationMillis } from '../../model/duration.js';
import type { JsonPath } from '../../model/issue.js';
import type { ParsableLong, RetryPolicy } from '../../model/retry-policy.js';
import { BACKOFF_FIELDS, RETRY_LIMIT_FIELDS } from '../../model/retry-policy.js';
import { IssueCode, type Report } from './report.js';

/**
 * Timeouts and retry policies (REFERENCE §2.3, §4.4). Values that name params (`"${timeout}"`) are only known at
 * run time and are checked then; everything else is checked here.
 */
export function checkTimeout(report: Report, timeout: ParsableLong | undefined, path: JsonPath): void {
  if (timeout === undefined) return;
  let seconds: number;
  if (typeof timeout === 'number') {
    seconds = timeout;
  } else {
    if (hasParamReference(timeout)) return;
    const ms = parseDurationMillis(timeout);
    if (ms === undefined) {
      report.add(
        IssueCode.INVALID_DURATION,
        path,
        `timeout ${JSON.stringify(timeout)} is not a duration (e.g. 3600, "20 minutes", "1 day 3 hours")`,
      );
      return;
    }
    seconds = ms / 1000;
  }
  const max = report.limits.timeoutSeconds;
  if (!(seconds > 0) || seconds > max) {
    report.add(
      IssueCode.OUT_OF_RANGE,
      path,
      `timeout is ${seconds} seconds; it must be more than 0 and at most ${max} (${max / 86_400} days)`,
    );
  }
}

export function checkRetryPolicy(report: Report, policy: RetryPolicy | undefined, path: JsonPath): void {
  if (!policy) return;
  for (const field of RETRY_LIMIT_FIELDS) {
    checkNumber(report, policy[field], [...path, field], field, 0, report.limits.retryLimit);
  }
  for (const field of BACKOFF_FIELDS) {
    const max = field.endsWith('_exponent') ? 100 : report.limits.backoffSeconds;
    checkNumber(
      report,
      policy.backoff?.[field],
      [...path, 'backoff', field],
      field,
      field.endsWith('_exponent') ? 1 : 0,
      max,
    );
  }
}

function checkNumber(
  report: Report,
  value: ParsableLong | undefined,
  path: JsonPath,
  what: string,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  let n: number;
  if (typeof value === 'string') {
    if (hasParamReference(value)) return;
    if (!/^-?\d+$/.test(value.trim())) {
      report.add(
        IssueCode.INVALID_VALUE,
        path,
        `${what} ${JSON.stringify(value)} is neither a whole number nor a $param reference`,
      );
      return;
    }
    n = Number(value);
  } else {
    n = value;
  }
  if (!Number.isInteger(n) || n < min || n > max) {
    report.add(
      IssueCode.OUT_OF_RANGE,
      path,
      `${what} is ${n}; it must be a whole number from ${min} to ${max}`,
    );
  }
}
