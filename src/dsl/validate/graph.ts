import type { Step } from '../../model/definition.js';
import type { JsonPath } from '../../model/issue.js';
import { IssueCode, type Report } from './report.js';

/**
 * DAG rules for one step list (REFERENCE §2.3–§2.5): successors exist in the same list, given predecessors agree
 * with the successors, and there is no cycle. Edges count whatever their condition (`"false"` included).
 */
export function checkStepGraph(report: Report, steps: readonly Step[], path: JsonPath): void {
  const indexOf = new Map<string, number>();
  steps.forEach((step, i) => {
    if (step.id !== '' && !indexOf.has(step.id)) indexOf.set(step.id, i);
  });
  // A step without a readable id (its problem is reported already) may be the one a successor names.
  const someUnreadable = steps.some((step) => step.id === '');
  const edges = new Map<string, string[]>();
  steps.forEach((step, i) => {
    if (step.id === '') return;
    const at: JsonPath = [...path, i, step.kind, 'transition', 'successors'];
    const next: string[] = [];
    for (const successor of Object.keys(step.transition.successors)) {
      if (!indexOf.has(successor)) {
        if (someUnreadable) continue;
        report.add(
          IssueCode.UNKNOWN_SUCCESSOR,
          [...at, successor],
          `step '${step.id}' has successor '${successor}', which is not a step in this list`,
        );
      } else if (successor === step.id) {
        report.add(
          IssueCode.CYCLE,
          [...at, successor],
          `step '${step.id}' is its own successor (cycle ${step.id} → ${step.id})`,
        );
      } else {
        next.push(successor);
      }
    }
    edges.set(step.id, next);
  });
  checkPredecessors(report, steps, path, edges);
  for (const cycle of findCycles(edges)) {
    const first = cycle[0]!;
    const i = indexOf.get(first)!;
    report.add(
      IssueCode.CYCLE,
      [...path, i, steps[i]!.kind, 'transition', 'successors', cycle[1]!],
      `the steps form a cycle: ${cycle.join(' → ')}`,
    );
  }
}

function checkPredecessors(
  report: Report,
  steps: readonly Step[],
  path: JsonPath,
  edges: ReadonlyMap<string, string[]>,
): void {
  const derived = new Map<string, Set<string>>();
  for (const [from, tos] of edges)
    for (const to of tos) (derived.get(to) ?? derived.set(to, new Set()).get(to)!).add(from);
  steps.forEach((step, i) => {
    const given = step.transition.predecessors;
    if (!given) return;
    const actual = derived.get(step.id) ?? new Set<string>();
    const same = given.length === actual.size && given.every((p) => actual.has(p));
    if (!same) {
      report.add(
        IssueCode.PREDECESSOR_MISMATCH,
        [...path, i, step.kind, 'transition', 'predecessors'],
        `step '${step.id}' lists predecessors [${given.join(', ')}] but the successors say [${[...actual].join(', ')}]`,
      );
    }
  });
}

/** One cycle per strongly connected part of the graph, as a closed path (`a → b → a`), in a stable order. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const inReportedCycle = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        if (!cycle.some((n) => inReportedCycle.has(n))) {
          cycle.forEach((n) => inReportedCycle.add(n));
          cycles.push([...cycle, next]);
        }
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
