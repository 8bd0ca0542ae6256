import { isScalar, isSeq, type Node } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { describe, isNullish, readSeq, type Entry } from './yaml-read.js';

// Step id syntax from Maestro's step model; the DSL names successors by step id.
const ID = '[_a-zA-Z][.\\-_a-zA-Z0-9]*';
const PLAIN = new RegExp(`^\\s*(${ID})\\s*$`);
const STEP_ID = new RegExp(`^${ID}$`);
const OTHERWISE = new RegExp(`^\\s*otherwise\\s+(${ID})\\s*$`, 'i');

/**
 * The rows of a `transition:` (or a `dag:` entry). A single string is read as a one-row list, since
 * `transition: job.2` can only mean one thing.
 */
export function readTransitionRows(ctx: Ctx, entry: Entry): Entry[] | undefined {
  if (isNullish(entry.value)) return [];
  if (isScalar(entry.value) && typeof entry.value.value === 'string') {
    return [{ key: '0', keyNode: null, value: entry.value, path: entry.path }];
  }
  if (!isSeq(entry.value)) {
    ctx.report(
      DslIssueCode.notAList,
      entry.path,
      entry.value,
      `transition must be a list of rows, got ${describe(entry.value)}`,
    );
    return undefined;
  }
  return readSeq(ctx, entry.value, entry.path, 'transition');
}

/**
 * Builds `successors {stepId: condition}` from DSL rows: `job_id` (always taken: "true"), `IF <sel> THEN job_id`,
 * and a last `OTHERWISE job_id`, taken when no earlier IF held: `!(c1) && !(c2)`. Keywords are case-insensitive.
 */
export function buildSuccessors(ctx: Ctx, rows: readonly Entry[], out: JsonPath): Record<string, string> {
  const successors: Record<string, string> = {};
  const conditions: string[] = [];
  const add = (row: Entry, id: string, condition: string): void => {
    if (Object.hasOwn(successors, id)) {
      ctx.report(
        DslIssueCode.transitionDuplicateSuccessor,
        row.path,
        row.value,
        `'${id}' appears twice in one transition; join the conditions with || in one row`,
      );
      return;
    }
    successors[id] = condition;
    ctx.map([...out, 'successors', id], row.value);
  };

  rows.forEach((row, i) => {
    const node: Node | null = row.value;
    const text = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    if (text === undefined || text.trim() === '') {
      ctx.report(
        DslIssueCode.transitionInvalid,
        row.path,
        node,
        `a transition row must be text, got ${describe(node)}`,
      );
      return;
    }
    const plain = PLAIN.exec(text);
    if (plain?.[1] !== undefined) return add(row, plain[1], 'true');
    const conditional = readConditional(text);
    if (conditional) {
      conditions.push(conditional.condition);
      return add(row, conditional.id, conditional.condition);
    }
    const otherwise = OTHERWISE.exec(text);
    if (otherwise?.[1] !== undefined) {
      if (i !== rows.length - 1) {
        ctx.report(
          DslIssueCode.transitionOtherwiseNotLast,
          row.path,
          node,
          `'OTHERWISE' must be the last row of a transition: it means "none of the IFs above held"`,
        );
      }
      const negated = conditions.length === 0 ? 'true' : conditions.map((c) => `!(${c})`).join(' && ');
      return add(row, otherwise[1], negated);
    }
    ctx.report(
      DslIssueCode.transitionInvalid,
      row.path,
      node,
      `invalid transition '${text.trim()}'; expected 'job_id', 'IF <condition> THEN job_id' or 'OTHERWISE job_id'`,
    );
  });
  return successors;
}

/**
 * `IF <condition> THEN job_id`, split at the last THEN: in `IF a THEN b THEN c` only `c` can be a step id. Read by
 * hand in one pass from each end, since a regex with a free-text middle between runs of white space backtracks in
 * cubic time on long runs of spaces (8,000 spaces took minutes).
 */
function readConditional(text: string): { condition: string; id: string } | undefined {
  const row = text.trim();
  if (!/^if\s/i.test(row)) return undefined;
  let idStart = row.length;
  while (idStart > 0 && !/\s/.test(row[idStart - 1]!)) idStart--;
  const id = row.slice(idStart);
  if (!STEP_ID.test(id)) return undefined;
  const beforeId = row.slice(0, idStart).trimEnd();
  if (beforeId.length === idStart || !/\sthen$/i.test(beforeId.slice(-5))) return undefined;
  const condition = beforeId.slice(2, -4).trim();
  return condition === '' ? undefined : { condition, id };
}
