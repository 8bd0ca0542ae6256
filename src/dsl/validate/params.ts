import type { ParamType } from '../../model/enums.js';
import type { JsonPath } from '../../model/issue.js';
import { isJsonObject } from '../../model/json.js';
import type { ParamDefinition, ParamMap } from '../../model/param.js';
import { checkParamName, checkTags } from './identifiers.js';
import { IssueCode, type Report } from './report.js';

/** What a literal of each param type must look like (REFERENCE §3.1). */
const LITERAL_CHECKS: Readonly<
  Record<ParamType, { readonly test: (v: unknown) => boolean; readonly expected: string }>
> = {
  STRING: { test: (v) => typeof v === 'string', expected: 'text' },
  LONG: { test: (v) => Number.isSafeInteger(v), expected: 'a whole number' },
  DOUBLE: { test: (v) => typeof v === 'number' && Number.isFinite(v), expected: 'a number' },
  BOOLEAN: { test: (v) => typeof v === 'boolean', expected: 'true or false' },
  STRING_MAP: {
    test: (v) => isJsonObject(v) && Object.values(v).every((x) => typeof x === 'string'),
    expected: 'a map of text values',
  },
  STRING_ARRAY: {
    test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
    expected: 'a list of text',
  },
  LONG_ARRAY: {
    test: (v) => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x)),
    expected: 'a list of whole numbers',
  },
  DOUBLE_ARRAY: {
    test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)),
    expected: 'a list of numbers',
  },
  BOOLEAN_ARRAY: {
    test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'boolean'),
    expected: 'a list of true/false',
  },
  MAP: { test: (v) => isJsonObject(v), expected: 'a map of param definitions' },
};

export interface ParamRules {
  /** Param types allowed here (signal params only take STRING or LONG). */
  readonly types?: readonly ParamType[];
  /** Names that may not be used here. */
  readonly forbiddenNames?: readonly string[];
  /** The params are the entries of a MAP literal, which the wire schema does not check. */
  readonly inMapLiteral?: boolean;
}

export function checkParamMap(
  report: Report,
  params: ParamMap | undefined,
  path: JsonPath,
  rules: ParamRules = {},
): void {
  if (!params) return;
  for (const [name, def] of Object.entries(params)) {
    const at = [...path, name];
    checkParamName(report, name, at);
    if (rules.forbiddenNames?.includes(name))
      report.add(IssueCode.RESERVED_NAME, at, `'${name}' cannot be used as a param name here`);
    checkParam(report, def, at, rules);
  }
  const size = JSON.stringify(params).length;
  if (size > report.limits.paramsJsonChars) {
    report.add(
      IssueCode.TOO_LARGE,
      path,
      `params take ${size} characters of JSON; the limit is ${report.limits.paramsJsonChars}`,
    );
  }
}

export function checkParam(
  report: Report,
  def: ParamDefinition,
  path: JsonPath,
  rules: ParamRules = {},
): void {
  if (!Object.hasOwn(LITERAL_CHECKS, def.type)) {
    // The wire schema reports an unknown type where it reads params; inside a MAP literal it does not look.
    if (rules.inMapLiteral) {
      report.add(
        IssueCode.INVALID_VALUE,
        [...path, 'type'],
        `param type must be one of ${Object.keys(LITERAL_CHECKS).join(', ')} (any case), not ${JSON.stringify(def.type)}; ` +
          'in a MAP value, a map with a "type" key is read as a param definition (to keep it as data, write it ' +
          'as {type: MAP, value: {...}})',
      );
    }
    return;
  }
  if (rules.types && !rules.types.includes(def.type)) {
    report.add(
      IssueCode.PARAM_TYPE_MISMATCH,
      [...path, 'type'],
      `this param must be of type ${rules.types.join(' or ')}, not ${def.type}`,
    );
  }
  const hasValue = def.value !== undefined;
  const hasExpression = def.expression !== undefined;
  if (hasValue && hasExpression) {
    report.add(IssueCode.VALUE_AND_EXPRESSION, path, 'a param has either a value or an expression, not both');
  } else if (!hasValue && !hasExpression && def.internal_mode === undefined) {
    report.add(IssueCode.NO_VALUE, path, 'a param needs a value or an expression');
  }
  if (hasExpression && def.expression!.trim() === '') {
    report.add(IssueCode.EMPTY_EXPRESSION, [...path, 'expression'], 'the expression is empty');
  }
  if (hasValue) checkLiteral(report, def, [...path, 'value']);
  checkTags(report, def.tags, [...path, 'tags']);
  const secret = def.meta?.['secret'];
  if (secret !== undefined && typeof secret !== 'boolean') {
    report.add(
      IssueCode.INVALID_VALUE,
      [...path, 'secret'],
      `secret is true (the API never shows this param's value) or false, not ${describe(secret)}`,
    );
  }
}

function checkLiteral(report: Report, def: ParamDefinition, path: JsonPath): void {
  const check = LITERAL_CHECKS[def.type];
  if (!check.test(def.value)) {
    report.add(
      IssueCode.PARAM_TYPE_MISMATCH,
      path,
      // A secret's value stays out of the message too: it may end up in an API answer or a log.
      `a ${def.type} param's value must be ${check.expected}, not ${def.meta?.['secret'] === true ? 'the value given (kept secret)' : describe(def.value)}`,
    );
    return;
  }
  if (def.type === 'MAP')
    checkParamMap(report, def.value as unknown as ParamMap, path, { inMapLiteral: true });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
