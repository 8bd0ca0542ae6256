import type { TypedStep } from '../model/definition.js';
import { isJsonObject } from '../model/json.js';
import type { StepInstanceStatus } from '../model/status.js';
import type { StepResult } from './step-runtime.js';
import type { Draft } from './draft.js';
import { retryPlan, type RetryKind } from './retry.js';

const RETRY_PENDING = new Set<StepInstanceStatus>(['USER_FAILED', 'PLATFORM_FAILED', 'TIMEOUT_FAILED']);
const FAILED_STATUS: Readonly<Record<RetryKind, StepInstanceStatus>> = {
  error: 'USER_FAILED',
  platform: 'PLATFORM_FAILED',
  timeout: 'TIMEOUT_FAILED',
};

/** The result of the current attempt; results of earlier attempts (a late worker, a duplicate) change nothing. */
export function applyStepResult(
  draft: Draft,
  id: string,
  attempt: number,
  result: StepResult,
  worker?: string,
): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt || s.status !== 'RUNNING') return;
  if (result.artifacts || (worker !== undefined && result.state !== 'continue')) {
    draft.set(id, {
      ...s,
      ...(result.artifacts ? { artifacts: result.artifacts } : {}),
      ...(worker === undefined ? {} : { worker }),
    });
  }
  switch (result.state) {
    case 'continue':
      return; // polling is the worker's business; nothing changed
    case 'done':
      return draft.complete(id, 'SUCCEEDED', result.outputs, result.message);
    case 'user_error':
      return retryOrFail(draft, id, 'error', result);
    case 'platform_error':
      return retryOrFail(draft, id, 'platform', result);
    case 'fatal_error':
      return failStep(draft, id, result.message);
    case 'stopped':
      return draft.end(id, 'STOPPED', result.message);
    case 'timed_out':
      return draft.end(id, 'TIMED_OUT', result.message);
  }
}

export function applyPermitsGranted(draft: Draft, id: string, attempt: number): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt || s.status !== 'WAITING_FOR_PERMITS' || draft.run.ending) return;
  draft.launch(id, s);
}

export function applyLeaseExpired(draft: Draft, id: string, attempt: number, owner: string): void {
  applyStepResult(draft, id, attempt, {
    state: 'platform_error',
    message: `the worker running this attempt (${owner}) stopped responding; its lease expired`,
  });
}

export function applyRetry(draft: Draft, id: string, attempt: number): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt || !RETRY_PENDING.has(s.status) || draft.run.ending) return;
  draft.startAttempt(id, attempt + 1, s);
}

export function applyStepTimeout(draft: Draft, id: string, attempt: number): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt || s.status !== 'RUNNING') return;
  draft.cancel(id);
  retryOrFail(draft, id, 'timeout', { state: 'timed_out', message: 'the step ran past its timeout' });
}

export function applyWorkflowTimeout(draft: Draft): void {
  draft.patchRun({ ending: 'TIMED_OUT', message: 'the workflow ran past its timeout' });
  endActive(draft, 'TIMED_OUT', 'the workflow ran past its timeout');
}

/** A step that runs, waits (for signals, permits or a resume) or will be retried: what stopping the run ends. */
export function isActive(status: StepInstanceStatus): boolean {
  return (
    status === 'RUNNING' ||
    status === 'WAITING_FOR_SIGNALS' ||
    status === 'WAITING_FOR_PERMITS' ||
    status === 'PAUSED' ||
    RETRY_PENDING.has(status)
  );
}

export function endActive(draft: Draft, status: StepInstanceStatus, message: string): void {
  for (const [id, s] of Object.entries(draft.steps)) {
    if (!isActive(s.status)) continue;
    draft.cancel(id);
    draft.end(id, status, message);
  }
}

function retryOrFail(draft: Draft, id: string, kind: RetryKind, result: StepResult): void {
  const s = draft.steps[id]!;
  const step = draft.stepDef(id) as TypedStep;
  const plan = retryPlan(step.retry_policy, kind, draft.plainParams);
  const retryable = !(
    isJsonObject(result.artifacts?.['maestro_retry']) &&
    result.artifacts['maestro_retry']['retryable'] === false
  );
  if (!retryable || s.retries[kind] >= plan.limit || draft.run.ending) {
    if (kind === 'timeout') return draft.end(id, 'TIMED_OUT', result.message);
    return failStep(draft, id, result.message);
  }
  const at = draft.now + Math.round(plan.delayMs(s.retries[kind]) * draft.ctx.timeScale);
  draft.set(id, {
    ...s,
    status: FAILED_STATUS[kind],
    retries: { ...s.retries, [kind]: s.retries[kind] + 1 },
    end_time: draft.now,
    next_retry_at: at,
    ...(result.message === undefined ? {} : { message: result.message }),
  });
  draft.effects.push({ type: 'timer', at, event: { type: 'retry', step_id: id, attempt: s.attempt } });
}

/** A step failed for good: its failure mode decides what happens to it and to the run (REFERENCE §4.5). */
export function failStep(draft: Draft, id: string, message?: string): void {
  const mode = draft.stepDef(id).failure_mode ?? 'FAIL_AFTER_RUNNING';
  if (draft.run.ending) return draft.end(id, 'FATALLY_FAILED', message);
  switch (mode) {
    case 'IGNORE_FAILURE':
      return draft.complete(id, 'COMPLETED_WITH_ERROR', undefined, message);
    case 'FAIL_AFTER_RUNNING':
      return draft.end(id, 'FATALLY_FAILED', message);
    case 'FAIL_IMMEDIATELY':
      draft.end(id, 'FATALLY_FAILED', message);
      draft.patchRun({
        ending: 'FAILED',
        message: `step '${id}' failed and its failure mode is FAIL_IMMEDIATELY`,
      });
      endActive(draft, 'STOPPED', `stopped because step '${id}' failed (FAIL_IMMEDIATELY)`);
      return;
  }
}
