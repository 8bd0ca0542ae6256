/**
 * Maestro's YAML DSL (`POST /api/v3/workflows/yaml`) → Maestro's JSON create request. The DSL is a shorthand:
 * workflow and job params are written as plain keys (`!x` for SEL, `x<long>(constant)` for type and mode),
 * transitions as `IF <sel> THEN job` rows, and `dag:` fills the transitions left out. Conversion never throws on
 * bad input; it returns every problem as an Issue at its line and column, plus `locate`, which maps a path in the
 * produced request back to the YAML that produced it, so the JSON model validator can point into the DSL file.
 * See docs/decisions/0003-maestro-dsl.md for the choices where the DSL is silent.
 */
import { isDocument, isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Issue, JsonPath, SourcePosition } from '../../model/issue.js';
import { DEFAULT_LIMITS } from '../../model/limits.js';
import { offsetPositions } from '../source-map.js';
import { yamlTooDeepAt } from '../text-depth.js';
import { createTracker, type PositionSource } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { convertWorkflow, findWorkflowEntry } from './workflow.js';

export { DslIssueCode } from './issue-codes.js';
export type { PositionSource } from './context.js';

export interface MaestroDslResult {
  /** The create request (`{properties, workflow}`, snake_case), built as far as the input allows. */
  readonly request: Record<string, unknown> | undefined;
  /** DSL-level problems; when non-empty, `request` is a best effort and must not be created as is. */
  readonly issues: Issue[];
  /** Source position of what produced an output path, or of its nearest mapped ancestor. */
  locate(path: JsonPath): SourcePosition | undefined;
}

/**
 * Converts a parsed DSL document. Positions need the text the document was parsed from, or the LineCounter
 * it was parsed with (a parsed Document keeps offsets, not lines); without either, issues carry no line.
 *
 * @example
 * const lineCounter = new LineCounter();
 * const doc = parseDocument(text, { lineCounter });
 * const { request, issues, locate } = convertMaestroDsl(doc, lineCounter);
 */
export function convertMaestroDsl(doc: Document.Parsed, source?: PositionSource): MaestroDslResult {
  const tracker = createTracker(doc, source);
  for (const err of doc.errors) {
    const pos = err.linePos?.[0]
      ? { line: err.linePos[0].line, column: err.linePos[0].col }
      : tracker.position(err.pos[0]);
    const message = err.message.split('\n')[0] ?? err.message;
    tracker.issues.push(
      pos
        ? { code: DslIssueCode.yamlSyntax, path: [], message, ...pos }
        : { code: DslIssueCode.yamlSyntax, path: [], message },
    );
  }
  const root = tracker.deref(doc.contents as Node | null);
  tracker.map([], root);
  const wf = findWorkflowEntry(tracker, root);
  const request = wf ? convertWorkflow(tracker, wf) : undefined;
  // Found in several passes (jobs are read before dag rows), but read best top to bottom, as in the file.
  const issues = [...tracker.issues].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { request, issues, locate: (path) => tracker.locate(path) };
}

/** Parses DSL text and converts it; YAML syntax errors come back as issues like any other. */
export function convertMaestroDslText(text: string, maxDepth = DEFAULT_LIMITS.valueDepth): MaestroDslResult {
  const lineCounter = new LineCounter();
  // The YAML composer descends one call per level: text nested too deep is refused before it reads it.
  const deepAt = yamlTooDeepAt(text, maxDepth);
  if (deepAt !== undefined) {
    const { line, column } = offsetPositions(text)(deepAt);
    const message = `this list or map is nested ${maxDepth + 1} levels deep; the limit is ${maxDepth} (valueDepth)`;
    const issue: Issue = { code: DslIssueCode.tooDeep, path: [], message, line, column };
    return { request: undefined, issues: [issue], locate: () => undefined };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  return convertMaestroDsl(doc, lineCounter);
}

/**
 * True when `value` (plain data, a parsed Document or a YAML map node) is a DSL document: its root has a
 * `Workflow:` or `workflow:` map with `jobs`. A JSON create request written as YAML also has `workflow:`, but
 * with `steps`, not `jobs`.
 */
export function isMaestroDsl(value: unknown): boolean {
  const root = isDocument(value) ? value.contents : value;
  if (isMap(root)) {
    const wf = root.items.find(
      (p) => isScalar(p.key) && (p.key.value === 'Workflow' || p.key.value === 'workflow'),
    );
    return isMap(wf?.value) && wf.value.items.some((p) => isScalar(p.key) && p.key.value === 'jobs');
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return false;
  const record = root as Record<string, unknown>;
  const wf = record['Workflow'] ?? record['workflow'];
  return typeof wf === 'object' && wf !== null && !Array.isArray(wf) && 'jobs' in wf;
}
