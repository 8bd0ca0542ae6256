import { isAlias, type Document, type LineCounter, type Node } from 'yaml';
import type { Issue, JsonPath, SourcePosition } from '../../model/issue.js';
import { DslIssueCode } from './issue-codes.js';

/**
 * What every converter function shares: the issue list and the output→source map. Positions are byte offsets
 * until the end, because a parsed `yaml` Document keeps node offsets but not the text needed to turn them into
 * lines; the caller hands us the text (or the LineCounter it parsed with) for that.
 */
export interface Ctx {
  /** Records a problem at a DSL path; `at` (a YAML node) gives its line and column. */
  report(code: DslIssueCode, path: JsonPath, at: Positioned | null | undefined, message: string): void;
  /** Records that the output value at `out` was produced by `node`, for `locate`. */
  map(out: JsonPath, node: Positioned | null | undefined): void;
  /** Follows a YAML alias (`*name`) to its anchored node; other nodes pass through. */
  deref(node: Node | null | undefined): Node | null;
}

/** Anything with a YAML source range: every parsed node, or `DOCUMENT_START` for an empty document. */
export interface Positioned {
  readonly range?: readonly [number, number, number] | null | undefined;
}

/** The start of the text, for problems with the document as a whole when it has no node to point at. */
export const DOCUMENT_START: Positioned = { range: [0, 0, 0] };

/** Where offsets become positions: the YAML text itself, or the LineCounter it was parsed with. */
export type PositionSource = string | LineCounter;

export interface Tracker extends Ctx {
  readonly issues: Issue[];
  position(offset: number): SourcePosition | undefined;
  locate(path: JsonPath): SourcePosition | undefined;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionFinder(source: PositionSource | undefined): (offset: number) => SourcePosition | undefined {
  if (source === undefined) return () => undefined;
  if (typeof source !== 'string') {
    return (offset) => {
      const { line, col } = source.linePos(offset);
      // line 0 means the counter never saw a newline before `offset`, i.e. the first line.
      return { line: Math.max(line, 1), column: col };
    };
  }
  const starts = lineStartsOf(source);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/** Far above any real workflow's use of anchors, far below what an alias bomb needs. */
const MAX_ALIAS_RESOLUTIONS = 1000;

const keyOf = (path: JsonPath): string => JSON.stringify(path);

export function createTracker(doc: Document, source: PositionSource | undefined): Tracker {
  const issues: Issue[] = [];
  const offsets = new Map<string, number>();
  const position = positionFinder(source);
  const offsetOf = (node: Positioned | null | undefined): number | undefined => node?.range?.[0] ?? undefined;
  let aliasCount = 0;

  const report: Ctx['report'] = (code, path, node, message) => {
    const offset = offsetOf(node);
    const pos = offset === undefined ? undefined : position(offset);
    issues.push(pos ? { code, path, message, line: pos.line, column: pos.column } : { code, path, message });
  };

  const deref: Ctx['deref'] = (node) => {
    if (node === null || node === undefined) return null;
    if (!isAlias(node)) return node;
    // Aliases can nest exponentially ("billion laughs") or point into their own anchor; the input is untrusted.
    aliasCount++;
    if (aliasCount > MAX_ALIAS_RESOLUTIONS) {
      if (aliasCount === MAX_ALIAS_RESOLUTIONS + 1) {
        report(DslIssueCode.yamlSyntax, [], node, `more than ${MAX_ALIAS_RESOLUTIONS} alias expansions`);
      }
      return null;
    }
    return node.resolve(doc) ?? null;
  };

  return {
    issues,
    position,
    report,
    deref,
    map(out, node) {
      const offset = offsetOf(node);
      // The first producer wins: a value filled in later (a dag default) must not move an explicit one.
      if (offset !== undefined && !offsets.has(keyOf(out))) offsets.set(keyOf(out), offset);
    },
    locate(path) {
      for (let len = path.length; len >= 0; len--) {
        const offset = offsets.get(keyOf(path.slice(0, len)));
        if (offset !== undefined) return position(offset);
      }
      return undefined;
    },
  };
}
