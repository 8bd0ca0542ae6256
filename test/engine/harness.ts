import { parseDefinition } from '../../src/dsl/parse.js';
import type { Workflow } from '../../src/model/definition.js';
import type { StepType } from '../../src/model/enums.js';
import type { JsonObject } from '../../src/model/json.js';
import type { StepResult } from '../../src/engine/step-runtime.js';
import { decide, type DecideContext, type Decision, type RunView } from '../../src/engine/decide.js';
import type { RunInfo } from '../../src/engine/evaluator.js';
import type { Effect, EngineEvent } from '../../src/engine/events.js';
import { createEngineEvaluator, plainParams } from '../../src/engine/param-evaluator.js';
import { planOf } from '../../src/engine/plan.js';
import { WORKFLOW_INSTANCE_TRAITS } from '../../src/model/status.js';

/**
 * Drives `decide` by hand for tests: one run of one workflow, a clock that moves only when told, and helpers to
 * answer the step attempts it asks for. No store, no workers: the state machine alone.
 */
export function runHarness(
  request: unknown,
  options: {
    unavailable?: readonly StepType[];
    runParams?: JsonObject;
    permitsFor?: DecideContext['permitsFor'];
    pausesAt?: DecideContext['pausesAt'];
    /** How full each permit key is; unknown (not free) by default. */
    permitState?: DecideContext['permitState'];
    /** Step types whose attempts complete inline (as NoOp's runtime does); none by default. */
    inline?: DecideContext['inline'];
  } = {},
) {
  const parsed = parseDefinition(request);
  if (!parsed.workflow) throw new Error(`invalid test workflow: ${JSON.stringify(parsed.issues)}`);
  const workflow: Workflow = parsed.workflow.workflow;
  const evaluator = createEngineEvaluator();
  const info: RunInfo = {
    workflow_id: workflow.id,
    instance_id: 1,
    run_id: 1,
    initiator_type: 'MANUAL',
    run_policy: 'START_FRESH_NEW_RUN',
    correlation_id: `${workflow.id}:1:1`,
  };
  let now = 1_700_000_000_000;
  let run: RunView = {
    status: 'CREATED',
    state: {
      params: evaluator.workflowParams(workflow, { values: options.runParams ?? {} }, info, now),
      steps: {},
    },
  };
  const log: { event: EngineEvent; decision: Decision }[] = [];

  const send = (event: EngineEvent): Decision => {
    const decision = decide(
      {
        plan: planOf(workflow),
        evaluator,
        info,
        now,
        available: (t) => !options.unavailable?.includes(t),
        timeScale: 1,
        permitsFor: options.permitsFor ?? (() => []),
        pausesAt: options.pausesAt ?? (() => false),
        permitState: options.permitState ?? (() => undefined),
        inline: options.inline ?? (() => undefined),
      },
      run,
      event,
    );
    run = { status: decision.status, state: decision.state };
    log.push({ event, decision });
    return decision;
  };

  return {
    send,
    get run() {
      return run;
    },
    get now() {
      return now;
    },
    advance(ms: number) {
      now += ms;
    },
    status(stepId: string) {
      return run.state.steps[stepId]?.status ?? 'NOT_CREATED';
    },
    step(stepId: string) {
      return run.state.steps[stepId];
    },
    plainParams(stepId: string) {
      return plainParams(run.state.steps[stepId]?.params);
    },
    /** Answers the current attempt of a step. */
    result(stepId: string, result: StepResult): Decision {
      const s = run.state.steps[stepId];
      if (!s) throw new Error(`step ${stepId} was not created`);
      return send({ type: 'step_result', step_id: stepId, attempt: s.attempt, result });
    },
    /** Runs the workflow to the end, answering every attempt with `answer` (done by default). */
    drive(answer: (stepId: string, attempt: number) => StepResult = () => ({ state: 'done' })): string[] {
      const order: string[] = [];
      const pending: Effect[] = [...send({ type: 'start' }).effects];
      const timers: Extract<Effect, { type: 'timer' }>[] = [];
      // Timers fire only when nothing else is left to do, earliest first, and not after the run has ended: every
      // run arms a timeout (10 days by default), which must not cut short the attempts answered right away.
      for (;;) {
        const effect = pending.shift();
        if (effect?.type === 'timer') timers.push(effect);
        else if (effect?.type === 'run_step') {
          order.push(effect.step_id);
          pending.push(
            ...send({
              type: 'step_result',
              step_id: effect.step_id,
              attempt: effect.attempt,
              result: answer(effect.step_id, effect.attempt),
            }).effects,
          );
        }
        if (effect !== undefined) continue;
        if (WORKFLOW_INSTANCE_TRAITS[run.status].terminal) break;
        const timer = timers.sort((x, y) => x.at - y.at).shift();
        if (!timer) break;
        now = Math.max(now, timer.at);
        pending.push(...send(timer.event).effects);
      }
      return order;
    },
    log,
  };
}

/** A create request from a compact list of steps: `[id, type, {successor: condition}, extra step fields]`. */
export function workflowOf(
  steps: readonly (readonly [
    string,
    string,
    Readonly<Record<string, string>>?,
    Readonly<Record<string, unknown>>?,
  ])[],
  workflowExtra: Record<string, unknown> = {},
): unknown {
  return {
    properties: { owner: 'tester' },
    workflow: {
      id: 'wf',
      ...workflowExtra,
      steps: steps.map(([id, type, successors, extra]) => ({
        step: { id, type, transition: { successors: successors ?? {} }, ...extra },
      })),
    },
  };
}
