import { TERMINAL_INSTANCE_STATUSES } from '../../client/types.js';
import type { Io } from '../io.js';
import type { ClientContext } from './context.js';
import { clockTime } from './format.js';
import { drawRun, oneLine, runReader, type RunPicture } from './run-drawing.js';

/** How often a waiting command reads the run again. */
export const POLL_MS = 500;

export type WaitOutcome =
  | { readonly kind: 'ended'; readonly picture: RunPicture }
  | { readonly kind: 'timeout'; readonly picture: RunPicture }
  | { readonly kind: 'interrupted'; readonly picture: RunPicture };

/**
 * Reads a run every POLL_MS until it ends, `timeoutMs` passes, or the process is asked to stop, showing each
 * picture to `onPicture`. The run goes on on the server whatever this does.
 */
export async function waitForRun(
  ctx: ClientContext,
  target: { readonly workflowId: string; readonly instanceId: number; readonly runId: number },
  options: { readonly timeoutMs?: number; readonly onPicture: (picture: RunPicture) => void },
): Promise<WaitOutcome> {
  const read = runReader(ctx.api, target.workflowId, target.instanceId);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let stopped = false;
  void ctx.io.stopSignal?.then(() => (stopped = true));
  for (;;) {
    const picture = await read(target.runId);
    options.onPicture(picture);
    if (TERMINAL_INSTANCE_STATUSES.has(picture.run.status)) return { kind: 'ended', picture };
    if (stopped) return { kind: 'interrupted', picture };
    if (Date.now() >= deadline) return { kind: 'timeout', picture };
    await pause(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), ctx.io.stopSignal);
  }
}

/** Waits `ms`, or less when the process is asked to stop. */
export function pause(ms: number, stop: Promise<unknown> | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void stop?.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Shows a run's progress: on a terminal, its drawing redrawn in place; otherwise one line per change
 * (`12:00:01.123 job.1 RUNNING`), which reads well in CI logs.
 */
export function progressPrinter(io: Io): (picture: RunPicture) => void {
  const last = new Map<string, string>();
  let runStatus = '';
  let drawn = 0;
  return (picture) => {
    const { run, steps } = picture;
    if (io.isTTY) {
      const lines = drawRun(picture).trimEnd().split('\n');
      io.stdout(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
      return;
    }
    const changes: string[] = [];
    for (const step of steps) {
      const label = `${step.status}${step.attempt !== undefined && step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`;
      if (last.get(step.id) === label) continue;
      if (step.status !== 'NOT_CREATED' || last.has(step.id))
        changes.push(
          `${step.id} ${label}${step.message && step.status !== 'RUNNING' ? `: ${oneLine(step.message)}` : ''}`,
        );
      last.set(step.id, label);
    }
    if (run.status !== runStatus) {
      changes.push(`run ${run.workflow_id}/${run.workflow_instance_id}/${run.workflow_run_id} ${run.status}`);
      runStatus = run.status;
    }
    for (const line of changes) io.stdout(`${clockTime(run.modify_time)} ${line}\n`);
  };
}
