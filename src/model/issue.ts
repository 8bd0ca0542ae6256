/**
 * A problem found in user input (a definition, params, an API body). Validation never stops at the first
 * problem: it returns every issue, each with a stable `code`, the JSON path of the offending value and, when the
 * input came from a file, the position of that value in the file (1-based line and column).
 */
export type JsonPath = readonly (string | number)[];

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * How much an issue matters. An `error` makes the input invalid (it is rejected); a `warning` is advice about input
 * that is valid and is accepted as it is. An issue without a severity is an error, as every issue was before
 * warnings existed.
 */
export const IssueSeverity = { error: 'error', warning: 'warning' } as const;
export type IssueSeverity = (typeof IssueSeverity)[keyof typeof IssueSeverity];

export interface Issue {
  readonly code: string;
  /** Absent means `error`. */
  readonly severity?: IssueSeverity;
  readonly path: JsonPath;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Renders a JSON path the way users read it: `workflow.steps[2].step.id`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '$' : out;
}

export function isWarning(issue: Issue): boolean {
  return issue.severity === IssueSeverity.warning;
}

export function issue(code: string, path: JsonPath, message: string): Issue {
  return { code, path, message };
}
