import { isScalar } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { isParamKeyError, parseParamKey, type ParamKey } from './param-key.js';
import { inferType, literalValue } from './param-literal.js';
import { KIND_WORDS, kindOf } from './scalar-kind.js';
import { scalarText, type Entry } from './yaml-read.js';

/** A Maestro param definition as written in a JSON create request. */
export type ParamDef = Record<string, unknown>;

/**
 * Turns DSL `key: value` entries into Maestro param definitions keyed by the bare param name (`!foo<long>` →
 * `foo`). `taken` holds names the caller already uses in the same params map (e.g. `subworkflow_id`), so a
 * clash is reported instead of one silently replacing the other. Entries whose key or value is wrong are
 * reported and left out.
 */
export function buildParams(
  ctx: Ctx,
  entries: readonly Entry[],
  out: JsonPath,
  taken: ReadonlySet<string> = new Set(),
): Record<string, ParamDef> {
  const params: Record<string, ParamDef> = {};
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = parseParamKey(entry.key);
    if (isParamKeyError(key)) {
      ctx.report(key.code, entry.path, entry.keyNode, key.message);
      continue;
    }
    const earlier = seen.get(key.name);
    if (earlier !== undefined || taken.has(key.name)) {
      const what = earlier !== undefined ? `'${earlier}'` : 'a setting of this job';
      ctx.report(
        DslIssueCode.paramDuplicate,
        entry.path,
        entry.keyNode,
        `param '${key.name}' is also defined by ${what}`,
      );
      continue;
    }
    seen.set(key.name, entry.key);
    const def = buildParam(ctx, key, entry, [...out, key.name]);
    if (def !== undefined) params[key.name] = def;
  }
  return params;
}

function buildParam(ctx: Ctx, key: ParamKey, entry: Entry, out: JsonPath): ParamDef | undefined {
  ctx.map(out, entry.keyNode);
  ctx.map([...out, 'type'], entry.keyNode);
  ctx.map([...out, 'mode'], entry.keyNode);
  const mode = key.mode !== undefined ? { mode: key.mode } : {};
  if (key.expression) {
    const node = entry.value;
    const kind = kindOf(node);
    if (!isScalar(node) || kind === 'null' || kind === 'other') {
      const code = kind === 'null' ? DslIssueCode.paramNullValue : DslIssueCode.paramBadValue;
      ctx.report(
        code,
        entry.path,
        kind === 'null' ? entry.keyNode : node,
        `expression param '${key.name}' needs SEL text, got ${KIND_WORDS[kind]}`,
      );
      return undefined;
    }
    ctx.map([...out, 'expression'], node);
    // An untyped expression is a STRING, as in Maestro: SEL has no static types to infer one from.
    return { expression: scalarText(node), type: key.type ?? 'STRING', ...mode };
  }
  const site = { name: key.name, path: entry.path, node: entry.value, out: [...out, 'value'] };
  if (kindOf(entry.value) === 'null') {
    ctx.report(DslIssueCode.paramNullValue, entry.path, entry.keyNode, `param '${key.name}' has no value`);
    return undefined;
  }
  const type = key.type ?? inferType(ctx, site);
  if (type === undefined) return undefined;
  const value = literalValue(ctx, type, site, (nested, nestedOut) => buildParams(ctx, nested, nestedOut));
  return value === undefined ? undefined : { value, type, ...mode };
}
