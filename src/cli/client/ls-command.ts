import type { WorkflowInstance, WorkflowInstanceStatus, WorkflowSummary } from '../../client/types.js';
import { ExitCode } from '../io.js';
import { UsageError, wholeNumber, type ClientContext } from './context.js';
import { formatDuration, formatTime, table } from './format.js';

export interface LsOptions {
  readonly status?: string;
  readonly limit?: string;
}

const STATUSES: readonly WorkflowInstanceStatus[] = [
  'CREATED',
  'IN_PROGRESS',
  'PAUSED',
  'TIMED_OUT',
  'STOPPED',
  'FAILED',
  'SUCCEEDED',
];

/** The API's largest page. */
const PAGE_SIZE = 200;

/**
 * `baton ls`: the workflows; `baton ls WORKFLOW`: its instances, newest first (each as its latest run), read a
 * page at a time until `--limit` (default 20; 200 workflows) are shown or there are no more.
 */
export async function lsCommand(ctx: ClientContext, workflowId: string | undefined, options: LsOptions) {
  const limit =
    options.limit === undefined
      ? workflowId === undefined
        ? 200
        : 20
      : wholeNumber('--limit', options.limit);
  if (workflowId === undefined) {
    if (options.status !== undefined) throw new UsageError('--status lists instances: give a workflow id');
    return listWorkflows(ctx, limit);
  }
  const statuses = statusesOf(options.status);
  const rows: WorkflowInstance[] = [];
  const pages: unknown[] = [];
  let cursor: string | undefined;
  while (rows.length < limit) {
    const page = await ctx.api.listInstances(workflowId, {
      first: Math.min(PAGE_SIZE, limit - rows.length),
      ...(cursor === undefined ? {} : { cursor }),
      ...(statuses ? { status: statuses } : {}),
    });
    pages.push(page);
    rows.push(...page.elements);
    if (!page.page_info.has_next_page || page.page_info.end_cursor === null) break;
    cursor = page.page_info.end_cursor;
  }
  if (ctx.json) {
    ctx.printJson(pages.length === 1 ? pages[0] : pages);
    return ExitCode.OK;
  }
  if (rows.length === 0) {
    ctx.io.stdout(`no instances of ${workflowId}${statuses ? ` in ${statuses.join(', ')}` : ''}\n`);
    return ExitCode.OK;
  }
  ctx.io.stdout(
    table(
      ['INSTANCE', 'RUN', 'VERSION', 'STATUS', 'STARTED', 'TOOK', 'BY'],
      rows.map((r) => [
        String(r.workflow_instance_id),
        String(r.workflow_run_id),
        String(r.workflow_version_id),
        r.status,
        formatTime(r.start_time ?? r.create_time),
        formatDuration(r.start_time ?? r.create_time, r.end_time ?? null),
        typeof r.initiator?.['user'] === 'string' ? r.initiator['user'] : String(r.initiator?.['type'] ?? ''),
      ]),
    ),
  );
  return ExitCode.OK;
}

async function listWorkflows(ctx: ClientContext, limit: number): Promise<ExitCode> {
  const rows: WorkflowSummary[] = [];
  const pages: unknown[] = [];
  let cursor: string | undefined;
  while (rows.length < limit) {
    const page = await ctx.api.listWorkflows({
      first: Math.min(PAGE_SIZE, limit - rows.length),
      ...(cursor === undefined ? {} : { cursor }),
    });
    pages.push(page);
    rows.push(...page.elements);
    if (!page.page_info.has_next_page || page.page_info.end_cursor === null) break;
    cursor = page.page_info.end_cursor;
  }
  if (ctx.json) ctx.printJson(pages.length === 1 ? pages[0] : pages);
  else if (rows.length === 0) ctx.io.stdout('no workflows yet (push one: baton push FILE)\n');
  else
    ctx.io.stdout(
      table(
        ['WORKFLOW', 'LATEST', 'ACTIVE', 'INSTANCES', 'OWNER', 'CHANGED', 'NEXT FIRE'],
        rows.map((w) => [
          w.workflow_id,
          String(w.latest_version_id),
          w.active_version_id ? String(w.active_version_id) : '-',
          String(w.latest_instance_id ?? '-'),
          w.owner ?? '-',
          formatTime(w.modify_time),
          formatTime(w.next_fire_time),
        ]),
      ),
    );
  return ExitCode.OK;
}

function statusesOf(text: string | undefined): WorkflowInstanceStatus[] | undefined {
  if (text === undefined) return undefined;
  const out: WorkflowInstanceStatus[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().toUpperCase();
    const status = STATUSES.find((s) => s === name);
    if (!status)
      throw new UsageError(`--status: '${part}' is not an instance status (${STATUSES.join(', ')})`);
    out.push(status);
  }
  return out;
}
