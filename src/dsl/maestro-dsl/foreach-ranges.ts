import { isScalar } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { isParamKeyError, parseParamKey } from './param-key.js';
import type { ParamDef } from './params.js';
import { kindOf } from './scalar-kind.js';
import { describe, readMap, scalarText, type Entry } from './yaml-read.js';

const RANGE_KEYS = ['from', 'to', 'increment'];

/**
 * Turns `ranges: {hour: {from: 0, to: 24, increment: 1}}` into LONG_ARRAY loop params whose expression is
 * `Util.intsBetween(from, to, increment)` (`to` exclusive; `from` defaults to 0 and `increment` to 1, as in
 * Maestro). A bound may also be SEL text (`to: partition_count`), since the result is an expression anyway.
 */
export function buildRanges(
  ctx: Ctx,
  ranges: Entry,
  out: JsonPath,
  taken: Set<string>,
): Record<string, ParamDef> {
  const params: Record<string, ParamDef> = {};
  for (const range of readMap(ctx, ranges.value, ranges.path, 'ranges') ?? []) {
    const key = parseParamKey(range.key);
    if (isParamKeyError(key) || key.expression || key.type !== undefined || key.mode !== undefined) {
      ctx.report(
        DslIssueCode.rangeBad,
        range.path,
        range.keyNode,
        `a range is named by a plain loop param name, not '${range.key}'`,
      );
      continue;
    }
    if (taken.has(key.name)) {
      ctx.report(
        DslIssueCode.paramDuplicate,
        range.path,
        range.keyNode,
        `loop param '${key.name}' is defined twice`,
      );
      continue;
    }
    taken.add(key.name);
    const bounds = readMap(ctx, range.value, range.path, `range '${key.name}'`);
    if (bounds === undefined) continue;
    const bound = (name: string, fallback: string | undefined): string | undefined => {
      const entry = bounds.find((b) => b.key === name);
      if (entry === undefined) {
        if (fallback === undefined) {
          ctx.report(
            DslIssueCode.rangeBad,
            range.path,
            range.keyNode,
            `range '${key.name}' needs '${name}' (its exclusive end)`,
          );
        }
        return fallback;
      }
      const kind = kindOf(entry.value);
      if (
        isScalar(entry.value) &&
        (kind === 'long' || (kind === 'string' && scalarText(entry.value).trim() !== ''))
      ) {
        return scalarText(entry.value).trim();
      }
      ctx.report(
        DslIssueCode.rangeBad,
        entry.path,
        entry.value ?? entry.keyNode,
        `range '${key.name}' ${name} must be an integer or SEL text, got ${describe(entry.value)}`,
      );
      return undefined;
    };
    for (const b of bounds) {
      if (!RANGE_KEYS.includes(b.key)) {
        ctx.report(
          DslIssueCode.rangeBad,
          b.path,
          b.keyNode,
          `unknown range key '${b.key}'; a range has from, to and increment`,
        );
      }
    }
    const from = bound('from', '0');
    const to = bound('to', undefined);
    const increment = bound('increment', '1');
    if (from === undefined || to === undefined || increment === undefined) continue;
    const def = { expression: `Util.intsBetween(${from}, ${to}, ${increment})`, type: 'LONG_ARRAY' };
    params[key.name] = def;
    ctx.map([...out, key.name], range.keyNode);
    ctx.map([...out, key.name, 'expression'], range.value);
  }
  return params;
}
