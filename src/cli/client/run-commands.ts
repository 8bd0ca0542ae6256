import type { VersionSelector, WorkflowStartResponse } from '../../client/types.js';
import { ExitCode } from '../io.js';
import { runParamsOf, UsageError, wholeNumber, type ClientContext } from './context.js';
import { drawRun, runReader, type RunPicture } from './run-drawing.js';
import { progressPrinter, waitForRun, type WaitOutcome } from './wait.js';

export interface StartOptions {
  readonly version?: string;
  readonly param: readonly string[];
  readonly requestId?: string;
  readonly wait?: boolean;
  readonly timeout?: string;
}

/** `active`, `latest`, `default` or a version number. */
export function versionOf(text: string): VersionSelector {
  const lower = text.toLowerCase();
  if (lower === 'active' || lower === 'latest' || lower === 'default') return lower;
  if (!/^[1-9][0-9]{0,15}$/.test(text))
    throw new UsageError(`the version is a number, active, latest or default, not '${text}'`);
  return Number(text);
}

function timeoutMsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new UsageError(`--timeout takes a number of seconds above 0, not '${text}'`);
  return seconds * 1000;
}

/**
 * `baton start WORKFLOW`: asks the server to start an instance (the server runs it; this process runs nothing).
 * With --wait, shows the run's progress until it ends: exit 0 if it SUCCEEDED, 1 if not.
 */
export async function startCommand(
  ctx: ClientContext,
  workflowId: string,
  options: StartOptions,
): Promise<ExitCode> {
  const version = versionOf(options.version ?? 'default');
  const runParams = runParamsOf(options.param);
  const timeoutMs = timeoutMsOf(options.timeout);
  const started = await ctx.api.start(workflowId, version, {
    ...(runParams ? { run_params: runParams } : {}),
    ...(options.requestId === undefined ? {} : { request_id: options.requestId }),
  });
  if (!options.wait) {
    if (ctx.json) ctx.printJson(started);
    else ctx.io.stdout(`${startedLine(started)}\n`);
    return ExitCode.OK;
  }
  if (!ctx.json) ctx.io.stdout(`${startedLine(started)}\n`);
  const outcome = await waitForRun(
    ctx,
    { workflowId, instanceId: started.workflow_instance_id, runId: started.workflow_run_id },
    {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      onPicture: ctx.json ? () => {} : progressPrinter(ctx.io),
    },
  );
  return finish(ctx, outcome, options.timeout);
}

function startedLine(started: WorkflowStartResponse): string {
  const what = `${started.workflow_id} instance ${started.workflow_instance_id} (version ${started.workflow_version_id}, run ${started.workflow_run_id})`;
  if (started.status === 'DUPLICATED')
    return `${what} exists already for request id ${started.workflow_uuid}: nothing new started`;
  return `started ${what}: ${started.status}`;
}

/** What a wait ends with: the run (JSON) or its drawing, and exit 0 only for SUCCEEDED. */
function finish(ctx: ClientContext, outcome: WaitOutcome, timeout: string | undefined): ExitCode {
  const { run } = outcome.picture;
  if (ctx.json) ctx.printJson(run);
  else if (!ctx.io.isTTY) ctx.io.stdout(drawRun(outcome.picture));
  const where = `baton status ${run.workflow_id} ${run.workflow_instance_id}`;
  switch (outcome.kind) {
    case 'ended':
      return run.status === 'SUCCEEDED' ? ExitCode.OK : ExitCode.FAILED;
    case 'timeout':
      ctx.io.stderr(
        `baton ${ctx.name}: the run is still ${run.status} after ${timeout}s; it goes on (see: ${where})\n`,
      );
      return ExitCode.FAILED;
    case 'interrupted':
      ctx.io.stderr(`baton ${ctx.name}: stopped waiting; the run goes on on the server (see: ${where})\n`);
      return ExitCode.INTERRUPTED;
  }
}

export interface StatusOptions {
  readonly wait?: boolean;
  readonly timeout?: string;
}

/**
 * `baton status WORKFLOW INSTANCE [RUN]`: the run (the latest unless given) with each step's status, attempt and
 * times. With --wait, follows it until it ends: exit 0 if it SUCCEEDED, 1 if not.
 */
export async function statusCommand(
  ctx: ClientContext,
  workflowId: string,
  instance: string,
  runText: string | undefined,
  options: StatusOptions,
): Promise<ExitCode> {
  const instanceId = wholeNumber('the instance id', instance);
  const runId = runText === undefined || runText === 'latest' ? 'latest' : wholeNumber('the run id', runText);
  const timeoutMs = timeoutMsOf(options.timeout);
  if (!options.wait) {
    const picture: RunPicture = await runReader(ctx.api, workflowId, instanceId)(runId);
    if (ctx.json) ctx.printJson(picture.run);
    else ctx.io.stdout(drawRun(picture));
    return ExitCode.OK;
  }
  const first =
    runId === 'latest' ? (await ctx.api.getRun(workflowId, instanceId, 'latest')).workflow_run_id : runId;
  const outcome = await waitForRun(
    ctx,
    { workflowId, instanceId, runId: first },
    {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      onPicture: ctx.json || !ctx.io.isTTY ? () => {} : progressPrinter(ctx.io),
    },
  );
  return finish(ctx, outcome, options.timeout);
}
