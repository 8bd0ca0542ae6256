import type { Step } from '../../model/definition.js';

/** A step list as nodes and edges, with loop bodies as nested graphs: what every drawing format needs. */
export interface GraphNode {
  readonly id: string;
  readonly kind: Step['kind'];
  readonly label: string;
  readonly body?: Graph;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The SEL condition, or undefined when it is always true. */
  readonly condition?: string;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export function buildGraph(steps: readonly Step[]): Graph {
  const nodes: GraphNode[] = steps.map((step) => {
    const label =
      step.kind === 'step'
        ? `${step.id} (${step.type ?? step.sub_type ?? '?'})`
        : `${step.id} (${step.kind})`;
    return step.kind === 'foreach' || step.kind === 'while'
      ? { id: step.id, kind: step.kind, label, body: buildGraph(step.steps) }
      : { id: step.id, kind: step.kind, label };
  });
  const edges: GraphEdge[] = [];
  for (const step of steps) {
    for (const [to, condition] of Object.entries(step.transition.successors)) {
      edges.push(
        isAlways(condition) ? { from: step.id, to } : { from: step.id, to, condition: condition.trim() },
      );
    }
  }
  return { nodes, edges };
}

function isAlways(condition: string): boolean {
  return /^\s*true\s*;?\s*$/.test(condition);
}
