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

export interface Issue {
  readonly code: string;
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

export function issue(code: string, path: JsonPath, message: string): Issue {
  return { code, path, message };
}
