import type { Step } from '../model/definition.js';
import { parseDurationMillis } from '../model/duration.js';
import { DEFAULTS } from '../model/limits.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { ParsableLong } from '../model/retry-policy.js';
import type { StepInstanceStatus, WorkflowInstanceStatus } from '../model/status.js';
import type { Decision, DecideContext, RunView } from './decide.js';
import { EvaluationError, type Scope } from './evaluator.js';
import type { Effect } from './events.js';
import { substituteParams } from './retry.js';
import type { InlineRun, StepResult } from './step-runtime.js';
import { applyStepResult } from './transitions.js';
import { completeStep } from './complete-step.js';
import { childOf, launchSubworkflow } from './subworkflow.js';
import { launchForeach, stopIterations } from './foreach.js';
import { launchWhile } from './while-loop.js';
import { PermitTally } from './permit-tally.js';
import { awaitSignals, dependencyScope, initialDependencies } from './signal-deps.js';
import { scopeOf } from './draft-scope.js';
import { NEW_RETRIES, nextAttemptOf, type RunState, type StepState } from './state.js';

/** Statuses in which an attempt holds permits or waits in line for them. */
const HOLDS_PERMITS = new Set<StepInstanceStatus>(['WAITING_FOR_PERMITS', 'RUNNING']);

/**
 * A working copy of one run for the length of one `decide` call: the step states it replaces, the effects it
 * collects. Step states themselves are immutable values; the draft swaps them.
 */
export class Draft {
  status: WorkflowInstanceStatus;
  readonly steps: Record<string, StepState>;
  run: Omit<RunState, 'steps'>;
  readonly effects: Effect[] = [];
  changed = false;
  /** Steps whose state this draft replaced, so `advance` only looks at their successors. */
  readonly touched = new Set<string>();
  /** Set by the start event: `advance` looks at every step, not only successors of changed ones. */
  starting = false;
  /** Inline attempts launched with free permits they did not take: they have nothing to give back. */
  private readonly unheld = new Set<string>();
  /** Whether permits are free, counting those this decision took. */
  private readonly permits: PermitTally;
  /** The status_change_records of each step attempt's event in this decision, by `step#attempt`. */
  private readonly changeRecords = new Map<
    string,
    { old_status: string; new_status: string; event_time: number }[]
  >();

  constructor(
    readonly ctx: DecideContext,
    view: RunView,
  ) {
    this.status = view.status;
    const { steps, ...rest } = view.state;
    this.steps = { ...steps };
    this.run = rest;
    this.permits = new PermitTally(ctx.permitState);
  }

  get now(): number {
    return this.ctx.now;
  }

  private plainCache: JsonObject | undefined;
  /** Workflow params as plain values, for `${param}` in timeouts and retry policies. */
  get plainParams(): JsonObject {
    return (this.plainCache ??= this.ctx.evaluator.plain(this.run.params));
  }

  stepDef(id: string): Step {
    return this.ctx.plan.steps.get(id)!;
  }

  set(id: string, next: StepState): void {
    const before = this.steps[id];
    this.steps[id] = next;
    this.changed = true;
    this.touched.add(id);
    // An attempt that stops waiting for signals, whatever ended it, leaves no wait behind.
    if (
      before?.status === 'WAITING_FOR_SIGNALS' &&
      (before.attempt !== next.attempt || next.status !== 'WAITING_FOR_SIGNALS')
    )
      this.effects.push({ type: 'drop_signal_waits', step_id: id, attempt: before.attempt });
    // An attempt that stops running or waiting gives its permits back, whatever ended it.
    if (
      before &&
      HOLDS_PERMITS.has(before.status) &&
      !this.unheld.has(id) &&
      (before.attempt !== next.attempt || !HOLDS_PERMITS.has(next.status))
    ) {
      this.effects.push({ type: 'release_permits', step_id: id, attempt: before.attempt });
    }
    if (before?.status !== next.status || before.attempt !== next.attempt) {
      const change = {
        old_status: before && before.attempt === next.attempt ? before.status : 'NOT_CREATED',
        new_status: next.status,
        event_time: this.now,
      };
      // One event per step attempt per decision, listing its changes in order (Maestro's status_change_records):
      // an inline step that is created, runs and succeeds in one decision is one event, not three.
      const key = `${id}#${next.attempt}`;
      const records = this.changeRecords.get(key);
      if (records) records.push(change);
      else {
        const list = [change];
        this.changeRecords.set(key, list);
        this.effects.push({
          type: 'emit',
          event_type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
          payload: { step_id: id, step_attempt_id: next.attempt, status_change_records: list },
        });
      }
    }
  }

  patchRun(patch: Partial<Omit<RunState, 'steps'>>): void {
    this.run = { ...this.run, ...patch };
    this.changed = true;
  }

  setStatus(status: WorkflowInstanceStatus): void {
    if (status === this.status) return;
    this.effects.push({
      type: 'emit',
      event_type: 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT',
      payload: { old_status: this.status, new_status: status, event_time: this.now },
    });
    this.status = status;
    this.changed = true;
  }

  startRun(): void {
    this.starting = true;
    this.setStatus('IN_PROGRESS');
    this.patchRun({ start_time: this.now });
    const deadline = this.workflowDeadline();
    if (typeof deadline === 'number')
      this.effects.push({ type: 'timer', at: deadline, event: { type: 'workflow_timeout' } });
    else this.patchRun({ ending: 'FAILED', message: `workflow timeout: ${deadline}` });
  }

  /**
   * When the run times out: its start plus the workflow's `timeout`, 10 days when unset (REFERENCE §2.2, as
   * Maestro); an error message when the timeout cannot be read.
   */
  workflowDeadline(): number | string {
    const ms = this.durationMs(this.ctx.plan.workflow.timeout ?? DEFAULTS.workflowTimeoutSeconds);
    return typeof ms === 'number' ? (this.run.start_time ?? this.now) + ms : ms;
  }

  /** A timeout or duration field in ms (scaled), or an error message when it cannot be read. */
  durationMs(value: ParsableLong): number | string {
    let ms: number | undefined;
    if (typeof value === 'number') ms = value * 1000;
    else {
      const text = substituteParams(value, this.plainParams);
      ms = parseDurationMillis(text);
      if (ms === undefined)
        return `'${value}' is not a duration${text !== value ? ` (it reads '${text}')` : ''}`;
    }
    return Math.max(0, Math.round(ms * this.ctx.timeScale));
  }

  /** What expressions see; a step's own params are also readable as `<its id>__param` from its conditions. */
  scope(ownParams?: JsonObject, selfId?: string): Scope {
    return scopeOf(this.run.params, this.steps, this.ctx.info, this.now, ownParams, selfId);
  }

  /**
   * Creates attempt `attempt` of a step: evaluates its signal dependencies and waits for them when it has any, then
   * (`prepare`) evaluates its params and hands it to a worker.
   */
  startAttempt(id: string, attempt: number, previous?: StepState): void {
    const step = this.stepDef(id);
    const base: StepState = previous
      ? nextAttemptOf(previous, attempt)
      : { status: 'CREATED', attempt, retries: NEW_RETRIES, create_time: this.now };
    const failed = (message: string) => this.failAttempt(id, base, message);
    if (step.kind === 'step') {
      if (step.type === undefined) return failed(`job template '${step.sub_type ?? ''}' is not available`);
      if (!this.ctx.available(step.type)) return failed(`step type ${step.type} is not available`);
    } else if (step.kind === 'template') return failed('template steps are not available yet');
    if ((step.signal_dependencies?.length ?? 0) === 0) return this.prepare(id, base);
    const deps = initialDependencies(
      this,
      step,
      previous?.signal_dependencies ?? this.run.prior_dependencies?.[id],
    );
    if (typeof deps === 'string') return failed(deps);
    const waiting = { ...base, signal_dependencies: deps };
    if (deps.some((d) => d.status === 'PENDING')) return awaitSignals(this, id, waiting);
    this.prepare(id, waiting);
  }

  /** An attempt whose signal dependencies are met: evaluate its params, then pause at a breakpoint or go on. */
  prepare(id: string, ready: StepState): void {
    const step = this.stepDef(id);
    const failed = (message: string) => this.failAttempt(id, ready, message);
    let params: JsonObject;
    try {
      params = this.ctx.evaluator.stepParams(step, {
        ...this.scope(),
        ...dependencyScope(ready.signal_dependencies),
      });
    } catch (error) {
      if (error instanceof EvaluationError) return failed(`params: ${error.message}`);
      throw error;
    }
    if (step.timeout !== undefined) {
      const ms = this.durationMs(step.timeout);
      if (typeof ms === 'string') return failed(`timeout: ${ms}`);
    }
    if (this.ctx.pausesAt(id, ready.attempt))
      return this.set(id, { ...ready, status: 'PAUSED', params, message: 'paused at a breakpoint' });
    this.proceed(id, { ...ready, status: 'WAITING_FOR_PERMITS', params });
  }

  private failAttempt(id: string, state: StepState, message: string): void {
    this.set(id, {
      ...state,
      status: 'INTERNALLY_FAILED',
      start_time: state.start_time ?? this.now,
      end_time: this.now,
      message,
    });
  }

  /** An attempt with its params: take its permits (waiting if they are not free), then launch it. */
  proceed(id: string, ready: StepState): void {
    const step = this.stepDef(id);
    // Permits are for the leaf steps that do the work: a step that runs a run (a subworkflow) holds none while its
    // run's steps take theirs (with instance_step_concurrency 1 it would otherwise wait on itself).
    const permits = step.kind === 'step' ? this.ctx.permitsFor(step) : [];
    if (permits.length === 0) return this.launch(id, ready);
    if (this.inlineRun(step) && this.permits.free(permits)) {
      // Held for no time at all: nothing to take or give back, as long as it overtakes no limit and no line.
      this.unheld.add(id);
      return this.launch(id, ready);
    }
    if (this.permits.take(permits)) {
      // Free now: take them and run, without a WAITING_FOR_PERMITS detour.
      this.effects.push({ type: 'hold_permits', step_id: id, attempt: ready.attempt, permits });
      return this.launch(id, ready);
    }
    this.set(id, { ...ready, status: 'WAITING_FOR_PERMITS' });
    this.effects.push({ type: 'acquire_permits', step_id: id, attempt: ready.attempt, permits });
  }

  /**
   * The attempt has its permits: complete it here when its runtime is inline (no work item, no timeout clock: it
   * ends in this decision), else hand it to a worker and start its timeout clock.
   */
  launch(id: string, waiting: StepState): void {
    const step = this.stepDef(id);
    if (step.kind === 'subworkflow') {
      launchSubworkflow(this, id, waiting);
      if (this.steps[id]?.status === 'RUNNING') this.armStepTimeout(id, waiting.attempt);
      return;
    }
    if (step.kind === 'foreach' || step.kind === 'while') {
      (step.kind === 'foreach' ? launchForeach : launchWhile)(this, id, waiting);
      if (this.steps[id]?.status === 'RUNNING') this.armStepTimeout(id, waiting.attempt);
      return;
    }
    if (step.kind !== 'step' || step.type === undefined) return;
    const { attempt } = waiting;
    this.set(id, { ...waiting, status: 'RUNNING', start_time: this.now });
    const inline = this.inlineRun(step);
    if (inline) {
      const { evaluator, info } = this.ctx;
      const answer = inline({
        workflow_id: info.workflow_id,
        instance_id: info.instance_id,
        run_id: info.run_id,
        step_id: id,
        attempt,
        type: step.type,
        start_time: this.now,
        // Computed only when read: NoOp never does.
        get params() {
          return evaluator.plain(waiting.params);
        },
      });
      // The type rules `continue` out; a runtime that answers it anyway must not leave the step RUNNING unwatched.
      const result: StepResult =
        (answer.state as StepResult['state']) === 'continue'
          ? { state: 'platform_error', message: `the inline runtime of ${step.type} asked to be polled` }
          : answer;
      applyStepResult(this, id, attempt, result, this.ctx.self);
      this.unheld.delete(id);
      return;
    }
    this.effects.push({
      type: 'run_step',
      step_id: id,
      attempt,
      step_type: step.type,
      params: this.ctx.evaluator.plain(waiting.params),
      start_time: this.now,
    });
    this.armStepTimeout(id, attempt);
  }

  /**
   * A step times out after its `timeout` from its start, 10 days when unset (as Maestro). A timeout due no earlier
   * than the run's own changes nothing (the run's ends the attempt first), so it is not armed: with both defaults,
   * an attempt costs no timer row.
   */
  private armStepTimeout(id: string, attempt: number): void {
    const step = this.stepDef(id);
    const timeoutMs = this.durationMs(step.timeout ?? DEFAULTS.stepTimeoutSeconds);
    const deadline = this.workflowDeadline();
    if (
      typeof timeoutMs === 'number' &&
      !(typeof deadline === 'number' && this.now + timeoutMs >= deadline)
    ) {
      this.effects.push({
        type: 'timer',
        at: this.now + timeoutMs,
        event: { type: 'step_timeout', step_id: id, attempt },
      });
    }
  }

  private inlineRun(step: Step): InlineRun | undefined {
    return step.kind === 'step' && step.type !== undefined ? this.ctx.inline(step.type) : undefined;
  }

  /** Ends a step as complete (SUCCEEDED, COMPLETED_WITH_ERROR, SKIPPED): see `completeStep`. */
  complete(
    id: string,
    status: 'SUCCEEDED' | 'COMPLETED_WITH_ERROR' | 'SKIPPED',
    outputs?: { readonly [k: string]: JsonValue },
    message?: string,
  ): void {
    completeStep(this, id, status, outputs, message);
  }

  /** Ends a step in a terminal, not complete status (failed, stopped, timed out). */
  end(id: string, status: StepInstanceStatus, message?: string): void {
    const s = this.steps[id]!;
    const { next_retry_at: _retryAt, ...rest } = s;
    this.set(id, { ...rest, status, end_time: this.now, ...(message === undefined ? {} : { message }) });
  }

  cancel(id: string): void {
    const s = this.steps[id];
    if (s?.status !== 'RUNNING') return;
    const kind = this.stepDef(id).kind;
    if (kind === 'foreach' || kind === 'while') return stopIterations(this, id);
    if (kind !== 'subworkflow')
      return void this.effects.push({ type: 'cancel_step', step_id: id, attempt: s.attempt });
    const child = childOf(s);
    if (child) this.effects.push({ type: 'stop_child', step_id: id, attempt: s.attempt, child });
  }

  result(): Decision {
    return {
      status: this.status,
      state: { ...this.run, steps: this.steps },
      effects: this.effects,
      changed: this.changed,
      touched: this.touched,
    };
  }
}
