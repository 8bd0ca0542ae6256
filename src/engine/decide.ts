import type { Step } from '../model/definition.js';
import type { StepType } from '../model/enums.js';
import type { PermitRequest } from '../store/port.js';
import type { JsonObject } from '../model/json.js';
import { WORKFLOW_INSTANCE_TRAITS, type WorkflowInstanceStatus } from '../model/status.js';
import { Draft } from './draft.js';
import type { Evaluator, RunInfo } from './evaluator.js';
import type { EngineEvent, Effect } from './events.js';
import type { InlineRun } from './step-runtime.js';
import { advance } from './advance.js';
import { actionRefusal, applyAction } from './actions.js';
import {
  applyPermitsGranted,
  applyLeaseExpired,
  applyRetry,
  applyStepResult,
  applyStepTimeout,
  applyWorkflowTimeout,
} from './transitions.js';
import type { Plan } from './plan.js';
import { applySignalsMatched } from './signal-deps.js';
import { applyChildEnded } from './children.js';
import { applyChildStarted, applyChildStartFailed } from './subworkflow.js';
import type { RunState } from './state.js';

/** Everything `decide` may read besides the run and the event. */
/** How full a permit key is: permits held, and whether anyone waits in line for it. */
export interface PermitState {
  readonly held: number;
  readonly waiting: boolean;
}

export interface DecideContext {
  readonly plan: Plan;
  readonly evaluator: Evaluator;
  readonly info: RunInfo;
  /** The clock's reading for this decision; `decide` never reads a clock itself. */
  readonly now: number;
  /** Whether this process can run a step type (a type without a runtime fails as INTERNALLY_FAILED). */
  readonly available: (type: StepType) => boolean;
  /** The inline runtime of a step type (StepRuntime.inline), if it has one: its attempts complete inside `decide`. */
  readonly inline: (type: StepType) => InlineRun | undefined;
  /** The process deciding: recorded as the `worker` of the attempts it completes inline. */
  readonly self?: string;
  /** Scales backoffs and timeouts (and, in the runtimes, sleeps) for tests and demos: 1 = real time. */
  readonly timeScale: number;
  /** The permits a leaf step attempt must hold to run: step concurrency, instance step concurrency, tag permits. */
  readonly permitsFor: (step: Step) => readonly PermitRequest[];
  /**
   * How full a permit key is as this transaction knows it (read in it, counting what earlier decisions of the batch
   * took): permits held and whether anyone waits in line; undefined when unknown (taken as not free). Read only:
   * `decide` counts what it takes itself and returns it as `hold_permits` effects, which the batch then adds.
   */
  readonly permitState: (key: string) => PermitState | undefined;
  /** Whether a breakpoint stops this attempt in PAUSED before it runs. */
  readonly pausesAt: (stepId: string, attempt: number) => boolean;
  /** Iterations a foreach may have at most (Maestro's 25,000 when unset). */
  readonly loopIterations?: number | undefined;
  /** The workflow's `step_concurrency` property when it sets one (a foreach's concurrency is at most it). */
  readonly stepConcurrency?: number | undefined;
}

export interface RunView {
  readonly status: WorkflowInstanceStatus;
  readonly state: RunState;
}

export interface Decision extends RunView {
  readonly effects: readonly Effect[];
  /** Steps whose state changed (the rows to write). */
  readonly touched: ReadonlySet<string>;
  /** False when the event changed nothing (a late result of an old attempt, an event for an ended run). */
  readonly changed: boolean;
  /** For a user's action that did not apply: why (nothing changed). */
  readonly refused?: string;
}

/**
 * The engine's state machine (ARCHITECTURE "Engine invariants" 1): given a run and an event, the run's next state
 * and the effects to carry out with it, in one transaction. Pure: no I/O, no clock, no randomness — so every rule
 * of Maestro's DAG semantics, retries, failure modes and actions is tested without a database.
 */
export function decide(ctx: DecideContext, run: RunView, event: EngineEvent): Decision {
  if (WORKFLOW_INSTANCE_TRAITS[run.status].terminal) {
    if (event.type !== 'action') return unchanged(run);
    const step = event.step_id === undefined ? undefined : run.state.steps[event.step_id];
    return refused(
      run,
      actionRefusal(run.status, step?.status, event.action, event.step_id) ?? `it is ${run.status}`,
    );
  }
  const draft = new Draft(ctx, run);
  switch (event.type) {
    case 'start':
      if (run.status !== 'CREATED') return unchanged(run);
      draft.startRun();
      break;
    case 'step_result':
      applyStepResult(draft, event.step_id, event.attempt, event.result, event.worker);
      break;
    case 'retry':
      applyRetry(draft, event.step_id, event.attempt);
      break;
    case 'step_timeout':
      applyStepTimeout(draft, event.step_id, event.attempt);
      break;
    case 'workflow_timeout':
      applyWorkflowTimeout(draft);
      break;
    case 'permits_granted':
      applyPermitsGranted(draft, event.step_id, event.attempt);
      break;
    case 'lease_expired':
      applyLeaseExpired(draft, event.step_id, event.attempt, event.owner);
      break;
    case 'signals_matched':
      applySignalsMatched(draft, event.step_id, event.attempt, event.matches);
      break;
    case 'child_ended':
      applyChildEnded(draft, event);
      break;
    case 'child_started':
      applyChildStarted(draft, event.step_id, event.attempt, event.child, event.version_id);
      break;
    case 'child_start_failed':
      applyChildStartFailed(draft, event.step_id, event.attempt, event.message);
      break;
    case 'action': {
      const refusal = applyAction(draft, event.action, event.step_id, event.attempt);
      if (refusal !== undefined) return refused(run, refusal);
      break;
    }
  }
  if (!draft.changed) return unchanged(run);
  advance(draft);
  return draft.result();
}

const NOTHING: ReadonlySet<string> = new Set();

function unchanged(run: RunView): Decision {
  return { ...run, effects: [], changed: false, touched: NOTHING };
}

function refused(run: RunView, reason: string): Decision {
  return { ...unchanged(run), refused: reason };
}

export { finalStatus, isSettled } from './state.js';

export type { JsonObject };
