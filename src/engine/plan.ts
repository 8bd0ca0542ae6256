import type { Step, Workflow } from '../model/definition.js';

/**
 * The top-level DAG of a workflow, precomputed once per (immutable) definition: steps by id, in definition order,
 * with their predecessors. Loop bodies run as inline instances of their own plans.
 */
export interface Plan {
  readonly workflow: Workflow;
  readonly order: readonly string[];
  readonly steps: ReadonlyMap<string, Step>;
  readonly predecessors: ReadonlyMap<string, readonly string[]>;
}

const plans = new WeakMap<Workflow, Plan>();

export function planOf(workflow: Workflow): Plan {
  const cached = plans.get(workflow);
  if (cached) return cached;
  const steps = new Map(workflow.steps.map((s) => [s.id, s] as const));
  const predecessors = new Map<string, string[]>(workflow.steps.map((s) => [s.id, []]));
  for (const step of workflow.steps) {
    for (const successor of Object.keys(step.transition.successors))
      predecessors.get(successor)?.push(step.id);
  }
  const plan: Plan = { workflow, order: workflow.steps.map((s) => s.id), steps, predecessors };
  plans.set(workflow, plan);
  return plan;
}
