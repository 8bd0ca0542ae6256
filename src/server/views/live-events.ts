import { runIdentity } from './run-views.js';
import type { LoadedRun } from '../../engine/run-record.js';
import type { StepState } from '../../engine/state.js';
import type { JsonObject } from '../../model/json.js';
import type { RunRecord } from '../../store/port.js';

// The events of a run's live stream (GET …/runs/{run}/events), in the fields of Maestro's status change events
// (REFERENCE §8.1), so the UI and the event sinks read one shape. A stream compares each stored version of the run it
// sees with the last one it sent: several changes committed together arrive as one event per step attempt.

/** What a stream remembers of the last version it sent: the run's status and each step's attempt and status. */
export interface SentRun {
  readonly version: number;
  readonly status: string;
  readonly steps: ReadonlyMap<string, { readonly attempt: number; readonly status: string }>;
}

export function sentRunOf(loaded: LoadedRun): SentRun {
  const steps = new Map<string, { attempt: number; status: string }>();
  for (const [id, s] of Object.entries(loaded.state.steps))
    steps.set(id, { attempt: s.attempt, status: s.status });
  return { version: loaded.run.version, status: loaded.run.status, steps };
}

const identity = runIdentity;

/** The first event of a stream: the run's status and every step's attempt and status as stored now. */
export function runSnapshotEvent(loaded: LoadedRun, now: number): JsonObject {
  const { run } = loaded;
  return {
    type: 'RUN_SNAPSHOT',
    ...identity(run),
    workflow_version_id: run.version_id,
    status: run.status,
    steps: Object.entries(loaded.state.steps).map(([id, s]) => ({
      step_id: id,
      step_attempt_id: s.attempt,
      status: s.status,
    })),
    sync_time: run.modify_time,
    send_time: now,
  };
}

function stepEvent(
  run: RunRecord,
  stepId: string,
  attempt: number,
  from: string,
  to: string,
  at: number,
  now: number,
): JsonObject {
  return {
    type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
    ...identity(run),
    step_id: stepId,
    step_attempt_id: attempt,
    status_change_records: [{ old_status: from, new_status: to, event_time: at }],
    sync_time: run.modify_time,
    send_time: now,
  };
}

/** When a step's status last changed, as well as its state says: its end, else its start, else the commit. */
function changedAt(
  s: { readonly start_time?: number; readonly end_time?: number },
  fallback: number,
): number {
  return s.end_time ?? s.start_time ?? fallback;
}

/**
 * The events that lead from `sent` to `loaded`: for each step whose attempt or status changed, one event (and first,
 * when a new attempt replaced one whose last status this stream had not sent, that attempt's end from the step's
 * history); then the run's status change, if any.
 */
export function changeEvents(sent: SentRun, loaded: LoadedRun, now: number): JsonObject[] {
  const { run } = loaded;
  const out: JsonObject[] = [];
  for (const [id, s] of Object.entries(loaded.state.steps)) {
    const before = sent.steps.get(id);
    if (before?.attempt === s.attempt && before.status === s.status) continue;
    if (before !== undefined && before.attempt !== s.attempt)
      out.push(...endOfAttempt(run, id, s, before, now));
    const from = before?.attempt === s.attempt ? before.status : 'NOT_CREATED';
    out.push(stepEvent(run, id, s.attempt, from, s.status, changedAt(s, run.modify_time), now));
  }
  if (sent.status !== run.status)
    out.push({
      type: 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT',
      ...identity(run),
      old_status: sent.status,
      new_status: run.status,
      event_time: run.end_time ?? run.modify_time,
      sync_time: run.modify_time,
      send_time: now,
    });
  return out;
}

function endOfAttempt(
  run: RunRecord,
  id: string,
  s: StepState,
  before: { readonly attempt: number; readonly status: string },
  now: number,
): JsonObject[] {
  const ended = s.history?.find((h) => h.attempt === before.attempt);
  if (ended === undefined || ended.status === before.status) return [];
  return [
    stepEvent(run, id, ended.attempt, before.status, ended.status, changedAt(ended, run.modify_time), now),
  ];
}

/** One event as the `text/event-stream` format frames it: its id (the run's version), type and JSON data. */
export function sseFrame(version: number, event: JsonObject): string {
  return `id: ${version}\nevent: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`;
}
