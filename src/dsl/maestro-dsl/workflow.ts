import { isMap, type Node } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import { DOCUMENT_START, type Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { buildStep, type ConvertJobs } from './job-kinds.js';
import { applyDag, readJobList } from './job-list.js';
import { buildParams } from './params.js';
import { describe, findEntry, readMap, readText, toPlain, type Entry } from './yaml-read.js';

/** Keys of `Workflow:` with a meaning of their own (Maestro's DslWorkflow); every other key is a workflow param. */
const WORKFLOW_KEYS = [
  'id',
  'name',
  'description',
  'owner',
  'run_strategy',
  'workflow_concurrency',
  'tags',
  'timeout',
  'jobs',
  'criticality',
  'dag',
];

/** Maestro's DSL fixes this; it is also the engine's default, so writing it keeps the request self-describing. */
const DSL_STEP_CONCURRENCY = 20;

/** Deeper than Maestro's nesting limit (10) with room to spare; stops runaway recursion on hostile input. */
const MAX_NESTING = 32;

/** Finds `Workflow:` (or `workflow:`) at the root; anything else at the root is reported. */
export function findWorkflowEntry(ctx: Ctx, root: Node | null): Entry | undefined {
  if (!isMap(root)) {
    ctx.report(
      DslIssueCode.rootMissingWorkflow,
      [],
      root ?? DOCUMENT_START,
      `a Maestro DSL document is a map with a 'Workflow:' key, got ${describe(root)}`,
    );
    return undefined;
  }
  const entries = readMap(ctx, root, [], 'the document') ?? [];
  const found = entries.filter((e) => e.key === 'Workflow' || e.key === 'workflow');
  for (const e of entries) {
    if (!found.includes(e))
      ctx.report(
        DslIssueCode.rootUnknownKey,
        e.path,
        e.keyNode,
        `unknown key '${e.key}' at the root; everything goes under 'Workflow:'`,
      );
  }
  if (found.length > 1 && found[1]) {
    ctx.report(
      DslIssueCode.rootDuplicateWorkflow,
      found[1].path,
      found[1].keyNode,
      `give either 'Workflow:' or 'workflow:', not both`,
    );
  }
  if (found.length === 0)
    ctx.report(DslIssueCode.rootMissingWorkflow, [], root, `a Maestro DSL document needs a 'Workflow:' key`);
  return found[0];
}

/** Builds the whole create request from the `Workflow:` entry. */
export function convertWorkflow(ctx: Ctx, wf: Entry): Record<string, unknown> {
  ctx.map(['properties'], wf.keyNode);
  ctx.map(['workflow'], wf.value);
  const read = readMap(ctx, wf.value, wf.path, `'${wf.key}'`);
  const body = read ?? [];
  const workflow: Record<string, unknown> = {};
  const set = (
    obj: Record<string, unknown>,
    out: JsonPath,
    key: string,
    value: unknown,
    node: Node | null | undefined,
  ): void => {
    if (value === undefined) return;
    obj[key] = value;
    ctx.map([...out, key], node);
  };
  const textOf = (key: string): [string | undefined, Node | null | undefined] => {
    const e = findEntry(body, key);
    return [e ? readText(ctx, e, key) : undefined, e?.value];
  };

  const properties: Record<string, unknown> = {};
  const owner = findEntry(body, 'owner');
  set(properties, ['properties'], 'owner', owner ? toPlain(ctx, owner.value) : undefined, owner?.value);
  runStrategy(ctx, body, properties);
  set(properties, ['properties'], 'step_concurrency', DSL_STEP_CONCURRENCY, wf.keyNode);

  for (const key of ['id', 'name', 'description']) set(workflow, ['workflow'], key, ...textOf(key));
  const tags = findEntry(body, 'tags');
  if (tags && !Array.isArray(toPlain(ctx, tags.value))) {
    ctx.report(
      DslIssueCode.notAList,
      tags.path,
      tags.value,
      `tags must be a list, got ${describe(tags.value)}`,
    );
  } else if (tags) set(workflow, ['workflow'], 'tags', toPlain(ctx, tags.value), tags.value);
  const timeout = findEntry(body, 'timeout');
  set(workflow, ['workflow'], 'timeout', timeout ? toPlain(ctx, timeout.value) : undefined, timeout?.value);
  set(workflow, ['workflow'], 'criticality', ...textOf('criticality'));

  const paramEntries = body.filter((e) => !WORKFLOW_KEYS.includes(e.key));
  const params = buildParams(ctx, paramEntries, ['workflow', 'params']);
  set(workflow, ['workflow'], 'params', Object.keys(params).length > 0 ? params : undefined, wf.value);

  const jobs = findEntry(body, 'jobs');
  if (jobs === undefined && read !== undefined) {
    const hint = findEntry(body, 'steps')
      ? '; this looks like a JSON create request (steps), not the DSL'
      : '';
    ctx.report(
      DslIssueCode.workflowNoJobs,
      wf.path,
      wf.keyNode,
      `a DSL workflow lists its jobs under 'jobs:'${hint}`,
    );
  }
  set(
    workflow,
    ['workflow'],
    'steps',
    jobConverter(ctx)(jobs, findEntry(body, 'dag'), ['workflow', 'steps']),
    jobs?.value,
  );
  return { properties, workflow };
}

/**
 * `run_strategy` alone is written as Maestro's string form (`parallel`); with `workflow_concurrency` it becomes
 * `{rule, workflow_concurrency}`; `workflow_concurrency` alone uses Maestro's number form, which means PARALLEL
 * with that many instances at once.
 */
function runStrategy(ctx: Ctx, body: readonly Entry[], properties: Record<string, unknown>): void {
  const rule = findEntry(body, 'run_strategy');
  const concurrency = findEntry(body, 'workflow_concurrency');
  const ruleText = rule ? readText(ctx, rule, 'run_strategy') : undefined;
  const count = concurrency ? toPlain(ctx, concurrency.value) : undefined;
  const out = ['properties', 'run_strategy'];
  if (ruleText !== undefined && count !== undefined) {
    properties['run_strategy'] = { rule: ruleText, workflow_concurrency: count };
    ctx.map(out, rule?.value);
    ctx.map([...out, 'rule'], rule?.value);
    ctx.map([...out, 'workflow_concurrency'], concurrency?.value);
  } else if (ruleText !== undefined || count !== undefined) {
    properties['run_strategy'] = ruleText ?? count;
    ctx.map(out, (rule ?? concurrency)?.value);
  }
}

function jobConverter(ctx: Ctx): ConvertJobs {
  let depth = 0;
  const convertJobs: ConvertJobs = (jobs, dag, out) => {
    if (jobs === undefined) {
      if (dag)
        ctx.report(DslIssueCode.dagInvalid, dag.path, dag.keyNode, `dag without jobs has nothing to order`);
      return undefined;
    }
    if (depth >= MAX_NESTING) {
      ctx.report(
        DslIssueCode.tooDeep,
        jobs.path,
        jobs.keyNode,
        `jobs nest deeper than ${MAX_NESTING} levels`,
      );
      return undefined;
    }
    depth++;
    const specs = readJobList(ctx, jobs);
    applyDag(ctx, specs, dag);
    const steps = specs.map((spec, i) => {
      const kind = spec.kind === 'job' ? 'step' : spec.kind;
      ctx.map([...out, i], spec.itemNode);
      ctx.map([...out, i, kind], spec.bodyNode);
      return { [kind]: buildStep(ctx, spec, [...out, i, kind], convertJobs) };
    });
    depth--;
    return steps;
  };
  return convertJobs;
}
