import { isScalar, isSeq, type Node } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { looksLikeParamSyntax, type ParamTypeName } from './param-key.js';
import { KIND_WORDS, kindOf, type ValueKind } from './scalar-kind.js';
import { readMap, scalarText, type Entry } from './yaml-read.js';

/** Builds the nested param definitions of a MAP value; passed in to keep this file free of a cycle. */
export type NestedParams = (entries: Entry[], out: JsonPath) => Record<string, unknown>;

/** Where a literal lives: its name (for messages), DSL path and node (for issues), output path (for locate). */
export interface LiteralSite {
  readonly name: string;
  readonly path: JsonPath;
  readonly node: Node | null;
  readonly out: JsonPath;
}

const ELEMENT_TYPE: Readonly<Partial<Record<ParamTypeName, ParamTypeName>>> = {
  STRING_ARRAY: 'STRING',
  LONG_ARRAY: 'LONG',
  DOUBLE_ARRAY: 'DOUBLE',
  BOOLEAN_ARRAY: 'BOOLEAN',
};

/**
 * The type a literal value implies: text → STRING, integer → LONG, decimal → DOUBLE, boolean → BOOLEAN, a list →
 * the array of its items' type (integers mixed with decimals → DOUBLE_ARRAY; empty → STRING_ARRAY), a map →
 * STRING_MAP when every value is a scalar, else MAP (empty, or keys written in param syntax → MAP too).
 */
export function inferType(ctx: Ctx, site: LiteralSite): ParamTypeName | undefined {
  const kind = kindOf(site.node);
  switch (kind) {
    case 'string':
      return 'STRING';
    case 'long':
      return 'LONG';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'list':
      return inferArrayType(ctx, site);
    case 'map':
      return inferMapType(ctx, site);
    case 'null':
    case 'other':
      ctx.report(
        DslIssueCode.paramBadValue,
        site.path,
        site.node,
        `param '${site.name}' cannot be ${KIND_WORDS[kind]}`,
      );
      return undefined;
  }
}

function inferArrayType(ctx: Ctx, site: LiteralSite): ParamTypeName | undefined {
  if (!isSeq(site.node)) return undefined;
  const kinds = new Set<ValueKind>(site.node.items.map((item) => kindOf(ctx.deref(item as Node | null))));
  if (kinds.size === 0) return 'STRING_ARRAY'; // nothing to infer from; Maestro picks STRING_ARRAY too
  if (kinds.size === 1 && kinds.has('string')) return 'STRING_ARRAY';
  if (kinds.size === 1 && kinds.has('boolean')) return 'BOOLEAN_ARRAY';
  if (kinds.size === 1 && kinds.has('long')) return 'LONG_ARRAY';
  if ([...kinds].every((k) => k === 'long' || k === 'double')) return 'DOUBLE_ARRAY';
  const words = [...kinds].map((k) => KIND_WORDS[k]).join(' and ');
  ctx.report(
    DslIssueCode.paramBadValue,
    site.path,
    site.node,
    `list param '${site.name}' mixes ${words}; items must all be text, all numbers or all booleans`,
  );
  return undefined;
}

function inferMapType(ctx: Ctx, site: LiteralSite): ParamTypeName {
  // Read quietly: the entries are read again, with issues, when the value is built.
  const quiet: Ctx = { ...ctx, report: () => undefined };
  const entries = readMap(quiet, site.node, site.path, `param '${site.name}'`) ?? [];
  if (entries.length === 0) return 'MAP';
  const scalar = (e: Entry): boolean => ['string', 'long', 'double', 'boolean'].includes(kindOf(e.value));
  return entries.every((e) => scalar(e) && !looksLikeParamSyntax(e.key)) ? 'STRING_MAP' : 'MAP';
}

function mismatch(ctx: Ctx, site: LiteralSite, type: ParamTypeName, kind: ValueKind): undefined {
  ctx.report(
    DslIssueCode.paramTypeMismatch,
    site.path,
    site.node,
    `param '${site.name}' is ${type} but its value is ${KIND_WORDS[kind]}`,
  );
  return undefined;
}

/**
 * Converts a literal to the JSON value of a param of `type`, or reports why it cannot. Where the author said
 * what they want, a lossless reading is accepted: any scalar for a STRING (written as it appears), an integer
 * for a DOUBLE. Anything else that does not fit is a type mismatch.
 */
export function literalValue(
  ctx: Ctx,
  type: ParamTypeName,
  site: LiteralSite,
  nested: NestedParams,
): unknown {
  const node = site.node;
  const kind = kindOf(node);
  ctx.map(site.out, node);
  if (kind === 'null') {
    ctx.report(DslIssueCode.paramNullValue, site.path, node, `param '${site.name}' has no value`);
    return undefined;
  }
  switch (type) {
    case 'STRING':
      if (
        isScalar(node) &&
        (kind === 'string' || kind === 'long' || kind === 'double' || kind === 'boolean')
      ) {
        return scalarText(node);
      }
      return mismatch(ctx, site, type, kind);
    case 'LONG':
      return kind === 'long' && isScalar(node)
        ? exactNumber(ctx, site, node.value)
        : mismatch(ctx, site, type, kind);
    case 'DOUBLE':
      return (kind === 'long' || kind === 'double') && isScalar(node)
        ? exactNumber(ctx, site, node.value)
        : mismatch(ctx, site, type, kind);
    case 'BOOLEAN':
      return kind === 'boolean' && isScalar(node) ? node.value : mismatch(ctx, site, type, kind);
    case 'STRING_ARRAY':
    case 'LONG_ARRAY':
    case 'DOUBLE_ARRAY':
    case 'BOOLEAN_ARRAY':
      return arrayValue(ctx, type, site, nested);
    case 'STRING_MAP':
      return stringMapValue(ctx, site, nested);
    case 'MAP': {
      const entries = kind === 'map' ? readMap(ctx, node, site.path, `param '${site.name}'`) : undefined;
      return entries ? nested(entries, site.out) : mismatch(ctx, site, type, kind);
    }
  }
}

function exactNumber(ctx: Ctx, site: LiteralSite, v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
  // An integer past 2^53 has already been rounded by the YAML reader (or would be by any JSON reader).
  const exact =
    Number.isFinite(n) &&
    (typeof v === 'bigint'
      ? Number.isSafeInteger(n)
      : kindOf(site.node) !== 'long' || Number.isSafeInteger(n));
  if (exact) return n;
  ctx.report(
    DslIssueCode.paramBadValue,
    site.path,
    site.node,
    `param '${site.name}' has a number JSON cannot carry exactly; write it as an expression (!${site.name}) instead`,
  );
  return undefined;
}

function arrayValue(
  ctx: Ctx,
  type: ParamTypeName,
  site: LiteralSite,
  nested: NestedParams,
): unknown[] | undefined {
  const element = ELEMENT_TYPE[type];
  if (!isSeq(site.node) || element === undefined) return mismatch(ctx, site, type, kindOf(site.node));
  const out: unknown[] = [];
  let ok = true;
  site.node.items.forEach((raw, i) => {
    const item = ctx.deref(raw as Node | null);
    const itemSite = {
      name: `${site.name}[${i}]`,
      path: [...site.path, i],
      node: item,
      out: [...site.out, i],
    };
    const v = literalValue(ctx, element, itemSite, nested);
    if (v === undefined) ok = false;
    out.push(v);
  });
  return ok ? out : undefined;
}

function stringMapValue(
  ctx: Ctx,
  site: LiteralSite,
  nested: NestedParams,
): Record<string, string> | undefined {
  const kind = kindOf(site.node);
  if (kind !== 'map') return mismatch(ctx, site, 'STRING_MAP', kind);
  const entries = readMap(ctx, site.node, site.path, `param '${site.name}'`) ?? [];
  const out: Record<string, string> = {};
  let ok = true;
  for (const e of entries) {
    const v = literalValue(
      ctx,
      'STRING',
      { name: `${site.name}.${e.key}`, path: e.path, node: e.value, out: [...site.out, e.key] },
      nested,
    );
    if (typeof v === 'string') out[e.key] = v;
    else ok = false;
  }
  return ok ? out : undefined;
}
