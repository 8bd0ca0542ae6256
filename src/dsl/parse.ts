import { LineCounter, parseDocument } from 'yaml';
import type { JobTemplate, JobTemplateCreateRequest, WorkflowCreateRequest } from '../model/definition.js';
import { isWarning, type Issue, type JsonPath, type SourcePosition } from '../model/issue.js';
import { deepFreeze, isJsonObject, type JsonObject } from '../model/json.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import { convertMaestroDsl, isMaestroDsl } from './maestro-dsl/index.js';
import { normalizeCreateRequest, normalizeJobTemplateRequest } from './normalize-request.js';
import { sourceLocator } from './source-map.js';
import { createRequestSchema, jobTemplateRequestSchema } from './wire-schema.js';
import { fromZodIssues } from './wire-issues.js';
import { IssueCode, validateCreateRequest, validateJobTemplateRequest } from './validate/index.js';

export interface ParseOptions {
  readonly limits?: Limits;
  /** Job templates by job type, for steps with a `sub_type` (templates in the same batch of files count). */
  readonly templates?: ReadonlyMap<string, JobTemplate>;
  readonly requireOwner?: boolean;
  /** Shown in issues; `baton validate` passes the file name. */
  readonly file?: string;
}

export type DefinitionFormat = 'json' | 'yaml' | 'maestro-dsl' | 'object';

/** What a definition turned into: a workflow or a job template when it is valid, and every issue otherwise. */
export interface ParseResult {
  readonly format: DefinitionFormat;
  readonly workflow?: WorkflowCreateRequest;
  readonly jobTemplate?: JobTemplateCreateRequest;
  /** The wire JSON that was validated (for the YAML DSL, what it converted to). */
  readonly json?: unknown;
  /** Errors: the definition is valid (and `workflow` or `jobTemplate` set) only when there are none. */
  readonly issues: readonly Issue[];
  /** Advice about a definition that is valid all the same (severity `warning`); absent when there is none. */
  readonly warnings?: readonly Issue[];
}

/**
 * Reads a definition from text in any of the file forms: Maestro JSON, the same structure as YAML, or Maestro's
 * YAML DSL; a job template (`{"definition": {"job_type": ...}}`) is recognised too. Issues carry the file's line and
 * column. Never throws on bad input.
 */
export function parseDefinitionText(text: string, options: ParseOptions = {}): ParseResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const format = /^\s*[[{]/.test(text) ? 'json' : 'yaml';
  if (text.length > limits.requestBytes) {
    return withFile(
      {
        format,
        issues: [
          {
            code: IssueCode.TOO_LARGE,
            path: [],
            message: `the definition is ${text.length} bytes; the limit is ${limits.requestBytes}`,
            line: 1,
            column: 1,
          },
        ],
      },
      options.file,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): Issue => {
      const pos = e.linePos?.[0];
      return {
        code: IssueCode.SYNTAX,
        path: [],
        message: e.message.split('\n')[0] ?? e.message,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      };
    });
    return withFile({ format, issues }, options.file);
  }
  if (isMaestroDsl(doc)) {
    const dsl = convertMaestroDsl(doc, lineCounter);
    if (dsl.issues.length > 0 || !dsl.request)
      return withFile({ format: 'maestro-dsl', issues: dsl.issues }, options.file);
    const result = parseDefinition(dsl.request, options);
    const locate = (p: JsonPath) => dsl.locate(p);
    return withFile({ ...withPositions(result, locate), format: 'maestro-dsl' }, options.file);
  }
  let json: unknown;
  try {
    json = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Aliases are resolved here: one that points nowhere, or an alias bomb, is a syntax problem of the file.
    const message = error instanceof Error ? error.message : String(error);
    return withFile(
      { format, issues: [{ code: IssueCode.SYNTAX, path: [], message, line: 1, column: 1 }] },
      options.file,
    );
  }
  const locate = sourceLocator(doc, lineCounter);
  const result = parseDefinition(json, options);
  return withFile({ ...withPositions(result, locate), format }, options.file);
}

/** Validates a definition already in memory (an API body, the TypeScript builder's output). */
export function parseDefinition(json: unknown, options: ParseOptions = {}): ParseResult {
  if (isJobTemplateRequest(json)) {
    const jobTemplate = normalizeJobTemplateRequest(json);
    const issues = checked(jobTemplateRequestSchema.safeParse(json, { reportInput: true }), () =>
      validateJobTemplateRequest(jobTemplate, { limits: options.limits ?? DEFAULT_LIMITS }),
    );
    return issues.length > 0
      ? { format: 'object', json, issues }
      : { format: 'object', json, jobTemplate: deepFreeze(jobTemplate), issues };
  }
  if (!isJsonObject(json)) {
    return {
      format: 'object',
      json,
      issues: [
        { code: IssueCode.INVALID_TYPE, path: [], message: 'a definition is a map with a "workflow" key' },
      ],
    };
  }
  const workflow = normalizeCreateRequest(json);
  const all = checked(createRequestSchema.safeParse(json, { reportInput: true }), () =>
    validateCreateRequest(workflow, {
      limits: options.limits ?? DEFAULT_LIMITS,
      templates: options.templates ?? new Map(),
      requireOwner: options.requireOwner ?? true,
    }),
  );
  const issues = all.filter((issue) => !isWarning(issue));
  const warnings = all.filter(isWarning);
  const advice = warnings.length > 0 ? { warnings } : {};
  return issues.length > 0
    ? { format: 'object', json, issues, ...advice }
    : { format: 'object', json, workflow: deepFreeze(workflow), issues, ...advice };
}

export function isJobTemplateRequest(json: unknown): json is JsonObject {
  return (
    isJsonObject(json) &&
    !('workflow' in json) &&
    isJsonObject(json['definition']) &&
    'job_type' in json['definition']
  );
}

/**
 * Structure first, then the rules on the normalized model. A rule's issue inside a value the structure check
 * already rejected is a consequence, not news, so it is dropped.
 */
function checked(
  structure: { success: boolean; error?: { issues: readonly unknown[] } },
  rules: () => Issue[],
): Issue[] {
  const structural = structure.success
    ? []
    : fromZodIssues((structure.error?.issues ?? []) as Parameters<typeof fromZodIssues>[0]);
  const semantic = rules().filter((issue) => !structural.some((s) => isPrefix(s.path, issue.path)));
  return [...structural, ...semantic];
}

function isPrefix(prefix: JsonPath, path: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(p) === String(path[i]));
}

/** Issues whose position is the key rather than the value (the key is what is wrong). */
const KEY_CODES: ReadonlySet<string> = new Set([
  IssueCode.UNKNOWN_KEY,
  IssueCode.UNKNOWN_SUCCESSOR,
  IssueCode.CYCLE,
]);

function positioned(
  issues: readonly Issue[],
  locate: (path: JsonPath, pointAtKey?: boolean) => SourcePosition | undefined,
): Issue[] {
  return issues.map((issue) => {
    const atKey = KEY_CODES.has(issue.code) || isParamNameIssue(issue);
    const pos = locate(issue.path, atKey);
    return pos ? { ...issue, line: pos.line, column: pos.column } : issue;
  });
}

function isParamNameIssue(issue: Issue): boolean {
  const parent = issue.path[issue.path.length - 2];
  return (
    (issue.code === IssueCode.INVALID_ID || issue.code === IssueCode.RESERVED_NAME) &&
    (parent === 'params' || parent === 'value')
  );
}

function withPositions(
  result: ParseResult,
  locate: (path: JsonPath, pointAtKey?: boolean) => SourcePosition | undefined,
): ParseResult {
  const issues = positioned(result.issues, locate);
  return result.warnings === undefined
    ? { ...result, issues }
    : { ...result, issues, warnings: positioned(result.warnings, locate) };
}

function withFile(result: ParseResult, file: string | undefined): ParseResult {
  if (file === undefined) return result;
  const named = (list: readonly Issue[]) => list.map((issue) => ({ file, ...issue }));
  return result.warnings === undefined
    ? { ...result, issues: named(result.issues) }
    : { ...result, issues: named(result.issues), warnings: named(result.warnings) };
}

/** Sorts issues the way a person reads a file: by line, then column. */
export function byPosition(a: Issue, b: Issue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
