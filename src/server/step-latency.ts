import type { Engine } from '../engine/engine.js';
import { runKeyString, type LoadedRun } from '../engine/run-record.js';
import type { StepState } from '../engine/state.js';
import { STEP_STATUS_TRAITS, WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';

/** Where the latencies go (the metrics' histograms and counter). */
export interface StepLatencySink {
  /** An attempt started (took its permits and was handed to a worker) this long after it became due. */
  queued(seconds: number): void;
  /** An attempt ended with `status` this long after it started. */
  ran(seconds: number, status: string): void;
  /** A run ended with `status`. */
  runEnded(status: string): void;
}

interface Tracked {
  attempt: number;
  readyAt: number | undefined;
  retryAt?: number;
  started: boolean;
  ended: boolean;
}

/** How many runs in flight are remembered at most (the oldest is forgotten first): bounded memory. */
const MAX_RUNS = 10_000;
const MAX_ENDED = 1_000;

/**
 * Watches the runs this process's engine commits (`onRunChange`) and reports each step attempt's latencies once: from
 * due (the step created, or its retry due) to start, and from start to end. Only what this process writes is seen:
 * with several processes, each reports the transitions it committed. Returns a function that stops watching.
 */
export function trackStepLatency(engine: Pick<Engine, 'onRunChange'>, sink: StepLatencySink): () => void {
  const runs = new Map<string, Map<string, Tracked>>();
  const ended = new Set<string>();
  return engine.onRunChange((loaded) => {
    // The engine calls this right after its commit: a metric must never fail it.
    try {
      observe(runs, ended, loaded, sink);
    } catch {
      // dropped: a metric is not worth failing a commit's follow-up for
    }
  });
}

function observe(
  runs: Map<string, Map<string, Tracked>>,
  ended: Set<string>,
  loaded: LoadedRun,
  sink: StepLatencySink,
): void {
  const id = runKeyString(loaded.run);
  if (ended.has(id)) return;
  let steps = runs.get(id);
  if (!steps) {
    steps = new Map();
    runs.set(id, steps);
    if (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value!);
  }
  for (const [stepId, s] of Object.entries(loaded.state.steps)) {
    if (s.carried) continue;
    let t = steps.get(stepId);
    if (!t || t.attempt !== s.attempt) {
      t = { attempt: s.attempt, readyAt: readyAt(s, t), started: false, ended: false };
      steps.set(stepId, t);
    }
    observeStep(t, s, sink);
  }
  if (WORKFLOW_INSTANCE_TRAITS[loaded.run.status].terminal) {
    sink.runEnded(loaded.run.status);
    runs.delete(id);
    ended.add(id);
    if (ended.size > MAX_ENDED) ended.delete(ended.values().next().value!);
  }
}

/** When an attempt became due: the step's creation for the first, the retry's due time (or the last end) after. */
function readyAt(s: StepState, before: Tracked | undefined): number | undefined {
  if (s.attempt === 1) return s.create_time;
  return before?.retryAt ?? s.history?.at(-1)?.end_time;
}

function observeStep(t: Tracked, s: StepState, sink: StepLatencySink): void {
  if (s.next_retry_at !== undefined) t.retryAt = s.next_retry_at;
  if (!t.started && s.start_time !== undefined) {
    t.started = true;
    if (t.readyAt !== undefined) sink.queued(Math.max(0, s.start_time - t.readyAt) / 1000);
  }
  if (
    !t.ended &&
    STEP_STATUS_TRAITS[s.status].terminal &&
    s.start_time !== undefined &&
    s.end_time !== undefined
  ) {
    t.ended = true;
    sink.ran(Math.max(0, s.end_time - s.start_time) / 1000, s.status);
  }
}
