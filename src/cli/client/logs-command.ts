import { TERMINAL_INSTANCE_STATUSES } from '../../client/types.js';
import type { RunSelector } from '../../client/api-client.js';
import { ExitCode } from '../io.js';
import { UsageError, wholeNumber, type ClientContext } from './context.js';
import { stepsFromOverview } from './run-drawing.js';
import { pause, POLL_MS } from './wait.js';

export interface LogsOptions {
  readonly run?: string;
  readonly attempt?: string;
  readonly follow?: boolean;
  readonly tail?: string;
  readonly stderr?: boolean;
}

/**
 * `baton logs WORKFLOW INSTANCE STEP`: a step attempt's log (the latest run and attempt unless given) as the step
 * wrote it: its stdout, or its stderr with --stderr; the last N lines with --tail N. With -f, waits for the step to
 * start when it has not yet, then goes on printing what it writes until the attempt ends (or Ctrl-C: exit 130).
 */
export async function logsCommand(
  ctx: ClientContext,
  workflowId: string,
  instance: string,
  stepId: string,
  options: LogsOptions,
): Promise<ExitCode> {
  const instanceId = wholeNumber('the instance id', instance);
  const attempt = options.attempt === undefined ? 'latest' : wholeNumber('--attempt', options.attempt);
  const runId = options.run === undefined ? 'latest' : wholeNumber('--run', options.run);
  const tail = options.tail === undefined ? undefined : wholeNumber('--tail', options.tail);
  const abort = new AbortController();
  let interrupted = false;
  void ctx.io.stopSignal?.then(() => {
    interrupted = true;
    abort.abort();
  });
  try {
    if (options.follow) await untilStepStarted(ctx, workflowId, instanceId, runId, stepId, () => interrupted);
    if (interrupted) return ExitCode.INTERRUPTED;
    for await (const chunk of ctx.api.stepLogs(workflowId, instanceId, runId, stepId, attempt, {
      follow: options.follow === true,
      ...(tail === undefined ? {} : { tail }),
      ...(options.stderr ? { stream: 'stderr' as const } : {}),
      signal: abort.signal,
    }))
      ctx.io.stdout(chunk);
  } catch (error) {
    if (!interrupted) throw error;
  }
  return interrupted ? ExitCode.INTERRUPTED : ExitCode.OK;
}

/**
 * `baton start X && baton logs X 1 STEP -f` reads a step that may not have started yet: wait for it while the run
 * goes on. A step the run's definition does not have is refused at once, not waited for.
 */
async function untilStepStarted(
  ctx: ClientContext,
  workflowId: string,
  instanceId: number,
  runId: RunSelector,
  stepId: string,
  stopped: () => boolean,
): Promise<void> {
  for (;;) {
    const run = await ctx.api.getRun(workflowId, instanceId, runId);
    const steps = stepsFromOverview(run);
    const step = steps.find((s) => s.id === stepId);
    if (!step)
      throw new UsageError(
        `run ${run.workflow_run_id} of ${workflowId} instance ${instanceId} has no step '${stepId}' ` +
          `(its steps: ${steps.map((s) => s.id).join(', ')})`,
      );
    if (step.status !== 'NOT_CREATED' || TERMINAL_INSTANCE_STATUSES.has(run.status) || stopped()) return;
    await pause(POLL_MS, ctx.io.stopSignal);
  }
}
