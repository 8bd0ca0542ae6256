import type { JsonPath } from '../../model/issue.js';
import { RESERVED_PARAM_NAMES } from '../../model/param.js';
import type { Tag } from '../../model/tag.js';
import { IssueCode, type Report } from './report.js';

/** Id and name rules of REFERENCE §2.3/§2.4 and §3.1. */
const WORKFLOW_ID = /^[_a-zA-Z0-9][.\-_a-zA-Z0-9]*$/;
const STEP_ID = /^[_a-zA-Z][.\-_a-zA-Z0-9]*$/;
const PARAM_NAME = /^[_a-zA-Z][.\-_a-zA-Z0-9]*$/;
const RESERVED_PREFIX = 'maestro_';

export function checkWorkflowId(report: Report, id: string, path: JsonPath): void {
  if (id === '') return report.add(IssueCode.MISSING, path, 'the workflow needs an id');
  checkLength(report, id, report.limits.idLength, path, 'workflow id');
  if (!WORKFLOW_ID.test(id)) {
    report.add(IssueCode.INVALID_ID, path, `workflow id '${id}' must match [_a-zA-Z0-9][.\\-_a-zA-Z0-9]*`);
  }
  if (id.startsWith(RESERVED_PREFIX) || id.endsWith('_maestro')) {
    report.add(
      IssueCode.RESERVED_NAME,
      path,
      `workflow id '${id}' must not start with 'maestro_' or end with '_maestro'`,
    );
  }
}

export function checkStepId(report: Report, id: string, path: JsonPath): void {
  if (id === '') return report.add(IssueCode.MISSING, path, 'every step needs an id');
  checkLength(report, id, report.limits.idLength, path, 'step id');
  if (!STEP_ID.test(id))
    report.add(IssueCode.INVALID_ID, path, `step id '${id}' must match [_a-zA-Z][.\\-_a-zA-Z0-9]*`);
  if (id.includes('__')) {
    report.add(
      IssueCode.INVALID_ID,
      path,
      `step id '${id}' must not contain '__' (it separates step and param in references)`,
    );
  }
  if (id.startsWith(RESERVED_PREFIX)) {
    report.add(
      IssueCode.RESERVED_NAME,
      path,
      `step id '${id}' must not start with the reserved prefix 'maestro_'`,
    );
  }
}

export function checkParamName(report: Report, name: string, path: JsonPath): void {
  const problem = paramNameProblem(name, report.limits.idLength);
  if (problem && problem.code !== IssueCode.TOO_LONG) report.add(problem.code, path, problem.message);
  checkLength(report, name, report.limits.idLength, path, 'param name');
}

/**
 * What is wrong with a param name, or undefined when nothing is: the one rule for names in a definition and names
 * given elsewhere (`baton run --param NAME=VALUE`).
 */
export function paramNameProblem(
  name: string,
  maxLength: number,
): { readonly code: string; readonly message: string } | undefined {
  if (!PARAM_NAME.test(name)) {
    return {
      code: IssueCode.INVALID_ID,
      message: `param name '${name}' must match [_a-zA-Z][.\\-_a-zA-Z0-9]*`,
    };
  }
  if (RESERVED_PARAM_NAMES.has(name))
    return { code: IssueCode.RESERVED_NAME, message: `param name '${name}' is reserved` };
  if (name.length > maxLength) {
    return {
      code: IssueCode.TOO_LONG,
      message: `param name is ${name.length} characters long; the limit is ${maxLength}`,
    };
  }
  return undefined;
}

export function checkLength(
  report: Report,
  value: string | undefined,
  max: number,
  path: JsonPath,
  what: string,
): void {
  if (value !== undefined && value.length > max) {
    report.add(IssueCode.TOO_LONG, path, `${what} is ${value.length} characters long; the limit is ${max}`);
  }
}

export function checkTags(report: Report, tags: readonly Tag[] | undefined, path: JsonPath): void {
  const seen = new Set<string>();
  tags?.forEach((tag, i) => {
    if (tag.name === '') report.add(IssueCode.MISSING, [...path, i], 'a tag needs a name');
    if (seen.has(tag.name))
      report.add(IssueCode.DUPLICATE_TAG, [...path, i], `tag '${tag.name}' appears twice`);
    seen.add(tag.name);
    checkLength(report, tag.name, report.limits.nameLength, [...path, i], 'tag name');
  });
}
