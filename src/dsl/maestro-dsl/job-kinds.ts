import type { Node } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { buildRanges } from './foreach-ranges.js';
import { DslIssueCode } from './issue-codes.js';
import { buildTransition, type JobKind, type JobSpec } from './job-list.js';
import { buildParams, type ParamDef } from './params.js';
import { isContainerKind, knownStepType } from './step-types.js';
import { describe, findEntry, readBoolean, readMap, readText, toPlain, type Entry } from './yaml-read.js';

/** Converts a nested `jobs:` list (with its `dag:`) into steps; passed in so this file has no import cycle. */
export type ConvertJobs = (
  jobs: Entry | undefined,
  dag: Entry | undefined,
  out: JsonPath,
) => unknown[] | undefined;

const COMMON = ['id', 'name', 'description', 'failure_mode', 'tags', 'timeout', 'transition'];

/** Keys with a meaning per job kind (Maestro's DSL job classes); every other key of a job is a step param. */
const RESERVED: Readonly<Record<JobKind, readonly string[]>> = {
  job: [...COMMON, 'type', 'type_version'],
  foreach: [...COMMON, 'concurrency', 'job_concurrency', 'params', 'loop_params', 'ranges', 'jobs', 'dag'],
  while: [...COMMON, 'condition', 'params', 'loop_params', 'jobs', 'dag'],
  subworkflow: [
    ...COMMON,
    'workflow_id',
    'subworkflow_id',
    'version',
    'subworkflow_version',
    'sync',
    'explicit_params',
  ],
};

interface Builder {
  readonly step: Record<string, unknown>;
  set(key: string, value: unknown, node: Node | null | undefined): void;
}

function builder(ctx: Ctx, out: JsonPath): Builder {
  const step: Record<string, unknown> = {};
  return {
    step,
    set(key, value, node) {
      if (value === undefined) return;
      step[key] = value;
      ctx.map([...out, key], node);
    },
  };
}

/** One of two spellings of the same setting (`params`/`loop_params`); giving both is ambiguous. */
function either(ctx: Ctx, body: readonly Entry[], a: string, b: string): Entry | undefined {
  const first = findEntry(body, a);
  const second = findEntry(body, b);
  if (first && second) {
    ctx.report(
      DslIssueCode.conflictingAlias,
      second.path,
      second.keyNode,
      `'${a}' and '${b}' mean the same; give only one`,
    );
  }
  return first ?? second;
}

function text(ctx: Ctx, body: readonly Entry[], key: string): [string | undefined, Node | null | undefined] {
  const e = findEntry(body, key);
  return [e ? readText(ctx, e, key) : undefined, e?.value];
}

/**
 * Builds the Maestro step for one DSL job: `{step|foreach|while|subworkflow: {...}}`'s inner object. `out` is
 * the output path of that inner object (`['workflow', 'steps', 2, 'foreach']`).
 */
export function buildStep(
  ctx: Ctx,
  job: JobSpec,
  out: JsonPath,
  convertJobs: ConvertJobs,
): Record<string, unknown> {
  const b = builder(ctx, out);
  const { body } = job;
  b.set('id', job.id, findEntry(body, 'id')?.value);
  b.set(...withKey('name', text(ctx, body, 'name')));
  b.set(...withKey('description', text(ctx, body, 'description')));
  const params: Record<string, ParamDef> = {};
  const taken = new Set<string>();
  const jobParams = body.filter((e) => !RESERVED[job.kind].includes(e.key));
  const paramsOut = [...out, 'params'];

  switch (job.kind) {
    case 'job':
      typedFields(ctx, b, body);
      break;
    case 'subworkflow':
      subworkflowFields(ctx, b, job, taken);
      break;
    case 'foreach': {
      const concurrency = either(ctx, body, 'concurrency', 'job_concurrency');
      b.set('concurrency', concurrency ? toPlain(ctx, concurrency.value) : undefined, concurrency?.value);
      break;
    }
    case 'while':
      b.set(...withKey('condition', text(ctx, body, 'condition')));
      break;
  }

  b.set(...withKey('failure_mode', text(ctx, body, 'failure_mode')));
  const tags = findEntry(body, 'tags');
  if (tags && !Array.isArray(toPlain(ctx, tags.value))) {
    ctx.report(
      DslIssueCode.notAList,
      tags.path,
      tags.value,
      `tags must be a list, got ${describe(tags.value)}`,
    );
  } else if (tags) b.set('tags', toPlain(ctx, tags.value), tags.value);
  const timeout = findEntry(body, 'timeout');
  b.set('timeout', timeout ? toPlain(ctx, timeout.value) : undefined, timeout?.value);

  if (job.kind === 'foreach' || job.kind === 'while') taken.add('loop_params');
  Object.assign(params, buildParams(ctx, jobParams, paramsOut, taken));
  if (job.kind === 'subworkflow') addSubworkflowTarget(ctx, job, params, paramsOut);
  if (job.kind === 'foreach' || job.kind === 'while') {
    const loop = loopParams(ctx, job, [...paramsOut, 'loop_params']);
    if (loop !== undefined) params['loop_params'] = loop;
    b.set('params', Object.keys(params).length > 0 ? params : undefined, job.bodyNode);
    const steps = convertJobs(findEntry(body, 'jobs'), findEntry(body, 'dag'), [...out, 'steps']);
    b.set('steps', steps, findEntry(body, 'jobs')?.value);
  } else {
    b.set('params', Object.keys(params).length > 0 ? params : undefined, job.bodyNode);
  }
  b.set('transition', buildTransition(ctx, job, [...out, 'transition']), job.transitionNode);
  return b.step;
}

const withKey = (
  key: string,
  [value, node]: [unknown, Node | null | undefined],
): [string, unknown, Node | null | undefined] => [key, value, node];

/**
 * `type:` of a `- job:`: a known step type is written in Maestro's spelling; any other name is a job template,
 * named in `sub_type` (lowercased) with no `type`: the template fixes the real step type, which this layer cannot
 * know. `type_version` pins the template version, so it only means
 * something for a template.
 */
function typedFields(ctx: Ctx, b: Builder, body: readonly Entry[]): void {
  const [type, typeNode] = text(ctx, body, 'type');
  const version = findEntry(body, 'type_version');
  if (type === undefined) return;
  if (isContainerKind(type)) {
    ctx.report(
      DslIssueCode.jobBadType,
      findEntry(body, 'type')?.path ?? [],
      typeNode,
      `a job cannot have type '${type}'; write '- ${type.trim().toLowerCase()}:' instead of '- job:'`,
    );
    return;
  }
  const known = knownStepType(type);
  if (known !== undefined) b.set('type', known, typeNode);
  if (known === undefined) b.set('sub_type', type.trim().toLowerCase(), typeNode);
  if (version === undefined) return;
  if (known !== undefined) {
    ctx.report(
      DslIssueCode.jobTypeVersionIgnored,
      version.path,
      version.keyNode,
      `type_version pins a job template version, but '${type}' is a built-in step type`,
    );
    return;
  }
  b.set('sub_type_version', readText(ctx, version, 'type_version'), version.value);
}

function subworkflowFields(ctx: Ctx, b: Builder, job: JobSpec, taken: Set<string>): void {
  const sync = findEntry(job.body, 'sync');
  const explicit = findEntry(job.body, 'explicit_params');
  b.set('sync', sync ? readBoolean(ctx, sync, 'sync') : undefined, sync?.value);
  b.set(
    'explicit_params',
    explicit ? readBoolean(ctx, explicit, 'explicit_params') : undefined,
    explicit?.value,
  );
  // A target given by setting makes a same-named param a clash; without one, a param may set it (e.g. by SEL).
  if (either(ctx, job.body, 'workflow_id', 'subworkflow_id')) taken.add('subworkflow_id');
  if (either(ctx, job.body, 'version', 'subworkflow_version')) taken.add('subworkflow_version');
}

/** The child workflow comes from `workflow_id`, else a `subworkflow_id` param, else the job's own id (Maestro). */
function addSubworkflowTarget(ctx: Ctx, job: JobSpec, params: Record<string, ParamDef>, out: JsonPath): void {
  const target = findEntry(job.body, 'workflow_id') ?? findEntry(job.body, 'subworkflow_id');
  const version = findEntry(job.body, 'version') ?? findEntry(job.body, 'subworkflow_version');
  const id = target ? readText(ctx, target, target.key) : params['subworkflow_id'] ? undefined : job.id;
  if (id !== undefined) {
    params['subworkflow_id'] = { value: id, type: 'STRING' };
    ctx.map([...out, 'subworkflow_id'], target?.keyNode ?? job.bodyNode);
    ctx.map([...out, 'subworkflow_id', 'value'], target?.value ?? findEntry(job.body, 'id')?.value);
  }
  const v = version ? readText(ctx, version, version.key) : undefined;
  if (v !== undefined) {
    params['subworkflow_version'] = { value: v, type: 'STRING' };
    ctx.map([...out, 'subworkflow_version'], version?.keyNode);
    ctx.map([...out, 'subworkflow_version', 'value'], version?.value);
  }
}

/** `loop_params` MAP of a foreach (from `params` and `ranges`) or a while (from `params`). */
function loopParams(ctx: Ctx, job: JobSpec, out: JsonPath): ParamDef | undefined {
  const given = either(ctx, job.body, 'params', 'loop_params');
  const ranges = job.kind === 'foreach' ? findEntry(job.body, 'ranges') : undefined;
  const entries = given ? (readMap(ctx, given.value, given.path, given.key) ?? []) : [];
  const value = buildParams(ctx, entries, [...out, 'value']);
  if (ranges) Object.assign(value, buildRanges(ctx, ranges, [...out, 'value'], new Set(Object.keys(value))));
  ctx.map(out, given?.keyNode ?? ranges?.keyNode);
  if (job.kind === 'foreach' && entries.length === 0 && !ranges) {
    ctx.report(
      DslIssueCode.foreachNoLoopParams,
      job.path,
      job.bodyNode,
      `foreach '${job.id ?? ''}' has nothing to loop over; give it params or ranges`,
    );
  }
  if (job.kind === 'while' && !given) return undefined;
  return { value, type: 'MAP' };
}
