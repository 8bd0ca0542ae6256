import type { ApiClient, RunSelector } from '../../client/api-client.js';
import { ApiError } from '../../client/errors.js';
import type { JsonMap, StepInstance, WorkflowInstance } from '../../client/types.js';
import { formatDuration, formatTime, table } from './format.js';

/** One step of a run as `status` draws it. `attempt` is known only from the steps endpoint. */
export interface StepRow {
  readonly id: string;
  readonly status: string;
  readonly attempt?: number;
  readonly start?: number | null;
  readonly end?: number | null;
  readonly message?: string;
}

/** A run and its steps, read together. */
export interface RunPicture {
  readonly run: WorkflowInstance;
  readonly steps: readonly StepRow[];
}

/**
 * Reads a run and its steps. The steps come from `GET .../runs/{run}/steps` (attempts and messages); a server
 * without that endpoint answers 404, and the steps are then read from the run's overview (status and times only).
 */
export function runReader(api: ApiClient, workflowId: string, instanceId: number) {
  let stepsEndpoint = true;
  return async (runId: RunSelector): Promise<RunPicture> => {
    const run = await api.getRun(workflowId, instanceId, runId);
    if (stepsEndpoint) {
      try {
        const steps = await api.getRunSteps(workflowId, instanceId, run.workflow_run_id);
        return { run, steps: mergeSteps(run, steps) };
      } catch (error) {
        if (!(error instanceof ApiError && (error.status === 404 || error.status === 501))) throw error;
        stepsEndpoint = false;
      }
    }
    return { run, steps: stepsFromOverview(run) };
  };
}

/** The step ids of a run in definition order (the overview's ordinals count from 1 in this order). */
export function stepIdsOf(run: WorkflowInstance): string[] {
  const listed = run.runtime_workflow?.steps;
  if (Array.isArray(listed)) {
    const ids = listed.map((entry) => idOf(entry)).filter((id): id is string => id !== undefined);
    if (ids.length > 0) return ids;
  }
  return Object.keys(run.runtime_dag ?? {});
}

function idOf(entry: JsonMap): string | undefined {
  if (typeof entry['id'] === 'string') return entry['id'];
  for (const inner of Object.values(entry)) {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const id = (inner as JsonMap)['id'];
      if (typeof id === 'string') return id;
    }
  }
  return undefined;
}

/** Steps from `runtime_overview.step_overview`; a step the overview does not name has not been created yet. */
export function stepsFromOverview(run: WorkflowInstance): StepRow[] {
  const ids = stepIdsOf(run);
  const byOrdinal = new Map<number, StepRow>();
  for (const [status, entry] of Object.entries(run.runtime_overview?.step_overview ?? {})) {
    for (const [ordinal, start, end] of entry.steps ?? []) {
      const id = ids[ordinal - 1];
      if (id !== undefined) byOrdinal.set(ordinal, { id, status, start, end });
    }
  }
  return ids.map((id, i) => byOrdinal.get(i + 1) ?? { id, status: 'NOT_CREATED' });
}

function mergeSteps(run: WorkflowInstance, steps: readonly StepInstance[]): StepRow[] {
  const byId = new Map(steps.map((s) => [s.step_id, s]));
  const ids = stepIdsOf(run);
  for (const s of steps) if (!ids.includes(s.step_id)) ids.push(s.step_id);
  return ids.map((id) => {
    const s = byId.get(id);
    if (!s) return { id, status: 'NOT_CREATED' };
    const state = s.runtime_state;
    return {
      id,
      status: state.status,
      attempt: s.step_attempt_id,
      ...(state.start_time === undefined ? {} : { start: state.start_time }),
      ...(state.end_time === undefined ? {} : { end: state.end_time }),
      ...(s.status_message === undefined ? {} : { message: s.status_message }),
    };
  });
}

/** A message on one line (a step's message may quote several lines of its stderr). */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' | ');
}

/** The run's heading line, its steps as a table, and why it ended when the server says. */
export function drawRun({ run, steps }: RunPicture): string {
  const heading =
    `${run.workflow_id} instance ${run.workflow_instance_id} run ${run.workflow_run_id} ` +
    `(version ${run.workflow_version_id}): ${run.status}` +
    (run.runtime_overview?.run_status ? ` (this run: ${run.runtime_overview.run_status})` : '');
  const times = `  started ${formatTime(run.start_time ?? run.create_time)}, ${
    run.end_time === undefined ? 'not ended' : `ended ${formatTime(run.end_time)}`
  } (${formatDuration(run.start_time ?? run.create_time, run.end_time ?? null)})`;
  const withAttempts = steps.some((s) => s.attempt !== undefined);
  const header = [
    'STEP',
    'STATUS',
    ...(withAttempts ? ['ATTEMPT'] : []),
    'STARTED',
    'ENDED',
    'TOOK',
    'MESSAGE',
  ];
  const rows = steps.map((s) => [
    s.id,
    s.status,
    ...(withAttempts ? [s.attempt === undefined ? '-' : String(s.attempt)] : []),
    formatTime(s.start),
    formatTime(s.end),
    formatDuration(s.start, s.end),
    oneLine(s.message ?? ''),
  ]);
  const tableText = table(header, rows)
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
  const message = run.status_message ? `  ${run.status_message}\n` : '';
  return `${heading}\n${times}\n${tableText}${message}`;
}
