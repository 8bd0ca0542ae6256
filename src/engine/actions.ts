import {
  STEP_STATUS_TRAITS,
  WORKFLOW_INSTANCE_TRAITS,
  type StepInstanceStatus,
  type WorkflowInstanceStatus,
} from '../model/status.js';
import type { Draft } from './draft.js';
import type { RunAction } from './events.js';
import { bypassDependencies } from './signal-deps.js';
import { isSettled } from './state.js';
import { endActive, failStep, isActive } from './transitions.js';

/**
 * Why a user's action cannot apply to a run in this status (or to one of its steps in its status), as the status
 * traits say (Maestro's action maps, REFERENCE §5); undefined when it can. Stop and kill are the actions on a run
 * itself (restart and unblock are requests of their own, not events of a run).
 */
export function actionRefusal(
  runStatus: WorkflowInstanceStatus,
  stepStatus: StepInstanceStatus | undefined,
  action: RunAction,
  stepId?: string,
): string | undefined {
  if (stepId === undefined) {
    if (action !== 'STOP' && action !== 'KILL')
      return `${action} is not an action on a run (only STOP and KILL)`;
    return WORKFLOW_INSTANCE_TRAITS[runStatus].actions.includes(action) ? undefined : `it is ${runStatus}`;
  }
  if (WORKFLOW_INSTANCE_TRAITS[runStatus].terminal) return `its run is ${runStatus}`;
  const status = stepStatus ?? 'NOT_CREATED';
  return STEP_STATUS_TRAITS[status].actions.includes(action) ? undefined : `it is ${status}`;
}

/**
 * Stops, kills, skips, resumes, bypasses or restarts the run or one of its steps, if the action applies; otherwise changes
 * nothing and says why (the caller learns it was refused: 409 in the API, never a silent success).
 */
export function applyAction(
  draft: Draft,
  action: RunAction,
  stepId?: string,
  attempt?: number,
): string | undefined {
  const step = stepId === undefined ? undefined : draft.steps[stepId];
  const refused = actionRefusal(draft.status, step?.status, action, stepId);
  if (refused !== undefined) return refused;
  // An action aimed at one attempt (resuming attempt 1) must not land on a later one that took its place.
  if (attempt !== undefined && step !== undefined && step.attempt !== attempt)
    return `attempt ${attempt} is not its current attempt (${step.attempt})`;
  if (stepId === undefined) {
    const stopping = action === 'STOP';
    draft.patchRun({
      ending: stopping ? 'STOPPED' : 'FAILED',
      message: stopping ? 'stopped by a user' : 'killed by a user',
    });
    endActive(
      draft,
      stopping ? 'STOPPED' : 'FATALLY_FAILED',
      stopping ? 'the run was stopped' : 'the run was killed',
    );
    return undefined;
  }
  if (draft.run.ending) return `its run is ending (${draft.run.ending})`;
  const s = draft.steps[stepId]!;
  if (action === 'RESTART') {
    // A step of a run still in progress gets a new attempt (REFERENCE §5); steps it had blocked run after it.
    if (!isSettled(s.status)) return `it is ${s.status}`;
    draft.startAttempt(stepId, s.attempt + 1, s);
    return undefined;
  }
  if (action === 'RESUME') {
    const { message: _paused, ...rest } = s;
    draft.proceed(stepId, { ...rest, status: 'WAITING_FOR_PERMITS' });
    return undefined;
  }
  if (action === 'BYPASS_STEP_DEPENDENCIES') {
    // Only a step in WAITING_FOR_SIGNALS gets here (the status traits allow the action nowhere else).
    bypassDependencies(draft, stepId);
    return undefined;
  }
  if (action === 'SKIP' && !isActive(s.status)) {
    // A failed step of a run still in progress (one that waits for its other branches) is skipped so that what it
    // blocked runs: the way past a failure without a restart. A step that completed has nothing to skip.
    if (STEP_STATUS_TRAITS[s.status].complete) return `it is ${s.status}: it completed already`;
    draft.complete(stepId, 'SKIPPED', undefined, 'skipped by a user');
    return undefined;
  }
  if (!isActive(s.status)) return `it is ${s.status}`;
  draft.cancel(stepId);
  if (action === 'STOP') draft.end(stepId, 'STOPPED', 'stopped by a user');
  else if (action === 'SKIP') draft.complete(stepId, 'SKIPPED', undefined, 'skipped by a user');
  else failStep(draft, stepId, 'killed by a user');
  return undefined;
}
