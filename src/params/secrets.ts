import type { Step, Workflow } from '../model/definition.js';
import type { ParamDefinition, ParamMap } from '../model/param.js';

/** What a secret param's value is shown as, wherever the API shows params or definitions. */
export const REDACTED = '********';

/**
 * A param is secret when its definition says `secret: true` (kept as meta, like any key the format does not name).
 * Its value is then never shown by the API: not in the definition, not in a run's or a step's params.
 *
 * @example
 *   params: { db_password: { type: STRING, value: "", secret: true } }
 */
export function isSecretParam(definition: ParamDefinition): boolean {
  return definition.meta?.['secret'] === true;
}

/**
 * The names of every param marked secret in a workflow: its own params and those of every step, loop bodies
 * included. Names, not places: a run param or a step's evaluated param of that name is hidden too, wherever it is.
 */
export function secretParamNames(workflow: Workflow): ReadonlySet<string> {
  const names = new Set<string>();
  const add = (params: ParamMap | undefined): void => {
    for (const [name, definition] of Object.entries(params ?? {}))
      if (isSecretParam(definition)) names.add(name);
  };
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      add(step.params);
      if (step.kind === 'foreach' || step.kind === 'while') visit(step.steps);
    }
  };
  add(workflow.params);
  visit(workflow.steps);
  return names;
}

/** The workflow with the value of every secret param (its own and its steps') replaced by `REDACTED`. */
export function redactWorkflow(workflow: Workflow): Workflow {
  return { ...workflow, ...redactedParams(workflow.params), steps: workflow.steps.map(redactStep) };
}

/** The step with the values of its secret params (and those of its loop body) replaced by `REDACTED`. */
export function redactStep(step: Step): Step {
  const params = redactedParams(step.params);
  if (step.kind === 'foreach' || step.kind === 'while') {
    return { ...step, ...params, steps: step.steps.map(redactStep) };
  }
  return { ...step, ...params };
}

function redactedParams(params: ParamMap | undefined): { params?: ParamMap } {
  if (params === undefined) return {};
  const out: Record<string, ParamDefinition> = {};
  for (const [name, definition] of Object.entries(params)) {
    out[name] =
      isSecretParam(definition) && definition.value !== undefined
        ? { ...definition, value: REDACTED }
        : definition;
  }
  return { params: out };
}
