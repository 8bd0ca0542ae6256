import type { JsonPath } from '../../model/issue.js';
import { parseDurationMillis } from '../../model/duration.js';
import type { SignalTrigger, TimeTrigger } from '../../model/trigger.js';
import { compileCron, isValidTimeZone, minimumIntervalSeconds, PREDEFINED_CRON } from '../cron.js';
import { checkParamMap } from './params.js';
import { IssueCode, type Report } from './report.js';

/** A fixed instant to sample cron schedules from, so validation gives the same answer every day. */
const CRON_SAMPLE_FROM = new Date(Date.UTC(2024, 0, 1));

export function checkTimeTrigger(report: Report, trigger: TimeTrigger, path: JsonPath): void {
  const zone = trigger.timezone ?? 'UTC';
  if (trigger.timezone !== undefined && !isValidTimeZone(trigger.timezone)) {
    report.add(
      IssueCode.INVALID_TIMEZONE,
      [...path, 'timezone'],
      `'${trigger.timezone}' is not a known time zone (use an IANA name such as 'America/Los_Angeles')`,
    );
  }
  const fuzzy = trigger.fuzzy_max_delay;
  if (typeof fuzzy === 'string' && parseDurationMillis(fuzzy) === undefined) {
    report.add(
      IssueCode.INVALID_DURATION,
      [...path, 'fuzzy_max_delay'],
      `fuzzy_max_delay ${JSON.stringify(fuzzy)} is not a duration (e.g. "30s", "2 hours")`,
    );
  } else if (typeof fuzzy === 'number' && !(Number.isInteger(fuzzy) && fuzzy >= 0 && fuzzy <= 86_400)) {
    // A bare number is seconds (Maestro reads it inconsistently; see docs/definitions.md).
    report.add(
      IssueCode.OUT_OF_RANGE,
      [...path, 'fuzzy_max_delay'],
      `fuzzy_max_delay is ${fuzzy}; as a number it is whole seconds from 0 to 86400`,
    );
  }
  let expression: string | undefined;
  let field: string;
  switch (trigger.type) {
    case 'CRON':
      expression = trigger.cron;
      field = 'cron';
      break;
    case 'PREDEFINED':
      expression = trigger.expression;
      field = 'expression';
      if (expression !== undefined && !Object.hasOwn(PREDEFINED_CRON, expression.trim().toLowerCase())) {
        report.add(
          IssueCode.INVALID_CRON,
          [...path, field],
          `'${expression}' is not one of ${Object.keys(PREDEFINED_CRON).join(', ')}`,
        );
        return;
      }
      break;
    case 'INTERVAL':
      report.add(
        IssueCode.INVALID_VALUE,
        [...path, 'type'],
        'INTERVAL time triggers are not supported (Maestro cannot compute their fire times either); use CRON',
      );
      return;
    default:
      return; // an unknown type is reported by the wire schema
  }
  if (expression === undefined || expression.trim() === '') {
    report.add(IssueCode.MISSING, [...path, field], `a ${trigger.type} time trigger needs '${field}'`);
    return;
  }
  const compiled = compileCron(expression, isValidTimeZone(zone) ? zone : 'UTC');
  if (!compiled.ok) {
    report.add(
      IssueCode.INVALID_CRON,
      [...path, field],
      `cron '${expression}' is not valid: ${compiled.error}`,
    );
    return;
  }
  const interval = minimumIntervalSeconds(compiled.cron, CRON_SAMPLE_FROM);
  if (interval < report.limits.cronMinIntervalSeconds) {
    report.add(
      IssueCode.CRON_TOO_FREQUENT,
      [...path, field],
      `cron '${expression}' fires every ${interval} seconds; the minimum interval is ${report.limits.cronMinIntervalSeconds} seconds`,
    );
  }
}

export function checkSignalTrigger(report: Report, trigger: SignalTrigger, path: JsonPath): void {
  const names = Object.keys(trigger.definitions);
  const at = [...path, 'definitions'];
  if (names.length === 0) report.add(IssueCode.MISSING, at, 'a signal trigger needs at least one signal');
  if (names.length > report.limits.signalsPerTrigger) {
    report.add(
      IssueCode.SIGNAL_RULE,
      at,
      `a signal trigger names ${names.length} signals; the limit is ${report.limits.signalsPerTrigger}`,
    );
  }
  let joinLength: number | undefined;
  for (const name of names) {
    const entry = trigger.definitions[name]!;
    if (name.trim() === '') report.add(IssueCode.MISSING, [...at, name], 'a signal name cannot be empty');
    const joins = entry.join_keys ?? [];
    if (joinLength === undefined) joinLength = joins.length;
    else if (joins.length !== joinLength) {
      report.add(
        IssueCode.SIGNAL_RULE,
        [...at, name, 'join_keys'],
        `every signal of a trigger needs the same number of join_keys (${joinLength}), but '${name}' has ${joins.length}`,
      );
    }
    for (const [param, match] of Object.entries(entry.match_params ?? {})) {
      // A LONG is matched against LONG signal params: a fraction or a number past 2^53 would match nothing, and the
      // store could not even compare it.
      if (typeof match.value === 'number' && !Number.isSafeInteger(match.value)) {
        report.add(
          IssueCode.SIGNAL_RULE,
          [...at, name, 'match_params', param, 'value'],
          `match value ${match.value} of '${param}' is not a whole number from -(2^53-1) to 2^53-1 (a LONG)`,
        );
      }
    }
    for (const key of joins) {
      if (entry.match_params && Object.hasOwn(entry.match_params, key)) {
        report.add(
          IssueCode.SIGNAL_RULE,
          [...at, name, 'join_keys'],
          `'${key}' cannot be both a join key and a match param of signal '${name}'`,
        );
      }
    }
  }
  if (trigger.condition !== undefined && trigger.condition.trim() === '') {
    report.add(IssueCode.EMPTY_EXPRESSION, [...path, 'condition'], 'the condition is empty');
  }
  if (trigger.dedup_expr !== undefined && trigger.dedup_expr.trim() === '') {
    report.add(IssueCode.EMPTY_EXPRESSION, [...path, 'dedup_expr'], 'dedup_expr is empty');
  }
  checkParamMap(report, trigger.params, [...path, 'params']);
}
