import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { JobTemplate } from '../model/definition.js';
import type { Issue } from '../model/issue.js';
import { DEFAULT_LIMITS, resolveLimits, type Limits } from '../model/limits.js';
import { formatPath, isWarning } from '../model/issue.js';
import { byPosition, parseDefinitionText, type ParseResult } from '../dsl/parse.js';

export interface LoadedFile {
  readonly file: string;
  readonly result: ParseResult;
}

const DEFINITION_FILE = /\.(json|ya?ml)$/i;

/** Expands directories to the definition files in them (sorted), keeping explicit files as given. */
export function expandPaths(cwd: string, inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      out.push(input);
      continue;
    }
    if (!isDir) out.push(input);
    else
      for (const name of readdirSync(full)
        .filter((n) => DEFINITION_FILE.test(n))
        .sort())
        out.push(path.join(input, name));
  }
  return out;
}

/**
 * Reads and validates a batch of definition files. Job templates in the batch are read first, so a workflow whose
 * step names a template by `sub_type` is checked against it, as the server would.
 */
export function loadDefinitionFiles(cwd: string, files: readonly string[], limits?: Limits): LoadedFile[] {
  const texts = files.map((file) => ({ file, text: readText(cwd, file) }));
  const templates = new Map<string, JobTemplate>();
  for (const { file, text } of texts) {
    if (typeof text !== 'string') continue;
    const result = parseDefinitionText(text, { file, ...(limits ? { limits } : {}) });
    if (result.jobTemplate)
      templates.set(result.jobTemplate.definition.job_type.toLowerCase(), result.jobTemplate.definition);
  }
  return texts.map(({ file, text }) => ({
    file,
    result:
      typeof text === 'string'
        ? parseDefinitionText(text, { file, templates, ...(limits ? { limits } : {}) })
        : { format: 'json', issues: [{ file, code: 'UNREADABLE', path: [], message: text.error }] },
  }));
}

function readText(cwd: string, file: string): string | { error: string } {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error),
    };
  }
}

/**
 * `FILE:LINE:COLUMN: CODE: message (at path)`, the form editors and CI annotations understand; a warning reads
 * `FILE:LINE:COLUMN: warning: CODE: message (at path)`.
 */
export function formatIssue(issue: Issue): string {
  const where = [issue.file ?? '-', issue.line, issue.column].filter((x) => x !== undefined).join(':');
  const at = issue.path.length > 0 ? ` (at ${formatPath(issue.path)})` : '';
  return `${where}: ${isWarning(issue) ? 'warning: ' : ''}${issue.code}: ${issue.message}${at}`;
}

/** The warnings of loaded files, in file order and by position inside a file. */
export function warningsOf(loaded: readonly LoadedFile[]): Issue[] {
  return loaded.flatMap(({ result }) => [...(result.warnings ?? [])].sort(byPosition));
}

/** Reads `--limits '{"stepsPerList": 50}'`: known limit names with positive whole numbers, or an error message. */
export function parseLimitsOption(text: string | undefined): Limits | string | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `--limits must be a JSON object, such as '{"stepsPerList": 50}'`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '--limits must be a JSON object';
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key))
      return `--limits: unknown limit '${key}' (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`;
    if (!Number.isSafeInteger(value) || (value as number) < 0)
      return `--limits: '${key}' must be a whole number of at least 0`;
  }
  return resolveLimits(raw as Partial<Limits>);
}
