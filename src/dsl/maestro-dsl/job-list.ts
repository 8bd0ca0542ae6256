import { isScalar, type Node } from 'yaml';
import type { JsonPath } from '../../model/issue.js';
import type { Ctx } from './context.js';
import { DslIssueCode } from './issue-codes.js';
import { buildSuccessors, readTransitionRows } from './transition.js';
import { findEntry, isNullish, readMap, readSeq, readText, scalarText, type Entry } from './yaml-read.js';

export const JOB_KINDS = ['job', 'foreach', 'while', 'subworkflow'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** One item of a `jobs:` list, read far enough to wire transitions before any step is built. */
export interface JobSpec {
  readonly kind: JobKind;
  readonly id: string | undefined;
  readonly body: readonly Entry[];
  readonly bodyNode: Node | null;
  /** DSL path of the body map: `[..., 'jobs', 3, 'job']`. */
  readonly path: JsonPath;
  readonly itemNode: Node | null;
  /** The job's own transition rows, when it has any. */
  readonly rows: readonly Entry[] | undefined;
  readonly transitionNode: Node | null;
  /** Filled in by `dag:` for a job without its own transition. */
  dagRows?: readonly Entry[];
  dagNext?: { readonly id: string; readonly node: Node | null };
}

/** Reads a `jobs:` list into specs; items that are not `- <kind>: {map}` are reported and skipped. */
export function readJobList(ctx: Ctx, jobs: Entry): JobSpec[] {
  const items = readSeq(ctx, jobs.value, jobs.path, 'jobs') ?? [];
  const specs: JobSpec[] = [];
  for (const item of items) {
    const wrapper = readMap(ctx, item.value, item.path, 'a jobs item');
    if (!wrapper) continue;
    const kindEntry = wrapper[0];
    const kind = JOB_KINDS.find((k) => k === kindEntry?.key);
    if (wrapper.length !== 1 || kindEntry === undefined || kind === undefined) {
      const found = wrapper.map((e) => e.key).join(', ') || 'nothing';
      ctx.report(
        DslIssueCode.jobUnknownKind,
        item.path,
        kindEntry?.keyNode ?? item.value,
        `a jobs item has exactly one key, one of ${JOB_KINDS.join(', ')}; found ${found}`,
      );
      continue;
    }
    const body = readMap(ctx, kindEntry.value, kindEntry.path, `a ${kind}`) ?? [];
    const idEntry = findEntry(body, 'id');
    const transition = findEntry(body, 'transition');
    const rows = transition ? readTransitionRows(ctx, transition) : undefined;
    specs.push({
      kind,
      id: idEntry ? readText(ctx, idEntry, 'id') : undefined,
      body,
      bodyNode: kindEntry.value,
      path: kindEntry.path,
      itemNode: item.value,
      rows: rows && rows.length > 0 ? rows : undefined,
      transitionNode: transition?.value ?? null,
    });
  }
  return specs;
}

/**
 * Applies a `dag:` to jobs that have no transition of their own (an explicit `transition:` always wins, as in
 * Maestro): `sequential` chains each job to the next, `parallel` adds nothing, and a map `{job_id: [rows]}`
 * gives rows per job.
 */
export function applyDag(ctx: Ctx, jobs: readonly JobSpec[], dag: Entry | undefined): void {
  if (dag === undefined || isNullish(dag.value)) return;
  if (isScalar(dag.value) && typeof dag.value.value === 'string') {
    const order = scalarText(dag.value).trim().toLowerCase();
    if (order === 'parallel') return;
    if (order !== 'sequential') {
      ctx.report(
        DslIssueCode.dagInvalid,
        dag.path,
        dag.value,
        `dag must be 'sequential', 'parallel' or a map of job id to transitions`,
      );
      return;
    }
    jobs.forEach((job, i) => {
      const next = jobs[i + 1]?.id;
      if (job.rows === undefined && next !== undefined) job.dagNext = { id: next, node: dag.value };
    });
    return;
  }
  const entries = readMap(ctx, dag.value, dag.path, 'dag');
  for (const entry of entries ?? []) {
    const job = jobs.find((j) => j.id === entry.key);
    if (job === undefined) {
      const known = jobs.map((j) => j.id).filter((id) => id !== undefined);
      ctx.report(
        DslIssueCode.dagUnknownJob,
        entry.path,
        entry.keyNode,
        `dag names unknown job '${entry.key}'; jobs here: ${known.join(', ')}`,
      );
      continue;
    }
    const rows = readTransitionRows(ctx, entry);
    if (rows !== undefined && job.rows === undefined) job.dagRows = rows;
  }
}

/** The `transition` of a step built from `job`, or undefined for a leaf. */
export function buildTransition(ctx: Ctx, job: JobSpec, out: JsonPath): Record<string, unknown> | undefined {
  const rows = job.rows ?? job.dagRows;
  let successors: Record<string, string>;
  if (rows !== undefined) {
    successors = buildSuccessors(ctx, rows, out);
  } else if (job.dagNext !== undefined) {
    successors = { [job.dagNext.id]: 'true' };
    ctx.map([...out, 'successors', job.dagNext.id], job.dagNext.node);
  } else {
    return undefined;
  }
  if (Object.keys(successors).length === 0) return undefined;
  ctx.map(out, job.rows ? job.transitionNode : (rows?.[0]?.value ?? job.dagNext?.node));
  ctx.map([...out, 'successors'], job.rows ? job.transitionNode : (rows?.[0]?.value ?? job.dagNext?.node));
  return { successors };
}
