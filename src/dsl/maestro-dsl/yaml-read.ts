import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';

/** One `key: value` of a YAML map, with the DSL path of the value (for issues) and both nodes (for positions). */
export interface Entry {
  readonly key: string;
  readonly keyNode: Node | null;
  readonly value: Node | null;
  readonly path: JsonPath;
}

/** Describes a node for messages: "a list", "a number", ... */
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    return `a ${typeof v === 'bigint' ? 'number' : typeof v}`;
  }
  return 'an unsupported YAML node';
}

/**
 * The text of a scalar as the author wrote it: `1.50` stays `1.50` rather than becoming `1.5` when a number is
 * used where Maestro wants a string (a STRING_MAP value, an expression, a version).
 */
export function scalarText(node: Scalar): string {
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof node.source === 'string' && node.source !== '') return node.source;
  return String(v);
}

export function isNullish(node: Node | null): boolean {
  return node === null || (isScalar(node) && (node.value === null || node.value === undefined));
}

/**
 * The entries of a map node, or undefined (and an issue) when the node is something else. Merge keys
 * (`<<: *defaults`, or a list of them) are applied as YAML 1.1 defines them, whatever schema the document was
 * parsed with, because sharing job defaults through anchors is how people write long DSL files: the map's own
 * keys win, then earlier merge sources over later ones.
 */
export function readMap(ctx: Ctx, raw: Node | null, path: JsonPath, what: string): Entry[] | undefined {
  const node = ctx.deref(raw);
  if (!isMap(node)) {
    ctx.report(DslIssueCode.notAMap, path, node ?? raw, `${what} must be a map, got ${describe(node)}`);
    return undefined;
  }
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of node.items) {
    const keyNode = ctx.deref(pair.key as Node | null);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      ctx.report(DslIssueCode.badKey, path, keyNode ?? node, `keys in ${what} must be plain text`);
      continue;
    }
    const key = scalarText(keyNode);
    if (key === '<<' && keyNode.type === 'PLAIN') {
      merged.push(...mergeSources(ctx, pair.value as Node | null, path, what));
      continue;
    }
    own.push({ key, keyNode, value: ctx.deref(pair.value as Node | null), path: [...path, key] });
  }
  const seen = new Set(own.map((e) => e.key));
  const fromMerges = merged.filter((e) => !seen.has(e.key) && seen.add(e.key));
  return [...own, ...fromMerges];
}

function mergeSources(ctx: Ctx, raw: Node | null, path: JsonPath, what: string): Entry[] {
  const value = ctx.deref(raw);
  const sources = isSeq(value) ? value.items.map((item) => item as Node | null) : [raw];
  return sources.flatMap((source) => readMap(ctx, source, path, `a merge (<<) into ${what}`) ?? []);
}

/** The items of a list node, each with its path, or undefined (and an issue) when the node is something else. */
export function readSeq(ctx: Ctx, raw: Node | null, path: JsonPath, what: string): Entry[] | undefined {
  const node = ctx.deref(raw);
  if (!isSeq(node)) {
    ctx.report(DslIssueCode.notAList, path, node ?? raw, `${what} must be a list, got ${describe(node)}`);
    return undefined;
  }
  return node.items.map((item, i) => ({
    key: String(i),
    keyNode: null,
    value: ctx.deref(item as Node | null),
    path: [...path, i],
  }));
}

/** A scalar that must be text; numbers and booleans are taken as written (`version: 3` means "3"). */
export function readText(ctx: Ctx, entry: Entry, what: string): string | undefined {
  const node = entry.value;
  if (isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object') {
    return scalarText(node);
  }
  ctx.report(
    DslIssueCode.notAString,
    entry.path,
    node ?? entry.keyNode,
    `${what} must be text, got ${describe(node)}`,
  );
  return undefined;
}

export function readBoolean(ctx: Ctx, entry: Entry, what: string): boolean | undefined {
  const node = entry.value;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  ctx.report(
    DslIssueCode.notABoolean,
    entry.path,
    node ?? entry.keyNode,
    `${what} must be true or false, got ${describe(node)}`,
  );
  return undefined;
}

/**
 * Plain JSON for values the DSL passes through untouched (timeout, owner, tags, concurrency). Aliases are
 * followed; a non-finite number cannot be written as JSON, so it becomes null and the model validator rejects it.
 */
export function toPlain(ctx: Ctx, raw: Node | null): unknown {
  const node = ctx.deref(raw);
  if (node === null) return null;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = ctx.deref(pair.key as Node | null);
      if (isScalar(k)) out[scalarText(k)] = toPlain(ctx, pair.value as Node | null);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(ctx, item as Node | null));
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    return null;
  }
  return null;
}

/** Looks up a key among entries (first match; YAML itself reports duplicate keys). */
export function findEntry(entries: readonly Entry[], ...keys: string[]): Entry | undefined {
  return entries.find((e) => keys.includes(e.key));
}
