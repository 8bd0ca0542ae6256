import { isLoopStep, type Workflow } from '../model/definition.js';
import { rollupOf } from '../engine/children.js';
import type { JsonObject } from '../model/json.js';
import { plainParams } from '../engine/param-evaluator.js';
import type { LoadedRun } from '../engine/run-record.js';

/** The final view `baton run --json` prints: the run and each top-level step, times in epoch milliseconds. */
export function runView({ run, state }: LoadedRun, workflow: Workflow): JsonObject {
  const steps: Record<string, JsonObject> = {};
  for (const step of workflow.steps) {
    const s = state.steps[step.id];
    steps[step.id] = s
      ? {
          status: s.status,
          step_attempt_id: s.attempt,
          ...(s.start_time === undefined ? {} : { start_time: s.start_time }),
          ...(s.end_time === undefined ? {} : { end_time: s.end_time }),
          params: plainParams(s.params),
          outputs: s.outputs ?? {},
          ...(s.message === undefined ? {} : { message: s.message }),
          ...(s.artifacts === undefined ? {} : { artifacts: s.artifacts }),
          // Leaf steps below a step that runs runs, by status; for loops, their iterations by status.
          ...(s.rollup === undefined ? {} : { rollup: s.rollup }),
          ...(s.children !== undefined && isLoopStep(step) ? { iterations: s.children } : {}),
        }
      : { status: 'NOT_CREATED' };
  }
  return {
    workflow_id: run.workflow_id,
    workflow_instance_id: run.instance_id,
    workflow_run_id: run.run_id,
    status: run.status,
    ...(run.start_time === undefined ? {} : { start_time: run.start_time }),
    ...(run.end_time === undefined ? {} : { end_time: run.end_time }),
    params: plainParams(state.params),
    rollup: rollupOf(state),
    steps,
  };
}

/**
 * Progress while a run goes: on a terminal, a table of steps redrawn in place; otherwise one plain line per change
 * (`12:00:01.123 job.1 RUNNING`), which reads well in CI logs.
 */
export function progressPrinter(write: (text: string) => void, workflow: Workflow, tty: boolean) {
  const last = new Map<string, string>();
  let runStatus = '';
  let drawn = 0;
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  return ({ run, state }: LoadedRun): void => {
    const changes: string[] = [];
    for (const step of workflow.steps) {
      const s = state.steps[step.id];
      const label = s ? `${s.status}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}` : 'NOT_CREATED';
      if (last.get(step.id) !== label) {
        if (s || last.has(step.id))
          changes.push(`${step.id} ${label}${s?.message && s.status !== 'RUNNING' ? `: ${s.message}` : ''}`);
        last.set(step.id, label);
      }
    }
    if (run.status !== runStatus) {
      changes.push(`run ${run.workflow_id}/${run.instance_id}/${run.run_id} ${run.status}`);
      runStatus = run.status;
    }
    if (changes.length === 0) return;
    if (!tty) {
      for (const line of changes) write(`${time(run.modify_time)} ${line}\n`);
      return;
    }
    const width = Math.max(...workflow.steps.map((s) => s.id.length));
    const lines = [
      `${run.workflow_id} #${run.instance_id} run ${run.run_id}: ${run.status}`,
      ...workflow.steps.map((s) => `  ${s.id.padEnd(width)}  ${last.get(s.id) ?? 'NOT_CREATED'}`),
    ];
    write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    drawn = lines.length;
  };
}
