import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Issue, JsonPath, SourcePosition } from '../model/issue.js';
import { offsetPositions } from './source-map.js';
import { IssueCode } from './validate/report.js';

/**
 * Reads a `.json` definition as JSON (RFC 8259: no comments, no trailing commas, keys once per map), keeping the
 * position of every value so that issues found later point at the file's line and column. `jsonc-parser` gives the
 * syntax tree with offsets (docs/decisions/0011-json-parser.md); the value itself comes from `JSON.parse`, so
 * numbers, escapes and `__proto__` keys mean exactly what they mean everywhere else.
 */
export type JsonTextResult =
  | { readonly ok: true; readonly value: unknown; readonly locate: JsonLocator }
  | { readonly ok: false; readonly issues: Issue[] };

export type JsonLocator = (path: JsonPath, pointAtKey?: boolean) => SourcePosition | undefined;

/** Callers bound the nesting depth first (text-depth.ts): the tree is built by recursive descent. */
export function readJsonText(source: string): JsonTextResult {
  // A byte order mark (editors on Windows write one) is no JSON, but no mistake either; a space keeps the offsets.
  const text = source.startsWith('\uFEFF') ? ` ${source.slice(1)}` : source;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const position = offsetPositions(text);
  const syntax = distinct(errors).map((e): Issue => ({
    code: IssueCode.SYNTAX,
    path: [],
    message: describe(e, text),
    ...position(e.offset),
  }));
  if (syntax.length > 0 || root === undefined) {
    return { ok: false, issues: syntax.length > 0 ? syntax : [emptyIssue()] };
  }
  const duplicates = duplicateKeys(root).map((key): Issue => ({
    code: IssueCode.SYNTAX,
    path: [],
    message: `the key ${JSON.stringify(key.value)} appears twice in one map`,
    ...position(key.offset),
  }));
  if (duplicates.length > 0) return { ok: false, issues: duplicates };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // jsonc-parser accepted what JSON.parse does not (it is laxer on a few number forms): still a syntax issue.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ code: IssueCode.SYNTAX, path: [], message, line: 1, column: 1 }] };
  }
  return { ok: true, value, locate: locator(root, position) };
}

function emptyIssue(): Issue {
  return { code: IssueCode.SYNTAX, path: [], message: 'the file holds no JSON value', line: 1, column: 1 };
}

/** One issue per place: after a missing comma the parser often reports two codes at one offset. */
function distinct(errors: readonly ParseError[]): ParseError[] {
  const seen = new Set<number>();
  return errors.filter((e) => !seen.has(e.offset) && seen.add(e.offset));
}

function describe(error: ParseError, text: string): string {
  const found = text.slice(error.offset, error.offset + Math.max(error.length, 1));
  const got = error.offset >= text.length ? 'the end of the file' : JSON.stringify(found);
  const before = text.slice(0, error.offset).trimEnd();
  if (before.endsWith(',') && (found.startsWith('}') || found.startsWith(']')))
    return `a trailing comma before ${got}: JSON allows no comma after the last item`;
  const name = printParseErrorCode(error.error);
  const expected: Record<string, string> = {
    InvalidSymbol: /^[A-Za-z_]/.test(found)
      ? `unexpected ${got}: JSON writes keys and text in double quotes`
      : `unexpected ${got}`,
    InvalidNumberFormat: `a number cannot be written ${got}`,
    PropertyNameExpected: `expected a key in double quotes, got ${got}`,
    ValueExpected: `expected a value, got ${got}`,
    ColonExpected: `expected ':' after the key, got ${got}`,
    CommaExpected: `expected ',' between items, got ${got}`,
    CloseBraceExpected: `expected '}' to close the map, got ${got}`,
    CloseBracketExpected: `expected ']' to close the list, got ${got}`,
    EndOfFileExpected: `expected the end of the file after the JSON value, got ${got}`,
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'comments are not allowed in JSON',
    UnexpectedEndOfString: 'a string is not closed before the end of its line',
    UnexpectedEndOfNumber: `a number ends too early at ${got}`,
    InvalidUnicode: 'a \\u escape needs four hex digits',
    InvalidEscapeCharacter:
      'an unknown escape in a string (JSON has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
    InvalidCharacter: 'a control character (a tab or line break) inside a string must be escaped',
  };
  return `JSON: ${expected[name] ?? `${name} at ${got}`}`;
}

/** Keys given twice in one object (JSON.parse would keep the last silently). Iterative: any depth. */
function duplicateKeys(root: JsonNode): JsonNode[] {
  const out: JsonNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (key && seen.has(String(key.value))) out.push(key);
        if (key) seen.add(String(key.value));
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * Maps a JSON path to the position of its value (or key). A path that does not exist in the file (a default
 * filled in, a shorthand expanded) falls back to its nearest ancestor that does, as for YAML (source-map.ts).
 */
function locator(root: JsonNode, position: (offset: number) => SourcePosition): JsonLocator {
  return (path, pointAtKey = false) => {
    let node = root;
    for (const [i, segment] of path.entries()) {
      let next: JsonNode | undefined;
      if (node.type === 'object') {
        const prop = node.children?.find((p) => String(p.children?.[0]?.value) === String(segment));
        if (prop && i === path.length - 1 && pointAtKey && prop.children?.[0])
          return position(prop.children[0].offset);
        next = prop?.children?.[1];
      } else if (node.type === 'array' && typeof segment === 'number') {
        next = node.children?.[segment];
      }
      if (next === undefined) break;
      node = next;
    }
    return position(node.offset);
  };
}
